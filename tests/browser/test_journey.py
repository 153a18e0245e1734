"""The learner's journey: right and wrong made visible, reflections kept on screen with a recorded
self-check, a summary at the end with a way back to each feedback, a record to download, and a
scoring policy the player's words and the LMS's score both follow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support.coursekit import copy_sample
from support.learner_kinds import decode_response
from support.lms_runtimes import EVERY_LMS, STANDARD, open_lms
from support.playthrough import (
    COURSE,
    FIRST_REFLECTION,
    SECOND_REFLECTION,
    expected_percent,
    play_from_quiz,
    quiz_answers,
)

from scormbuild.commands.build import build
from scormbuild.messages import messages

EN = messages("en")


def with_scoring(tmp_path: Path, policy: str | None) -> Path:
    course = copy_sample(tmp_path / (policy or "default"))
    if policy:
        yaml_file = course / "course.yaml"
        yaml_file.write_text(yaml_file.read_text("utf-8") + f"scoring: {policy}\n", "utf-8")
    return course


@pytest.mark.parametrize("runtime, version", EVERY_LMS)
def test_the_journey_is_shown_and_the_self_check_is_recorded(runtime, version, page, web_root, sample_dist, tmp_path):
    lms = open_lms(runtime, page, web_root, sample_dist[STANDARD[version]], version)
    lms.launch()
    learner = lms.learner()
    learner.continue_()
    learner.choose("accept-and-tell")

    # The reflection stays on screen after it is submitted (this one has no model points).
    learner.expect_scene("accept-reflect")
    learner.reflect(FIRST_REFLECTION)
    expect(learner.scene_locator().locator(".learner-text")).to_have_text(FIRST_REFLECTION)
    expect(learner.scene_locator().locator(".self-check")).to_have_count(0)
    learner.continue_()

    # Wrong, then right: said with a word and an icon, not only a colour.
    learner.expect_scene("accept-feedback")
    verdict = learner.scene_locator().locator(".verdict")
    expect(verdict).to_have_text(re.compile("\u2717\\s*" + EN["verdict_wrong"]))
    expect(verdict).to_have_class(re.compile("is-incorrect"))
    learner.pick_option("try-again")
    learner.expect_scene("friend-request")
    expect(learner.scene_locator().locator(".answered-before")).to_have_text(EN["answered_first-attempt"])
    learner.choose("ignore-and-report")
    learner.expect_scene("right-feedback")
    expect(learner.scene_locator().locator(".verdict")).to_have_text(re.compile("\u2713\\s*" + EN["verdict_right"]))
    learner.continue_()
    learner.choose("pass-to-care-manager")
    learner.expect_scene("ending-relationships")
    answers = quiz_answers(correct=True)
    learner.continue_()
    for question_id, option_ids in answers.items():
        learner.answer(question_id, option_ids)
    learner.continue_()
    learner.continue_()

    # Beside the model points, the learner says how their answer compares (recorded, not scored).
    learner.expect_scene("disclosure-reflect")
    learner.reflect(SECOND_REFLECTION)
    scene = learner.scene_locator()
    expect(scene.locator(".learner-text")).to_have_text(SECOND_REFLECTION)
    expect(scene.locator(".points")).to_be_visible()
    scene.get_by_role("button", name=EN["self_check_some"]).click()
    expect(scene.get_by_role("button", name=EN["self_check_some"])).to_have_attribute("aria-pressed", "true")
    expect(scene.locator(".self-check-noted")).to_have_text(EN["self_check_noted"])
    learner.continue_()
    learner.continue_()
    learner.expect_scene("end")

    # The end: each decision with what counted and whether it was right, reflections with the points.
    end = learner.scene_locator()
    journey = end.locator(".answers")
    expect(journey.get_by_role("heading", name=EN["journey"])).to_be_visible()
    friend_request = journey.locator("dd").first
    expect(friend_request).to_contain_text("Your first choice: Accept it")
    expect(friend_request.locator(".verdict")).to_have_text(re.compile(EN["incorrect"]))
    expect(journey.locator("blockquote.learner-text")).to_have_text([FIRST_REFLECTION, SECOND_REFLECTION])
    quiz = COURSE.scenes["ending-quiz"]
    expect(journey.locator(".quiz-results li")).to_have_text(
        [re.compile(re.escape(q.text) + ".*" + EN["correct"]) for q in quiz.questions])  # type: ignore[attr-defined]
    expect(end.locator(".scoring-note")).to_have_text(EN["scoring_first-attempt"])
    expect(end.locator('[data-action="look-again"]')).to_have_text(EN["again_first-attempt"])

    # Back to a decision's feedback, with its verdict, and back to the summary.
    friend_request.get_by_role("button", name=EN["see_feedback"]).click()
    learner.expect_scene("accept-feedback")
    expect(learner.scene_locator().locator(".verdict")).to_have_text(re.compile(EN["verdict_wrong"]))
    learner.frame.get_by_role("button", name=EN["back_to_summary"]).click()
    learner.expect_scene("end")
    expect(learner.frame.locator(".return-bar")).to_be_hidden()

    # The record to keep names the learner (Moodle gives a name), the date and the result.
    with page.expect_download() as download_info:
        learner.scene_locator().get_by_role("button", name=EN["download_record"]).click()
    record = Path(download_info.value.path()).read_text("utf-8")
    percent = expected_percent({"friend-request": "accept-and-tell", "jenny-message": "pass-to-care-manager"}, answers)
    assert COURSE.title in record and f"{percent}%" in record and "Accept it" in record
    assert "blur</b>" not in record and "&lt;b&gt;blur&lt;/b&gt;" in record  # the learner's text, escaped
    if runtime == "moodle":
        assert "Lee Learner" in record

    lms.exit()
    assert lms.errors == []
    records = lms.stored().interactions
    check = [r for r in records if r.id == "disclosure-reflect_self-check"]
    assert len(check) == 1 and check[0].result == "neutral" and check[0].patterns == []
    assert decode_response(check[0].response, "choice", version) == ["some"]


@pytest.mark.parametrize("policy, second_try_counts", [(None, False), ("best-attempt", True), ("last-attempt", True)])
def test_the_scoring_policy_decides_which_answer_counts(policy, second_try_counts, page, web_root, tmp_path):
    [package] = build(with_scoring(tmp_path, policy), ["scorm2004"], tmp_path / "dist")
    lms = open_lms("moodle", page, web_root, package.path, "2004")
    lms.launch()
    learner = lms.learner()
    learner.continue_()
    learner.choose("accept-and-tell")  # wrong
    learner.reflect(FIRST_REFLECTION)
    learner.continue_()
    learner.pick_option("try-again")
    learner.choose("ignore-and-report")  # right
    learner.continue_()
    learner.choose("pass-to-care-manager")
    answers = quiz_answers(correct=True)
    play_from_quiz(learner, answers)
    counted = "ignore-and-report" if second_try_counts else "accept-and-tell"
    percent = expected_percent({"friend-request": counted, "jenny-message": "pass-to-care-manager"}, answers)
    expect(learner.scene_locator().locator(".result")).to_contain_text(f"{percent}%")
    policy_name = policy or "first-attempt"
    note = EN[("scoring_" if percent >= (COURSE.pass_mark or 0) else "failed_") + policy_name]
    expect(learner.scene_locator().locator(".scoring-note")).to_have_text(note)

    # Going through again from the end, wrong this time: only last-attempt counts it.
    learner.scene_locator().locator('[data-action="look-again"]').click()
    learner.continue_()
    expect(learner.scene_locator().locator(".answered-before")).to_have_text(EN["answered_" + policy_name])
    learner.choose("accept-and-tell")
    learner.reflect(FIRST_REFLECTION)
    learner.continue_()
    learner.pick_option("continue")
    learner.choose("pass-to-care-manager")
    play_from_quiz(learner, answers)
    if policy == "last-attempt":
        counted = "accept-and-tell"
    again = expected_percent({"friend-request": counted, "jenny-message": "pass-to-care-manager"}, answers)
    expect(learner.scene_locator().locator(".result")).to_contain_text(f"{again}%")
    assert (again != percent) == (policy == "last-attempt")
    lms.exit()
    assert lms.errors == []
    assert float(lms.stored().get("", "cmi.score.scaled")) == pytest.approx(again / 100)
