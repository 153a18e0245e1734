"""The sample course played in Chromium inside both SCORM runtimes: scorm-again and Moodle
4.1's own (lms_runtimes), for SCORM 1.2 and 2004. The LMS must refuse nothing and store what
the learner did; every expectation about scores and interactions comes from the course model.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Route, expect
from support.learner_kinds import decode_response, stored_reflections
from support.lms_runtimes import EVERY_LMS, RUNTIMES, STANDARD, open_lms
from support.paths import SAMPLE
from support.playthrough import (
    COURSE,
    FIRST_REFLECTION,
    SECOND_REFLECTION,
    expected_percent,
    play_from_quiz,
    play_to_quiz,
    quiz_answers,
)

from scormbuild.commands.build import build
from scormbuild.kinds.decision import DecisionScene
from scormbuild.kinds.reflection import ReflectionScene
from scormbuild.runtime_values import decode_comment


@pytest.fixture
def lms_for(page, web_root, sample_dist):
    def make(runtime: str, version: str, **options):
        return open_lms(runtime, page, web_root, sample_dist[STANDARD[version]], version, **options)
    return make


@pytest.mark.parametrize("runtime, version", EVERY_LMS)
def test_learner_plays_the_whole_course_and_the_lms_records_every_choice(runtime, version, lms_for, tmp_path):
    lms = lms_for(runtime, version)
    lms.launch()
    learner = lms.learner()
    expect(learner.frame.locator("#save-status")).to_contain_text("Progress saved")

    copy = play_to_quiz(learner, download_dir=tmp_path)
    answers = quiz_answers(correct=True)
    play_from_quiz(learner, answers)

    # The downloaded feedback copy is a real file with the feedback and the learner's own reflection.
    assert copy is not None and copy.suffix == ".html"
    text = copy.read_text("utf-8")
    assert COURSE.title in text
    assert "made the wrong decision" in text
    assert "Your privacy." in text
    assert "blur</b>" not in text and "&lt;b&gt;blur&lt;/b&gt;" in text  # the learner's text, escaped
    assert "she is still owed a service." in text

    percent = expected_percent({"friend-request": "accept-and-tell", "jenny-message": "pass-to-care-manager"}, answers)
    passed = percent >= COURSE.pass_mark
    expect(learner.scene_locator().locator(".result")).to_contain_text(f"{percent}%")
    # The end scene lists what the learner answered.
    expect(learner.scene_locator().locator(".answers")).to_contain_text("Your first choice: Accept it, then let")

    lms.exit()
    assert lms.errors == []
    stored = lms.stored()
    records = stored.interactions
    quiz = COURSE.scenes["ending-quiz"]
    assert [r.id for r in records] == ["friend-request", "accept-reflect", "friend-request", "jenny-message",
                                       *[f"ending-quiz_{q.id}" for q in quiz.questions], "disclosure-reflect"]
    wrong, reflection, right = records[0], records[1], records[2]
    friend_request = COURSE.scenes["friend-request"]
    assert isinstance(friend_request, DecisionScene)
    assert [decode_response(p, "choice", version) for p in wrong.patterns] == \
        [[c.id] for c in friend_request.choices if c.correct]
    assert reflection.patterns == []
    assert decode_response(wrong.response, "choice", version) == ["accept-and-tell"]
    assert decode_response(right.response, "choice", version) == ["ignore-and-report"]
    assert right.result == "correct" and all(r.result == "correct" for r in records[4:-1])
    assert stored.score == str(percent) and stored.location == "end" and stored.done
    assert stored.success == ("passed" if passed else "failed")
    assert stored_reflections(stored) == {"accept-reflect": [FIRST_REFLECTION], "disclosure-reflect": [SECOND_REFLECTION]}
    if version == "1.2":
        assert stored.exit == ""
        assert (wrong.type, wrong.result, reflection.type, reflection.result) == ("choice", "wrong", "fill-in", "neutral")
        assert all(re.fullmatch(r"\d{2,4}:\d\d:\d\d(\.\d{1,2})?", r.latency) for r in records)
        assert 0 < len(stored.suspend_data) <= 4096
    else:
        assert stored.exit == "normal"
        assert (wrong.type, wrong.result, reflection.type) == ("choice", "incorrect", "long-fill-in")
        assert decode_comment(wrong.description) == friend_request.title  # the question, not the choice ids
        assert float(stored.get("", "cmi.score.scaled")) == pytest.approx(percent / 100)
        assert all(r.latency.startswith("PT") for r in records)
    # A commit after every answer: the LMS holds the work even if the page dies.
    commits = [c for c in lms.calls if c["fn"] in ("commit", "LMSCommit", "Commit") and c.get("result") == "true"]
    assert len(commits) >= len(records)


def fail_next_saves(lms, count: int) -> None:
    """The LMS's server answers the next saves with HTTP 500: Moodle's Commit then returns false."""
    if lms.name == "scorm-again":
        lms.page.evaluate(f"window.lmsFailCommits = {count}")
        return
    left = [count]

    def handle(route: Route) -> None:
        if left[0] > 0 and route.request.method == "POST":
            left[0] -= 1
            route.fulfill(status=500, body="database unavailable")
        else:
            route.continue_()

    lms.page.route(re.compile(r".*/mod/scorm/datamodel\.php.*"), handle)


@pytest.mark.parametrize("runtime, version", EVERY_LMS)
def test_a_refused_commit_is_retried_and_the_learner_is_told(runtime, version, lms_for):
    """The LMS's server fails twice while the learner chooses and writes a reflection: the
    player says so, retries with a back-off, and in the end the LMS has all of it, once."""
    lms = lms_for(runtime, version)
    lms.launch()
    learner = lms.learner()
    learner.continue_()
    fail_next_saves(lms, 2)
    learner.choose("accept")
    expect(learner.frame.locator("#save-status")).to_contain_text("Retrying")
    learner.reflect(FIRST_REFLECTION)
    # The player retries by itself with a back-off, and says so when the save goes through.
    expect(learner.frame.locator("#save-status")).to_have_text("Progress saved", timeout=15000)
    commits = [c for c in lms.calls if c["fn"] in ("commit", "LMSCommit", "Commit")]
    assert sum(1 for c in commits if c.get("result") != "true") == 2
    assert commits[-1]["result"] == "true"
    learner.continue_()
    learner.expect_scene("accept-feedback")
    lms.exit()
    assert [e for e in lms.errors if e.get("code") != "101"] == []  # 101: the two commits the server failed
    stored = lms.stored()
    assert [(r.id, r.type in ("choice",)) for r in stored.interactions] == [("friend-request", True), ("accept-reflect", False)]
    assert decode_response(stored.interactions[0].response, "choice", version) == ["accept"]
    assert stored_reflections(stored) == {"accept-reflect": [FIRST_REFLECTION]}
    assert stored.location == "accept-feedback" and stored.suspend_data


@pytest.mark.parametrize("standard", ["scorm12", "scorm2004"])
def test_without_an_lms_the_course_still_works_and_says_progress_is_not_recorded(standard, page, web_root,
                                                                                  sample_dist):
    path = web_root.add_package(sample_dist[standard], f"standalone-{standard}")
    page.goto(f"{web_root.base}/{path}")
    expect(page.locator("#save-status")).to_contain_text("not being recorded")
    page.locator('section:not([hidden]) [data-action="next"]').click()
    expect(page.locator("section.scene:not([hidden])")).to_have_attribute("data-scene", "friend-request")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_read_more_and_back_and_a_too_short_reflection(runtime, lms_for):
    lms = lms_for(runtime, "1.2")
    lms.launch()
    learner = lms.learner()
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
    lms.exit()
    assert lms.errors == []
    assert [r.id for r in lms.stored().interactions] == ["friend-request", "accept-reflect"]  # the short one was not


@pytest.mark.parametrize("runtime, version", EVERY_LMS)
def test_hiding_the_page_saves_and_only_leaving_it_ends_the_session(runtime, version, lms_for):
    """P10: a phone may kill a hidden tab without another event, so hiding commits; the session
    ends on pagehide only (beforeunload comes before a navigation that may still be cancelled)."""
    lms = lms_for(runtime, version)
    lms.launch()
    learner = lms.learner()
    learner.continue_()
    frame = learner.course_frame
    before = len(lms.calls)
    frame.evaluate("""() => {
        Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
        window.dispatchEvent(new Event("beforeunload"));
    }""")
    learner.page.wait_for_timeout(300)
    after = [c["fn"] for c in lms.calls[before:]]
    assert any(fn in ("commit", "LMSCommit", "Commit") for fn in after)
    assert not any(fn in ("finish", "LMSFinish", "Terminate") for fn in after)
    frame.evaluate("""() => {
        Object.defineProperty(document, "visibilityState", {value: "visible", configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    learner.choose("ignore-and-report")  # the session goes on
    lms.exit()
    assert lms.errors == []
    assert [r.id for r in lms.stored().interactions] == ["friend-request"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_strict_scorm12_writes_each_choice_as_one_character(runtime, page, web_root, tmp_path):
    """P13: the 1.2 RTE's choice responses are single characters 0-9, a-z; --strict-scorm12 writes
    a decision's choice as the character of its position (Moodle shows readable ids without it)."""
    [package] = build(SAMPLE, ["scorm12"], tmp_path / "dist", strict_scorm12=True)
    lms = open_lms(runtime, page, web_root, package.path, "1.2")
    lms.launch()
    learner = lms.learner()
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.reflect(FIRST_REFLECTION)
    lms.exit()
    assert lms.errors == []
    decision = lms.stored().interactions[0]
    friend_request = COURSE.scenes["friend-request"]
    assert isinstance(friend_request, DecisionScene)
    position = {c.id: "abcdefghijklmnopqrstuvwxyz0123456789"[i] for i, c in enumerate(friend_request.choices)}
    assert decision.response == position["accept-and-tell"]
    assert decision.patterns == [position[c.id] for c in friend_request.choices if c.correct]
