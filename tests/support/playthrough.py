"""The sample course's path through, as a learner plays it, shared by the SCORM and xAPI tests.

Expected scores are computed from the course model, never written down by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from scormbuild.course import load_course
from scormbuild.kinds.decision import DecisionScene
from scormbuild.kinds.quiz import QuizScene
from scormbuild.model import Course
from support.learner import Learner
from support.paths import SAMPLE

COURSE = load_course(SAMPLE)
FIRST_REFLECTION = "Accepting would share my posts with her friends & <b>blur</b> the boundary; she is still owed a service."
SECOND_REFLECTION = "I would say briefly that I keep my family life private, then bring the talk back to his own plans."


def quiz_answers(correct: bool = True) -> dict[str, list[str]]:
    """Quiz answers from the model: all right, or all wrong (an ordering: its items in the right
    order, or reversed)."""
    quiz = COURSE.scenes["ending-quiz"]
    assert isinstance(quiz, QuizScene)
    answers = {}
    for question in quiz.questions:
        if question.kind == "ordering":
            items = [o.id for o in question.options]
            answers[question.id] = items if correct else items[::-1]
            continue
        ids = [o.id for o in question.options if o.correct == correct]
        answers[question.id] = ids if question.kind == "multiple" else ids[:1]
    return answers


def expected_percent(first_choices: dict[str, str], answers: dict[str, list[str]], course: Course = COURSE) -> int:
    """The score the player should report: first attempts, as a percentage."""
    earned = possible = 0
    for scene_id, choice_id in first_choices.items():
        scene = course.scenes[scene_id]
        assert isinstance(scene, DecisionScene)
        earned += next(c.score for c in scene.choices if c.id == choice_id)
        possible += scene.max_score
    quiz = course.scenes["ending-quiz"]
    assert isinstance(quiz, QuizScene)
    for question in quiz.questions:
        possible += question.points
        if question.kind == "ordering" and answers[question.id] == list(question.correct_ids):
            earned += question.points
        elif question.kind != "ordering" and sorted(answers[question.id]) == sorted(question.correct_ids):
            earned += question.points
    return round(100 * earned / possible)


def play_to_quiz(learner: Learner, download_dir: Path | None = None, reflection: str = FIRST_REFLECTION) -> Path | None:
    """Welcome -> wrong choice -> reflection -> feedback (download) -> try again -> right choices."""
    learner.expect_scene("welcome")
    learner.continue_()
    learner.expect_scene("friend-request")
    learner.choose("accept-and-tell")
    learner.expect_scene("accept-reflect")
    learner.reflect(reflection)
    learner.continue_()
    learner.expect_scene("accept-feedback")
    copy = None
    if download_dir is not None:
        with learner.page.expect_download() as download_info:
            learner.scene_locator().locator('[data-action="download"]').click()
        download = download_info.value
        copy = download_dir / download.suggested_filename
        download.save_as(copy)
    learner.pick_option("try-again")
    right_choices_to_quiz(learner)
    return copy


def play_fast_to_quiz(learner: Learner) -> None:
    """Welcome -> every decision right at the first try."""
    learner.expect_scene("welcome")
    learner.continue_()
    right_choices_to_quiz(learner)


def right_choices_to_quiz(learner: Learner) -> None:
    learner.expect_scene("friend-request")
    learner.choose("ignore-and-report")
    learner.expect_scene("right-feedback")
    learner.continue_()
    learner.expect_scene("jenny-message")
    learner.choose("pass-to-care-manager")
    learner.expect_scene("ending-relationships")


# The sample's two endings (scenes/13-social-media.md's branches): `end` for a learner whose score
# passes when they leave the last dialogue, `revisit` for the others.
ENDINGS = ("end", "revisit")


def sample_ending(percent: int, pass_mark: float | None = None) -> str:
    """The ending a learner with this score reaches (``pass_mark``: the LMS's, if it gives one)."""
    mark = COURSE.pass_mark if pass_mark is None else pass_mark
    return "end" if mark is not None and percent >= mark else "revisit"


def expect_an_ending(learner: Learner) -> str:
    """Wait until the learner is on one of the sample's endings; which one."""
    expect(learner.scene_locator()).to_have_attribute("data-scene", re.compile("^(" + "|".join(ENDINGS) + ")$"))
    return learner.current_scene()


def play_from_quiz(learner: Learner, answers: dict[str, list[str]], reflection: str = SECOND_REFLECTION) -> None:
    learner.continue_()
    learner.expect_scene("ending-quiz")
    for question_id, option_ids in answers.items():
        learner.answer(question_id, option_ids)
    learner.continue_()
    learner.expect_scene("self-disclosure")
    learner.continue_()
    learner.expect_scene("disclosure-reflect")
    learner.reflect(reflection)
    learner.continue_()
    learner.expect_scene("social-media")
    learner.continue_()
    expect_an_ending(learner)
