"""The simulated learners of bench/learners.py leave what real learners leave.

One path through the sample course (a wrong choice, its reflection, a way back, a wrong quiz answer,
texts with line breaks, quotes, markup characters, non-ASCII and more than 255 characters, a
self-check) is played with the real player, into a real LRS (Ralph) and into Moodle's own SCORM
1.2 runtime; the generator is told to take the same path. The statements must match (verb, object,
response, success, scene kind, interaction type, in order), and so must the Interactions report
row Moodle would download (tests/support/moodle_report.py, a port of report.php), names and dates
aside. Ralph must also read the generator's file-backend lines as the player's own statements.
"""

from __future__ import annotations

import sys
import uuid

from playwright.sync_api import expect
from support.learner import Learner
from support.lms_runtimes import MoodleRuntime
from support.moodle_report import fputcsv_line, question_count, report_row
from support.paths import ROOT
from support.playthrough import COURSE
from test_player_xapi import tincan_launch, verb_of

from scormbuild.interactions import SCENE_KIND_EXTENSION

sys.path.insert(0, str(ROOT / "bench"))
import learners  # noqa: E402

FIRST_TEXT = learners.REFLECTION_BANK[2]  # line breaks, quotes, an em dash
SECOND_TEXT = learners.REFLECTION_BANK[5]  # more than 255 characters: SCORM 1.2 keeps 255
WRONG_QUESTION = "informal-help"


def path_probabilities() -> learners.Probabilities:
    """Chances of 1 for the path the test plays."""
    odds = learners.default_probabilities(COURSE)
    odds.stop = 0
    odds.decisions["friend-request"] = learners.DecisionOdds({"accept-and-tell": 1}, 1, {"ignore-and-report": 1})
    odds.decisions["jenny-message"].first = {"pass-to-care-manager": 1}
    for ident, question in odds.questions.items():
        question.right = 0 if ident.endswith(WRONG_QUESTION) else 1
        question.wrong = [True]  # informal-help's wrong answer: "true"
    odds.reflections["accept-reflect"] = learners.ReflectionOdds([FIRST_TEXT], {})
    odds.reflections["disclosure-reflect"] = learners.ReflectionOdds([SECOND_TEXT], {"some": 1})
    return odds


def generated_attempt() -> learners.Attempt:
    return next(learners.simulate(COURSE, 1, seed=1, probabilities=path_probabilities()))


def play_the_path(learner: Learner) -> None:
    learner.expect_scene("welcome")
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.expect_scene("accept-reflect")
    learner.reflect(FIRST_TEXT)
    learner.continue_()
    learner.expect_scene("accept-feedback")
    learner.pick_option("try-again")
    learner.expect_scene("friend-request")
    learner.choose("ignore-and-report")
    learner.expect_scene("right-feedback")
    learner.continue_()
    learner.choose("pass-to-care-manager")
    learner.expect_scene("ending-relationships")
    learner.continue_()
    quiz = COURSE.scenes["ending-quiz"]
    for question in quiz.questions:  # type: ignore[attr-defined]
        if question.id == WRONG_QUESTION:
            learner.answer(question.id, ["true"])
        elif question.kind == "ordering":
            learner.answer(question.id, [o.id for o in question.options])
        else:
            learner.answer(question.id, list(question.correct_ids))
    learner.continue_()
    learner.expect_scene("self-disclosure")
    learner.continue_()
    learner.expect_scene("disclosure-reflect")
    learner.reflect(SECOND_TEXT)
    learner.scene_locator().locator('[data-action="self-check"][data-value="some"]').click()
    expect(learner.scene_locator().locator('[data-value="some"]')).to_have_attribute("aria-pressed", "true")
    learner.continue_()
    learner.expect_scene("social-media")
    learner.continue_()


