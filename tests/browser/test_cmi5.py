"""cmi5 as the AICC cmi5 spec asks it of an AU, played in Chromium against the test LMS and a real LRS (Ralph).

Each test acts as the LMS (LaunchData in the state API, `launched` in the LRS, a
fetch URL per session, tests/lrs.py's LmsFacade in front of Ralph), plays the
sample course as a learner does, and checks what Ralph stored and what the
learner saw. Expected scores and verdicts come from the course model.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from support.learner import Learner
from support.lrs import BASIC_AUTH
from support.paths import ROOT
from support.playthrough import (
    COURSE,
    FIRST_REFLECTION,
    expected_percent,
    play_fast_to_quiz,
    play_from_quiz,
    play_to_quiz,
    quiz_answers,
)

from scormbuild.scenario import main_path

CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
AU = f"{COURSE.iri}/au"
STATE_ID = "scormbuild.state"


class Catalog(dict):
    """The player's messages in one language, as bundled (templates/messages)."""

    def __missing__(self, key: str) -> str:
        raise AssertionError(f"the player has no {key!r} message")


EN, FR = (Catalog(json.loads((ROOT / "templates" / "messages" / f"{tag}.json").read_text("utf-8")))
          for tag in ("en", "fr"))

# The quickest way through: every decision right at the first try.
FAST_CHOICES = {"friend-request": "ignore-and-report", "jenny-message": "pass-to-care-manager"}
# play_to_quiz's way: a wrong first choice, then the right ones.
SLOW_CHOICES = {"friend-request": "accept-and-tell", "jenny-message": "pass-to-care-manager"}


