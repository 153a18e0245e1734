"""The sample course played in Chromium against a real SCORM runtime (scorm-again).

Every expectation about scores and interactions is computed from the course
model, not written down by hand, so the tests follow the content.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learner import Learner
from playthrough import (COURSE, FIRST_REFLECTION, SECOND_REFLECTION, expected_percent, play_from_quiz, play_to_quiz,
                         quiz_answers)
from scormbuild.model import DecisionScene, ReflectionScene

STANDARDS = ["scorm12", "scorm2004"]


def interactions(cmi: dict) -> list[dict]:
    items = cmi["interactions"]
    if isinstance(items, dict) and "childArray" in items:
        items = items["childArray"]
    if isinstance(items, dict):
        items = [items[key] for key in sorted(items, key=int)]
    return items


@pytest.mark.parametrize("standard", STANDARDS)
def test_learner_plays_the_whole_course_and_the_lms_records_every_choice(
    standard, page, web_root, sample_dist, tmp_path
):
    learner = Learner(page, web_root.base)
    learner.launch(standard, web_root.add_package(sample_dist[standard], f"full-{standard}"))
    expect(learner.frame.locator("#save-status")).to_contain_text("Progress saved")

    copy = play_to_quiz(learner, download_dir=tmp_path)
    answers = quiz_answers(correct=True)
    play_from_quiz(learner, answers)

    # The downloaded feedback copy is a real file with the feedback and the learner's own reflection.
    assert copy is not None and copy.suffix == ".html"
    text = copy.read_text("utf-8")
    assert COURSE.title in text
    assert "I&#39;m sorry, you&#39;ve made the wrong decision" in text or "made the wrong decision" in text
    assert "Your privacy." in text
    assert "blur</b>" not in text and "&lt;b&gt;blur&lt;/b&gt;" in text  # the learner's text, escaped
    assert "she is still owed a service." in text

    percent = expected_percent({"friend-request": "accept-and-tell", "jenny-message": "pass-to-care-manager"}, answers)
    passed = percent >= COURSE.pass_mark
    result_box = learner.scene_locator().locator(".result")
    expect(result_box).to_contain_text(f"{percent}%")

    learner.leave()
    cmi = learner.cmi()
    assert learner.rejected_sets() == []
    records = interactions(cmi)
    quiz = COURSE.scenes["ending-quiz"]
    expected_ids = ["friend-request", "accept-reflect", "friend-request", "jenny-message",
                    *[f"ending-quiz_{q.id}" for q in quiz.questions], "disclosure-reflect"]
    assert [r["id"] for r in records] == expected_ids

    wrong, reflection, right = records[0], records[1], records[2]
    friend_request = COURSE.scenes["friend-request"]
    assert isinstance(friend_request, DecisionScene)
    right_ids = [c.id for c in friend_request.choices if c.correct]
    assert wrong["correct_responses"]["0"]["pattern"] == ",".join(right_ids)
    assert reflection["correct_responses"] == {}
    if standard == "scorm12":
        core = cmi["core"]
        assert core["lesson_status"] == ("passed" if passed else "failed")
        assert float(core["score"]["raw"]) == percent
        assert (core["score"]["min"], core["score"]["max"]) == ("0", "100")
        assert core["lesson_location"] == "end"
        assert core["exit"] == ""
        assert (wrong["type"], wrong["student_response"], wrong["result"]) == ("choice", "accept-and-tell", "wrong")
        assert (right["student_response"], right["result"]) == ("ignore-and-report", "correct")
        assert (reflection["type"], reflection["result"]) == ("fill-in", "neutral")
        assert reflection["student_response"] == FIRST_REFLECTION
        for record in records[4:-1]:
            assert record["result"] == "correct"
        assert FIRST_REFLECTION in cmi["comments"] and SECOND_REFLECTION in cmi["comments"]
        assert 0 < len(cmi["suspend_data"]) <= 4096
        assert all(r["latency"] and r["time"] for r in records)
    else:
        assert cmi["completion_status"] == "completed"
        assert cmi["success_status"] == ("passed" if passed else "failed")
        assert float(cmi["score"]["raw"]) == percent
        assert float(cmi["score"]["scaled"]) == pytest.approx(percent / 100)
        assert cmi["location"] == "end"
        assert cmi["exit"] == "normal"
        assert (wrong["type"], wrong["learner_response"], wrong["result"]) == ("choice", "accept-and-tell", "incorrect")
        assert (right["learner_response"], right["result"]) == ("ignore-and-report", "correct")
        assert (reflection["type"], reflection["learner_response"]) == ("long-fill-in", FIRST_REFLECTION)
        assert wrong["description"].startswith("A friend request")
        assert all(r["timestamp"] and r["latency"].startswith("PT") for r in records)
        comments = cmi["comments_from_learner"]
        texts = str(comments)
        assert FIRST_REFLECTION in texts and SECOND_REFLECTION in texts
    assert any(call["fn"] == "finish" for call in learner.lms_calls())
    commits = [call for call in learner.lms_calls() if call["fn"] == "commit" and not call.get("refused")]
    assert len(commits) >= len(records)  # a commit after every recorded answer


@pytest.mark.parametrize("standard", STANDARDS)
def test_closing_the_window_and_coming_back_resumes_at_the_same_scene(standard, page, web_root, sample_dist):
    learner = Learner(page, web_root.base)
    package = web_root.add_package(sample_dist[standard], f"resume-{standard}")
    learner.launch(standard, package)
    play_to_quiz(learner)
    learner.leave()
    saved = learner.cmi()
    exit_value = saved["core"]["exit"] if standard == "scorm12" else saved["exit"]
    assert exit_value == "suspend"

    # A new session, as the LMS starts it: the saved CMI data, with entry = resume.
    if standard == "scorm12":
        saved["core"]["entry"] = "resume"
    else:
        saved["entry"] = "resume"
    saved.pop("interactions", None)
    fresh = page.context.new_page()
    try:
        # A different browser profile would not have the player's local backup: clear it.
        fresh.goto(f"{web_root.base}/lms.html")
        fresh.evaluate("localStorage.clear()")
        again = Learner(fresh, web_root.base)
        again.launch(standard, package, saved={"cmi": saved})
        again.expect_scene("ending-relationships")
        expect(again.frame.locator("#notice")).to_contain_text("Welcome back")
        # Earlier answers still count: finish the course and check the score.
        answers = quiz_answers(correct=True)
        play_from_quiz(again, answers)
        percent = expected_percent({"friend-request": "accept-and-tell", "jenny-message": "pass-to-care-manager"},
                                   answers)
        expect(again.scene_locator().locator(".result")).to_contain_text(f"{percent}%")
        # The first reflection, written in the first session, is still in the learner's comments.
        cmi = again.cmi()
        assert FIRST_REFLECTION in str(cmi["comments"] if standard == "scorm12" else cmi["comments_from_learner"])
        assert again.rejected_sets() == []
    finally:
        fresh.close()


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_refused_commit_is_retried_and_the_learner_is_told(standard, page, web_root, sample_dist):
    learner = Learner(page, web_root.base)
    learner.launch(standard, web_root.add_package(sample_dist[standard], f"refuse-{standard}"))
    learner.continue_()
    page.evaluate("window.lmsFailCommits = 2")
    learner.choose("ignore-and-report")
    expect(learner.frame.locator("#save-status")).to_contain_text("Retrying")
    # The player retries by itself with a back-off, and says so when the save goes through.
    expect(learner.frame.locator("#save-status")).to_have_text("Progress saved", timeout=15000)
    commits = [c for c in learner.lms_calls() if c["fn"] == "commit"]
    assert sum(1 for c in commits if c.get("refused")) == 2
    assert commits[-1]["result"] == "true"
    assert learner.cmi()["suspend_data"]


def test_without_an_lms_the_course_still_works_and_says_progress_is_not_recorded(page, web_root, sample_dist):
    path = web_root.add_package(sample_dist["scorm12"], "standalone")
    page.goto(f"{web_root.base}/{path}")
    expect(page.locator("#save-status")).to_contain_text("not being recorded")
    page.locator('section:not([hidden]) [data-action="next"]').click()
    expect(page.locator("section.scene:not([hidden])")).to_have_attribute("data-scene", "friend-request")


def test_read_more_and_back_and_a_too_short_reflection(page, web_root, sample_dist):
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", web_root.add_package(sample_dist["scorm12"], "read-more"))
    learner.continue_()
    learner.choose("accept")
    learner.expect_scene("accept-reflect")
    scene = learner.scene_locator()
    scene.locator("textarea").fill("too short")
    scene.locator('button[type="submit"]').click()
    reflection = COURSE.scenes["accept-reflect"]
    assert isinstance(reflection, ReflectionScene)
    expect(scene.locator(".form-error")).to_have_text(f"Please write at least {reflection.min_length} characters before submitting.")
    expect(scene.locator("textarea")).to_have_attribute("aria-invalid", "true")
    learner.reflect(FIRST_REFLECTION)
    learner.continue_()
    learner.pick_option("read-more")
    learner.expect_scene("social-media")
    learner.scene_locator().locator('[data-action="back"]').click()
    learner.expect_scene("accept-feedback")
    ids = [r["id"] for r in interactions(learner.cmi())]
    assert ids == ["friend-request", "accept-reflect"]  # the short attempt was not recorded