def shape(statements: list[dict]) -> list[tuple]:
    """What must be equal: (verb, object id, response, success, scene kind, interaction type)."""
    out = []
    for statement in statements:
        definition = statement["object"].get("definition", {})
        result = statement.get("result", {})
        out.append((verb_of(statement), statement["object"]["id"], result.get("response"), result.get("success"),
                    definition.get("extensions", {}).get(SCENE_KIND_EXTENSION), definition.get("interactionType")))
    return out


def in_order(statements: list[dict]) -> list[dict]:
    """By timestamp; statements of the same millisecond in the order the LRS stored them."""
    return sorted(statements, key=lambda s: (s["timestamp"], s["stored"]))


def test_the_generator_sends_the_statements_the_player_sends(page, web_root, sample_dist, ralph):
    attempt = generated_attempt()
    ending = [step.scene for step in attempt.steps if step.answer is None][-1]
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Sam Carer", "mbox": f"mailto:sam-{registration[:8]}@example.org"}
    learner = Learner(page, web_root.base)
    learner.launch("xapi", tincan_launch(web_root.add_package(sample_dist["xapi"], "xapi-gen"), ralph.endpoint,
                                         actor, registration))
    play_the_path_to(learner, ending)
    learner.leave()
    played = in_order(ralph.wait_for(lambda found: any(verb_of(s) == "terminated" for s in found),
                                     registration=registration))
    generated = list(learners.XapiWriter(COURSE).statements(attempt))
    answered = [row for row in shape(played) if row[0] == "answered"]
    assert len(answered) == len(attempt.answers) == 11  # 2 decisions + a reflection, 1, 5 questions, 1 + self-check
    assert (f"{COURSE.iri}/interactions/disclosure-reflect", SECOND_TEXT, None, "reflection",
            "long-fill-in") in [row[1:] for row in answered]
    assert shape(generated) == shape(played)
    # The full statements agree too, but for what differs by nature: ids, times, who, durations.
    for mine, theirs in zip(generated, played, strict=True):
        assert mine["object"] == theirs["object"]
        assert mine["context"]["contextActivities"] == theirs["context"]["contextActivities"]
        assert mine["context"]["language"] == theirs["context"]["language"]
        assert {k: v for k, v in mine.get("result", {}).items() if k != "duration"} == {
            k: v for k, v in theirs.get("result", {}).items() if k != "duration"}

    # Ralph reads the generator's file-backend lines as statements like the player's.
    other = str(uuid.uuid4())
    attempt.registration = other
    with (ralph.folder / "data" / "fs_lrs.jsonl").open("a", encoding="utf-8") as lines:
        lines.writelines(learners.ralph_lines(learners.XapiWriter(COURSE).statements(attempt)))
    assert shape(in_order(ralph.statements(registration=other))) == shape(played)


def play_the_path_to(learner: Learner, ending: str) -> None:
    """The path, then the ending the course's branches give for the score the generator worked out."""
    play_the_path(learner)
    learner.expect_scene(ending)


def test_the_generator_writes_moodles_interactions_report_row(page, sample_dist):
    attempt = generated_attempt()
    ending = [step.scene for step in attempt.steps if step.answer is None][-1]
    lms = MoodleRuntime(page, sample_dist["scorm12"], "1.2")
    lms.launch()
    play_the_path_to(lms.learner(), ending)
    lms.exit()
    assert lms.errors == []
    tracks = lms.lms.tracks
    questions = question_count(tracks)
    assert questions == len(attempt.answers)
    options = {"qtext": True, "resp": True, "right": True, "result": True}
    moodle = report_row(tracks, questions, **options)
    mine = learners.moodle_interactions_rows(attempt, questions, **options)
    skip = 5  # name, email, attempt, started on, last accessed on
    assert mine[skip:] == moodle
    assert fputcsv_line(mine[skip:]) == learners.fputcsv(moodle)
    assert [tracks.get(k) for k in learners.scorm12_tracks(attempt)] == list(learners.scorm12_tracks(attempt).values())