def verb_of(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def in_order(statements: list[dict]) -> list[dict]:
    return sorted(statements, key=lambda s: (s["timestamp"], s["stored"]))


def session_of(statement: dict) -> str | None:
    return (statement.get("context", {}).get("extensions") or {}).get(CMI5_SESSION)


def fill(text: str, **values: object) -> str:
    """A catalog message with its {placeholders} filled in, as the player does."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), text)


def percent(value: float, language: str = "en") -> str:
    """A percentage as the player writes it in the interface language (French: a no-break space before %)."""
    return f"{round(value)}\u00a0%" if language == "fr" else f"{round(value)}%"


@dataclass
class Session:
    url: str
    session_id: str
    token: str


class Cmi5Lms:
    """The LMS's side of cmi5 for one learner and one registration; each session() is a new launch."""

    def __init__(self, facade: Any, web_root: Any, sample_dist: dict, name: str = "Alex") -> None:
        self.facade = facade
        self.web_root = web_root
        self.registration = str(uuid.uuid4())
        self.actor = {"objectType": "Agent", "name": name,
                      "mbox": f"mailto:{name.lower()}-{self.registration[:8]}@example.org"}
        self.path = web_root.add_package(sample_dist["cmi5"], "cmi5-spec")
        self.return_url = f"{web_root.base}/lms.html"

    def session(self, launch_mode: str = "Normal", mastery: float | None = COURSE.pass_mark / 100,
                context_activities: dict | None = None) -> Session:
        session_id = str(uuid.uuid4())
        activities = context_activities or {"grouping": [{"id": COURSE.iri, "objectType": "Activity"}]}
        template = {"contextActivities": activities, "extensions": {CMI5_SESSION: session_id}}
        launch_data = {"contextTemplate": template, "launchMode": launch_mode, "moveOn": "CompletedAndPassed",
                       "returnURL": self.return_url}
        if mastery is not None:
            launch_data["masteryScore"] = mastery
        self.facade.put_state(AU, self.actor, self.registration, "LMS.LaunchData", launch_data)
        self._launched(session_id, launch_mode)
        token = session_id[:8]
        query = urllib.parse.urlencode({"endpoint": f"{self.web_root.base}/lrs/",
                                        "fetch": f"{self.web_root.base}/lrs/fetch?token={token}",
                                        "actor": json.dumps(self.actor), "registration": self.registration,
                                        "activityId": AU})
        return Session(f"{self.path}?{query}", session_id, token)

    def open(self, page: Any, **options: Any) -> tuple[Session, Learner]:
        """A new session, launched in ``page`` as the LMS launches the AU."""
        session = self.session(**options)
        learner = Learner(page, self.web_root.base)
        learner.launch("cmi5", session.url)
        return session, learner

    def _launched(self, session_id: str, launch_mode: str) -> None:
        """The LMS records `launched` before the AU starts (cmi5 9.3.1)."""
        statement = {"id": str(uuid.uuid4()), "actor": self.actor,
                     "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
                     "object": {"id": AU, "objectType": "Activity"},
                     "context": {"registration": self.registration, "extensions": {CMI5_SESSION: session_id},
                                 "contextActivities": {"category": [{"id": CMI5_CATEGORY}]}},
                     "result": {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/launchmode": launch_mode}}}
        request = urllib.request.Request(self.facade.lrs.endpoint + "statements", data=json.dumps(statement).encode(),
                                         method="POST", headers={"Authorization": BASIC_AUTH,
                                                                 "X-Experience-API-Version": "1.0.3",
                                                                 "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30):
            pass

    def saved_state(self) -> bytes | None:
        return self.facade.get_state(AU, self.actor, self.registration, STATE_ID)

    def stored(self, ralph: Any, session: Session | None = None) -> list[dict]:
        found = ralph.statements(registration=self.registration)
        return in_order([s for s in found if session is None or session_of(s) == session.session_id])

    def wait_for(self, ralph: Any, predicate: Callable[[list[dict]], bool], session: Session | None = None,
                 timeout: float = 30) -> list[dict]:
        """Poll Ralph until ``predicate`` holds for this registration's (or session's) statements."""
        ralph.wait_for(lambda found: predicate(in_order([s for s in found if session is None
                                                         or session_of(s) == session.session_id])),
                       timeout=timeout, registration=self.registration)
        return self.stored(ralph, session)


def verbs(statements: list[dict], au_only: bool = False) -> list[str]:
    return [verb_of(s) for s in statements if not au_only or s["object"]["id"] == AU]


def settled(learner: Learner, timeout: float = 15000) -> None:
    """Wait until the player's statement queue has nothing left to send."""
    learner.course_frame.wait_for_function(
        "() => { const q = ScormbuildRuntime.queue; return !!q && q.items.length === 0 && !q.sending; }",
        timeout=timeout)


def reopen(learner: Learner, url: str) -> None:
    """The same launch URL again in the same window: a reload of the AU."""
    learner.page.evaluate("src => { document.getElementById('course').src = src; }", url)
    expect(learner.scene_locator()).to_have_count(1)


def wait_until_returned(learner: Learner, return_url: str) -> None:
    learner.page.wait_for_function("url => document.getElementById('course').contentWindow.location.href === url",
                                   arg=return_url, timeout=15000)


def play_fast(learner: Learner, answers: dict[str, list[str]]) -> None:
    play_fast_to_quiz(learner)
    play_from_quiz(learner, answers)


def result_lines(score: int, pass_mark: float) -> list[str]:
    """What the end scene says, from the English catalog."""
    verdict = EN["result_passed"] if score >= pass_mark else EN["result_failed"]
    return [fill(EN["result_score"], score=percent(score)), fill(verdict, **{"pass": percent(pass_mark)})]


def expect_result(learner: Learner, lines: list[str]) -> None:
    expect(learner.scene_locator().locator(".result p")).to_have_text(lines)


def categories(statement: dict) -> set[str]:
    return {c["id"] for c in statement["context"]["contextActivities"].get("category", [])}


# ---- P7 (10.2.6): Exit --------------------------------------------------------------------------------

def test_cmi5_exit_in_the_header_terminates_after_delivery_and_goes_to_return_url(page, web_root, sample_dist,
                                                                                   facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    exit_button = learner.frame.locator('header [data-action="exit"]')
    expect(exit_button).to_be_visible()
    expect(exit_button).to_have_text(EN["exit"])
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.expect_scene("accept-reflect")
    facade.delay_statements = 1.0  # every delivery now takes a second: Exit has to wait for it
    exit_button.click()
    expect(learner.frame.locator("#save-status")).to_have_text(EN["status_exiting"])
    wait_until_returned(learner, lms.return_url)
    # Read at once: the AU left only after the LRS had everything, terminated included.
    stored = lms.stored(ralph)
    assert Counter(verbs(stored)) == Counter({"launched": 1, "initialized": 1, "experienced": 3, "answered": 1,
                                              "terminated": 1})
    terminated = stored[-1]
    assert verb_of(terminated) == "terminated" and terminated["object"]["id"] == AU
    assert categories(terminated) == {CMI5_CATEGORY} and session_of(terminated) == session.session_id
    assert terminated["result"]["duration"].startswith("PT")
    facade.delay_statements = 0.0
    time.sleep(1.5)  # the page is gone (pagehide): nothing more may follow terminated
    assert len(lms.stored(ralph)) == len(stored)


def test_cmi5_exit_while_the_lrs_is_down_waits_until_everything_is_stored(page, web_root, sample_dist, facade,
                                                                          ralph):
    """After terminated no other session may send this one's statements: Exit keeps retrying, says
    so, and leaves for returnURL only once the LRS has them all."""
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.expect_scene("accept-reflect")
    settled(learner)
    facade.fail_statements = 3  # the next three deliveries fail: about 1 + 2 + 4 s of back-off
    learner.frame.locator('header [data-action="exit"]').click()
    expect(learner.frame.locator("#save-status")).to_contain_text("Not sent yet", timeout=10000)
    wait_until_returned(learner, lms.return_url)
    assert Counter(verbs(lms.stored(ralph))) == Counter({"launched": 1, "initialized": 1, "experienced": 3,
                                                        "answered": 1, "terminated": 1})


def test_cmi5_exit_on_the_end_scene(page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    answers = quiz_answers(correct=True)
    play_fast(learner, answers)
    score = expected_percent(FAST_CHOICES, answers)
    expect_result(learner, result_lines(score, COURSE.pass_mark))
    end_exit = learner.scene_locator().locator('[data-action="exit"]')
    expect(end_exit).to_be_visible()
    expect(end_exit).to_have_text(EN["exit"])
    end_exit.click()
    wait_until_returned(learner, lms.return_url)
    outcome = "passed" if score >= COURSE.pass_mark else "failed"
    defined = verbs(lms.stored(ralph), au_only=True)  # completed and the verdict may share a timestamp
    assert defined[:2] == ["launched", "initialized"] and defined[-1] == "terminated"
    assert Counter(defined[2:-1]) == Counter(["completed", outcome])


@pytest.mark.parametrize("standard", ["xapi", "scorm12", "scorm2004"])
def test_exit_is_offered_only_in_cmi5(standard, page, web_root, sample_dist, facade):
    """Tin Can and SCORM have no returnURL: the LMS closes the course; no Exit of the course's own."""
    path = web_root.add_package(sample_dist[standard], f"no-exit-{standard}")
    learner = Learner(page, web_root.base)
    if standard == "xapi":
        actor = {"objectType": "Agent", "name": "Sam", "mbox": f"mailto:sam-{uuid.uuid4().hex[:8]}@example.org"}
        query = urllib.parse.urlencode({"endpoint": f"{web_root.base}/lrs/", "auth": BASIC_AUTH,
                                        "actor": json.dumps(actor), "registration": str(uuid.uuid4())})
        learner.launch("xapi", f"{path}?{query}")
        expect(learner.frame.locator("#save-status")).to_have_text(EN["status_lrs_saved"])
    else:
        learner.launch(standard, path)
    # The template has the control (cmi5 shows it); here it stays hidden, at the start and at the end.
    assert learner.frame.locator('[data-action="exit"]').count() >= 2
    expect(learner.frame.locator('[data-action="exit"]:visible')).to_have_count(0)
    play_fast(learner, quiz_answers(correct=True))
    expect(learner.scene_locator().locator(".result p").first).to_be_visible()
    expect(learner.frame.locator('[data-action="exit"]:visible')).to_have_count(0)


# ---- P8 (9.3): completed and passed/failed once per registration ---------------------------------------

def test_cmi5_second_session_of_a_finished_registration_sends_no_second_result(page, web_root, sample_dist,
                                                                                facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    first, learner = lms.open(page)
    answers = quiz_answers(correct=True)
    play_fast(learner, answers)
    learner.leave()
    lms.wait_for(ralph, lambda found: "terminated" in verbs(found), first)
    score = expected_percent(FAST_CHOICES, answers)
    outcome = "passed" if score >= COURSE.pass_mark else "failed"

    # A new session of the same registration on another device: the LMS's State document is all there is.
    second = lms.session()
    other = page.context.browser.new_context()
    try:
        again = Learner(other.new_page(), web_root.base)
        again.launch("cmi5", second.url)
        again.expect_scene("end")
        expect_result(again, result_lines(score, COURSE.pass_mark))
        settled(again)
        again.leave()
        stored = lms.wait_for(ralph, lambda found: "terminated" in verbs(found), second)
    finally:
        other.close()
    assert verbs(stored, au_only=True) == ["launched", "initialized", "terminated"]
    everything = Counter(verbs(lms.stored(ralph)))
    assert everything["completed"] == 1 and everything[outcome] == 1
    assert everything["passed" if outcome == "failed" else "failed"] == 0


# ---- P9 (11.0): learner preferences ---------------------------------------------------------------------

@pytest.mark.parametrize("preferences", [
    {"languagePreference": "fr-FR,en", "audioPreference": "off"},
    404,
    403,
], ids=["french-audio-off", "none-404", "forbidden-403"])
def test_cmi5_reads_the_learner_preferences(preferences, page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session = lms.session()
    facade.preferences = None if preferences == 404 else preferences
    learner = Learner(page, web_root.base)
    learner.launch("cmi5", session.url)
    settled(learner)
    profile_requests = facade.requests("agents/profile", "GET")
    assert len(profile_requests) == 1, "the AU must ask once for the learner's preferences"
    asked = profile_requests[0]
    assert asked.query["profileId"] == "cmi5LearnerPreferences"
    assert json.loads(asked.query["agent"]) == lms.actor
    first_statement = facade.requests("statements")[0]
    assert asked.at < first_statement.at  # read at the start, before initialized

    french = isinstance(preferences, dict)
    t = FR if french else EN
    frame = learner.frame
    # The interface follows the learner's language; the course's own text stays as written.
    expect(frame.locator('header [data-action="exit"]')).to_have_text(t["exit"])
    expect(learner.scene_locator().locator('[data-action="next"]')).to_have_text(t["continue"])
    expect(frame.locator("#step-label")).to_have_text(fill(t["step_n_of_m"], n=1, m=len(main_path(COURSE))))
    expect(frame.locator("#save-status")).to_have_text(t["status_lrs_saved"])
    expect(learner.scene_locator().locator("h1")).to_have_text(COURSE.scenes["welcome"].title)
    if french:
        expect(frame.locator("#save-status")).to_have_attribute("lang", "fr")
        answers = quiz_answers(correct=True)
        play_fast(learner, answers)
        score = expected_percent(FAST_CHOICES, answers)
        expect_result(learner, [fill(FR["result_score"], score=percent(score, "fr")),
                                fill(FR["result_passed"], **{"pass": percent(COURSE.pass_mark, "fr")})])
        learner.leave()
        stored = lms.wait_for(ralph, lambda found: "terminated" in verbs(found), session)
        assert Counter(verbs(stored))["answered"] == 2 + len(answers) + 1
        # Statements still say which language the course is in.
        assert {s["context"].get("language") for s in stored if verb_of(s) == "answered"} == {COURSE.language}
    else:
        learner.continue_()
        learner.choose("ignore-and-report")
        learner.expect_scene("right-feedback")
        stored = lms.wait_for(ralph, lambda found: Counter(verbs(found))["experienced"] == 3, session)
        assert Counter(verbs(stored))["initialized"] == 1 and Counter(verbs(stored))["answered"] == 1


# ---- P11, P23: one session's queue; refused credentials ----------------------------------------------------

def test_cmi5_statements_of_an_ended_session_are_never_sent_by_the_next(page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    first, learner = lms.open(page)
    learner.continue_()
    settled(learner)
    facade.end_session(first.token, 401)  # the LMS abandons the session: its statements are refused from now on
    learner.choose("accept-and-tell")
    learner.reflect(FIRST_REFLECTION)
    learner.course_frame.wait_for_function("document.getElementById('save-status').classList.contains('status-error')")
    told = learner.status_text()
    learner.leave()
    refused = {s["id"] for r in facade.requests("statements", session=first.token) if r.status == 401
               for s in r.statements}
    assert refused  # the answers of the ended session stay on this device

    second = lms.session()
    learner.launch("cmi5", second.url)  # the same browser: the first session's statements are still stored here
    settled(learner)
    expect(learner.frame.locator("#save-status")).to_have_text(EN["status_lrs_saved"])
    sent = [s for r in facade.requests("statements", session=second.token) for s in r.statements]
    assert sent and all(session_of(s) == second.session_id for s in sent)
    stored = lms.stored(ralph)
    assert not refused & {s["id"] for s in stored}
    assert Counter(verbs(lms.stored(ralph, second))) == Counter(["launched", "initialized", "experienced"])
    assert told == EN["status_lrs_auth"]  # what the learner was told in the ended session


@pytest.mark.parametrize("status", [401, 403])
def test_cmi5_refused_credentials_stop_sending_and_keep_the_statements(status, page, web_root, sample_dist, facade,
                                                                     ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    learner.continue_()
    settled(learner)
    before = len(lms.stored(ralph))
    facade.end_session(session.token, status)
    # The learner goes on clicking: each click records something, none may send it again.
    learner.choose("accept-and-tell")
    learner.reflect(FIRST_REFLECTION)
    learner.continue_()
    learner.pick_option("try-again")
    learner.choose("ignore-and-report")
    learner.continue_()
    learner.expect_scene("jenny-message")
    time.sleep(3)  # a back-off would have retried by now (1 s, then 2 s)
    refused = [r for r in facade.requests("statements", session=session.token) if r.status == status]
    assert len(refused) == 1
    queued = learner.course_frame.evaluate("""() => {
        const q = ScormbuildRuntime.queue;
        return {items: q.items, stored: JSON.parse(localStorage.getItem(q.key))};
    }""")
    assert Counter(verbs(queued["items"])) == Counter({"answered": 3, "experienced": 5})
    assert [s["id"] for s in queued["stored"]] == [s["id"] for s in queued["items"]]
    assert len(lms.stored(ralph)) == before
    expect(learner.frame.locator("#save-status")).to_have_text(EN["status_lrs_auth"])


def test_a_failing_lrs_is_retried_with_back_off_not_on_every_click(page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    learner.continue_()
    settled(learner)
    facade.fail_statements = 1000
    # About four seconds of clicking while the LRS fails: each click records something.
    for step in (lambda: learner.choose("accept-and-tell"), lambda: learner.reflect(FIRST_REFLECTION),
                 learner.continue_, lambda: learner.pick_option("try-again"),
                 lambda: learner.choose("ignore-and-report"), learner.continue_):
        step()
        time.sleep(0.6)
    learner.expect_scene("jenny-message")
    expect(learner.frame.locator("#save-status")).to_have_text(EN["status_lrs_retrying"])
    failed = [r.at for r in facade.requests("statements", session=session.token) if r.status == 500]
    facade.fail_statements = 0
    gaps = [b - a for a, b in zip(failed, failed[1:], strict=False)]
    # The first try and the retries after 1 s and 2 s more; never one per click.
    assert 2 <= len(failed) <= 4 and all(gap > 0.8 for gap in gaps), gaps
    stored = lms.wait_for(ralph, lambda found: Counter(verbs(found))["experienced"] == 7, session)
    assert Counter(verbs(stored)) == Counter({"launched": 1, "initialized": 1, "answered": 3, "experienced": 7})


# ---- P12 (10.2.2): Browse and Review ------------------------------------------------------------------------

def test_cmi5_browse_sends_initialized_and_terminated_only(page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page, launch_mode="Browse")
    notice = learner.frame.locator("#notice").inner_text()
    play_to_quiz(learner)
    play_from_quiz(learner, quiz_answers(correct=True))
    result = learner.scene_locator().locator(".result").inner_text()
    learner.leave()
    stored = lms.wait_for(ralph, lambda found: "terminated" in verbs(found), session)
    assert verbs(stored) == ["launched", "initialized", "terminated"]
    assert facade.state_writes(STATE_ID) == [] and lms.saved_state() is None
    assert notice == EN["browse_notice"]
    assert result.strip() == EN["browse_end"]  # no score, no verdict


def test_cmi5_review_sends_initialized_and_terminated_only_and_keeps_the_state(page, web_root, sample_dist, facade,
                                                                              ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    normal, learner = lms.open(page)
    answers = quiz_answers(correct=True)
    play_fast(learner, answers)
    learner.leave()
    lms.wait_for(ralph, lambda found: "terminated" in verbs(found), normal)
    saved, writes = lms.saved_state(), len(facade.state_writes(STATE_ID))
    assert saved is not None

    review = lms.session(launch_mode="Review")
    learner.launch("cmi5", review.url)
    learner.expect_scene("end")
    expect(learner.frame.locator("#notice")).to_have_text(EN["review_notice"])
    expect_result(learner, result_lines(expected_percent(FAST_CHOICES, answers), COURSE.pass_mark))
    # Looking through again, answering differently: nothing of it is recorded.
    learner.scene_locator().locator('[data-action="look-again"]').click()
    play_fast(learner, quiz_answers(correct=False))
    learner.leave()
    stored = lms.wait_for(ralph, lambda found: "terminated" in verbs(found), review)
    assert verbs(stored) == ["launched", "initialized", "terminated"]
    assert len(facade.state_writes(STATE_ID)) == writes and lms.saved_state() == saved


@pytest.mark.parametrize("launch_mode", ["Browse", "Review"])
def test_cmi5_browse_and_review_status_line_says_nothing_is_recorded(launch_mode, page, web_root, sample_dist,
                                                                    facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page, launch_mode=launch_mode)
    mode = launch_mode.lower()
    expect(learner.frame.locator("#notice")).to_have_text(EN[f"{mode}_notice"])
    lms.wait_for(ralph, lambda found: "initialized" in verbs(found), session)
    settled(learner)
    learner.continue_()
    # The notice says nothing is recorded; the status line must not say the opposite.
    expect(learner.frame.locator("#save-status")).to_have_text(EN[f"status_{mode}"])


# ---- P20: LaunchData as the LMS gave it; a reload inside the session ---------------------------------------------

def test_cmi5_keeps_the_template_parent_and_adds_mastery_only_when_the_lms_gave_it(page, web_root, sample_dist,
                                                                                   facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    block = {"id": f"{COURSE.iri}/block/1", "objectType": "Activity"}
    session, learner = lms.open(page, mastery=None, context_activities={
        "parent": [block], "grouping": [{"id": COURSE.iri, "objectType": "Activity"}]})
    answers = quiz_answers(correct=True)
    play_fast(learner, answers)
    score = expected_percent(FAST_CHOICES, answers)
    expect_result(learner, result_lines(score, COURSE.pass_mark))  # no masteryScore: the course's pass mark
    learner.leave()
    stored = lms.wait_for(ralph, lambda found: "terminated" in verbs(found), session)
    judged = next(s for s in stored if verb_of(s) in ("passed", "failed"))
    assert verb_of(judged) == ("passed" if score >= COURSE.pass_mark else "failed")
    assert MASTERY not in judged["context"]["extensions"]
    assert judged["context"]["extensions"][CMI5_SESSION] == session.session_id
    allowed = [s for s in stored if verb_of(s) in ("answered", "experienced")]
    assert len(allowed) == 2 + len(answers) + 1 + 10
    for statement in allowed:
        parent = statement["context"]["contextActivities"]["parent"]
        assert parent[0]["id"] == block["id"], parent  # the LMS's first, ours after it
        assert AU in [a["id"] for a in parent]


def test_cmi5_reload_inside_a_session_goes_on_with_it(page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.expect_scene("accept-reflect")
    settled(learner)
    learner.page.evaluate("document.getElementById('course').contentWindow.location.reload()")
    learner.expect_scene("accept-reflect")
    expect(learner.frame.locator("#notice")).to_have_text(EN["resumed"])
    learner.reflect(FIRST_REFLECTION)
    learner.continue_()
    learner.expect_scene("accept-feedback")
    stored = lms.wait_for(ralph, lambda found: any(s["object"]["id"].endswith("/accept-feedback") for s in found),
                          session)
    assert len(facade.requests("fetch", "POST")) == 1  # the one-time fetch URL was not used again
    counts = Counter(verbs(stored))
    assert counts["initialized"] == 1 and counts["terminated"] == 0
    reflection = [s for s in stored if verb_of(s) == "answered" and s["result"]["response"] == FIRST_REFLECTION]
    assert len(reflection) == 1


# ---- P21: leaving without Exit --------------------------------------------------------------------------------

def test_cmi5_leaving_mid_course_leaves_the_session_open(page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.expect_scene("accept-reflect")
    settled(learner)
    writes = len(facade.state_writes(STATE_ID))
    learner.leave()
    deadline = time.monotonic() + 10
    while len(facade.state_writes(STATE_ID)) == writes and time.monotonic() < deadline:
        time.sleep(0.1)  # the page's last save (pagehide) has arrived
    time.sleep(1.5)
    assert "terminated" not in verbs(lms.stored(ralph, session))
    # The window opens again in the same session and goes on.
    reopen(learner, session.url)
    learner.expect_scene("accept-reflect")
    learner.reflect(FIRST_REFLECTION)
    learner.frame.locator('header [data-action="exit"]').click()
    wait_until_returned(learner, lms.return_url)
    stored = lms.stored(ralph, session)
    assert Counter(verbs(stored, au_only=True)) == Counter({"launched": 1, "initialized": 1, "terminated": 1})
    assert verbs(stored)[-1] == "terminated"
    assert FIRST_REFLECTION in [s["result"]["response"] for s in stored if verb_of(s) == "answered"]


def test_cmi5_leaving_a_finished_course_terminates_and_a_reload_then_sends_nothing(page, web_root, sample_dist,
                                                                                   facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page)
    play_fast(learner, quiz_answers(correct=True))
    learner.leave()
    stored = lms.wait_for(ralph, lambda found: "terminated" in verbs(found), session)
    assert verbs(stored)[-1] == "terminated"
    requests = len(facade.log)

    reopen(learner, session.url)
    expect(learner.frame.locator("#notice")).to_have_text(EN["session_ended"])
    if learner.current_scene() == "end":  # the learner looks around
        learner.scene_locator().locator('[data-action="look-again"]').click()
    learner.continue_()
    learner.choose("ignore-and-report")
    learner.expect_scene("right-feedback")
    time.sleep(1)
    learner.leave()
    time.sleep(1)
    assert facade.log[requests:] == []  # no fetch, no state, no statement
    assert len(lms.stored(ralph)) == len(stored)


# ---- P22: the verdict the learner sees is the one recorded ----------------------------------------------------

@pytest.mark.parametrize("mastery, choices, correct", [
    (0.95, SLOW_CHOICES, True),   # above the course's pass mark: a score the course would pass fails
    (0.4, FAST_CHOICES, False),   # below it: a score the course would fail passes
], ids=["stricter", "lenient"])
def test_cmi5_end_screen_verdict_matches_the_recorded_one(mastery, choices, correct, page, web_root, sample_dist,
                                                          facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page, mastery=mastery)
    answers = quiz_answers(correct=correct)
    if choices is SLOW_CHOICES:
        play_to_quiz(learner)
        play_from_quiz(learner, answers)
    else:
        play_fast(learner, answers)
    score = expected_percent(choices, answers)
    passed = score >= mastery * 100
    assert passed != (score >= COURSE.pass_mark)  # the case where the two pass marks disagree
    expect_result(learner, result_lines(score, mastery * 100))
    learner.leave()
    stored = lms.wait_for(ralph, lambda found: "terminated" in verbs(found), session)
    [judged] = [s for s in stored if verb_of(s) in ("passed", "failed")]
    assert verb_of(judged) == ("passed" if passed else "failed")
    assert judged["result"]["success"] is passed
    assert judged["result"]["score"]["scaled"] == pytest.approx(score / 100)
    assert judged["context"]["extensions"][MASTERY] == mastery
    assert categories(judged) == {CMI5_CATEGORY, MOVEON_CATEGORY}
