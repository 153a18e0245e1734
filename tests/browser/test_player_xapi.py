"""xAPI and cmi5 packages played in Chromium, with statements stored in a real LRS (Ralph).

The test reads the statements back from Ralph and checks them against the
course model: one `answered` per answer with the right response and success,
the expected course-level verbs, and no statement stored twice.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
import uuid
from collections import Counter

import pytest
from playwright.sync_api import expect
from support.learner import Learner
from support.lrs import BASIC_AUTH, PASSWORD, USER, free_port
from support.playthrough import (
    COURSE,
    FIRST_REFLECTION,
    SECOND_REFLECTION,
    expected_percent,
    play_from_quiz,
    play_to_quiz,
    quiz_answers,
)
from tincan import Activity, Agent, RemoteLRS, Statement, Verb

from scormbuild.kinds.quiz import QuizScene

FIRST_CHOICES = {"friend-request": "accept-and-tell", "jenny-message": "pass-to-care-manager"}
CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"


def verb_of(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def in_order(statements: list[dict]) -> list[dict]:
    return sorted(statements, key=lambda s: s["timestamp"])


def expected_answers() -> list[tuple[str, str, bool | None]]:
    """(interaction id, xAPI response, success) for the sample path, from the model."""
    quiz = COURSE.scenes["ending-quiz"]
    assert isinstance(quiz, QuizScene)
    answers = quiz_answers(correct=True)
    rows: list[tuple[str, str, bool | None]] = [
        ("friend-request", "accept-and-tell", False),
        ("accept-reflect", FIRST_REFLECTION, None),
        ("friend-request", "ignore-and-report", True),
        ("jenny-message", "pass-to-care-manager", True),
    ]
    for question in quiz.questions:
        rows.append((f"ending-quiz_{question.id}", "[,]".join(answers[question.id]), True))
    rows.append(("disclosure-reflect", SECOND_REFLECTION, None))
    return rows


def check_answered(statements: list[dict]) -> None:
    answered = [s for s in in_order(statements) if verb_of(s) == "answered"]
    base = f"{COURSE.iri}/interactions/"
    got = [(s["object"]["id"][len(base):], s["result"]["response"], s["result"].get("success")) for s in answered]
    assert got == expected_answers()
    decision = answered[0]
    definition = decision["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["ignore-and-report"]
    assert {c["id"] for c in definition["choices"]} == {c.id for c in COURSE.scenes["friend-request"].choices}
    assert decision["result"]["score"] == {"raw": 0, "min": 0, "max": 10, "scaled": 0}
    assert answered[1]["object"]["definition"]["interactionType"] == "long-fill-in"
    for statement in answered:
        assert statement["context"]["contextActivities"]["parent"][0]["id"]


def play_whole_course(learner: Learner, ralph, registration: str) -> tuple[list[dict], dict[str, list[str]]]:
    """Play the sample path, leave, and return what the LRS stored (answers checked)."""
    play_to_quiz(learner)
    answers = quiz_answers(correct=True)
    play_from_quiz(learner, answers)
    learner.leave()
    statements = ralph.wait_for(lambda found: any(verb_of(s) == "terminated" for s in found),
                                registration=registration)
    check_answered(statements)
    return statements, answers


def tincan_launch(path: str, endpoint: str, actor: dict, registration: str) -> str:
    query = urllib.parse.urlencode({"endpoint": endpoint, "auth": BASIC_AUTH, "actor": json.dumps(actor),
                                    "registration": registration, "activity_id": COURSE.iri})
    return f"{path}?{query}"


def test_xapi_package_sends_every_answer_to_a_real_lrs(page, web_root, sample_dist, ralph):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Sam Carer", "mbox": f"mailto:sam-{registration[:8]}@example.org"}
    path = web_root.add_package(sample_dist["xapi"], "xapi")
    learner = Learner(page, web_root.base)
    # Straight to Ralph on another port: real cross-origin requests, as from an LMS to an LRS.
    learner.launch("xapi", tincan_launch(path, ralph.endpoint, actor, registration))
    # Connected, and soon after "Progress saved" once `initialized` is stored: either may be showing.
    expect(learner.frame.locator("#save-status")).to_have_text(re.compile("learning record store|Progress saved"))
    statements, answers = play_whole_course(learner, ralph, registration)
    course_verbs = [verb_of(s) for s in in_order(statements) if s["object"]["id"] == COURSE.iri]
    percent = expected_percent(FIRST_CHOICES, answers)
    assert course_verbs == ["initialized", "completed", "passed" if percent >= COURSE.pass_mark else "failed",
                            "terminated"]
    passed = next(s for s in statements if verb_of(s) in ("passed", "failed"))
    assert passed["result"]["score"]["raw"] == percent
    assert passed["result"]["score"]["scaled"] == pytest.approx(percent / 100)
    experienced = [s["object"]["id"].rsplit("/", 1)[-1] for s in in_order(statements) if verb_of(s) == "experienced"]
    assert experienced[:3] == ["welcome", "friend-request", "accept-reflect"] and experienced[-1] == "end"
    # Exactly once: as many statements as the learner's actions produced, each id once.
    assert len({s["id"] for s in statements}) == len(statements)
    assert Counter(verb_of(s) for s in statements) == Counter(
        {"initialized": 1, "experienced": len(experienced), "answered": len(expected_answers()), "completed": 1,
         "passed" if percent >= COURSE.pass_mark else "failed": 1, "terminated": 1})
    assert all(s["actor"]["mbox"] == actor["mbox"] and s["context"]["registration"] == registration for s in statements)
    # Each answer carries the course's variables after it (a result extension under the course's IRI).
    answered = [s for s in in_order(statements) if verb_of(s) == "answered"]
    variables = [s["result"]["extensions"][COURSE.iri + "/extensions/variables"] for s in answered]
    assert variables[0] == {"told_care_manager": True}  # the first answer, accept-and-tell, tells her care manager
    assert all(v == {"told_care_manager": True} for v in variables)

    # What the training team sees afterwards: `scormbuild report`, read back from the same LRS.
    rows = json.loads(run_report(ralph, "--activity", COURSE.iri, "--format", "json"))
    mine = next(row for row in rows if row["learner"] == actor["mbox"])
    assert mine["name"] == actor["name"]
    assert mine["decisions"] == {"friend-request": ["accept-and-tell (wrong)", "ignore-and-report (right)"],
                                 "jenny-message": ["pass-to-care-manager (right)"]}
    assert mine["reflections"] == {"accept-reflect": FIRST_REFLECTION, "disclosure-reflect": SECOND_REFLECTION}
    quiz = COURSE.scenes["ending-quiz"]
    assert mine["quiz"] == {"right": len(quiz.questions), "answered": len(quiz.questions)}
    assert mine["completed"] is True and mine["result"] == ("passed" if percent >= COURSE.pass_mark else "failed")
    assert mine["score"] == percent
    table = run_report(ralph, "--activity", COURSE.iri)
    assert f"{actor['name']} <{actor['mbox']}>: completed, passed, score {percent}%" in table
    assert "decision friend-request: accept-and-tell (wrong) -> ignore-and-report (right)" in table
    rows_csv = run_report(ralph, "--activity", COURSE.iri, "--format", "csv").splitlines()
    assert rows_csv[0].startswith("learner,name,kind,item,response,success")
    assert sum(1 for row in rows_csv if row.startswith(actor["mbox"] + ",")) == len(expected_answers())


def run_report(ralph, *args: str, password: str = PASSWORD, endpoint: str | None = None) -> str:
    result = subprocess.run([sys.executable, "-m", "scormbuild", "report", "--endpoint", endpoint or ralph.endpoint,
                             "--user", USER, "--password", password, *args],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return result.stdout


@pytest.mark.parametrize("problem, message", [
    ("password", "refused the credentials"),
    ("endpoint", "no xAPI statements resource"),
    ("unreachable", "cannot reach the LRS"),
])
def test_report_explains_what_is_wrong(ralph, problem, message):
    endpoint = {"password": ralph.endpoint, "endpoint": ralph.endpoint.replace("/xAPI/", "/nothing-here/"),
                "unreachable": f"http://127.0.0.1:{free_port()}/xAPI/"}[problem]
    result = subprocess.run([sys.executable, "-m", "scormbuild", "report", "--endpoint", endpoint, "--user", USER,
                             "--password", "wrong" if problem == "password" else PASSWORD],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def launch_cmi5(facade, web_root, sample_dist, actor: dict, launch_mode: str = "Normal") -> tuple[str, str, str]:
    """Act as the cmi5 LMS: LaunchData in the state API, `launched` in the LRS, the launch URL."""
    registration, session = str(uuid.uuid4()), str(uuid.uuid4())
    au = f"{COURSE.iri}/au"
    template = {"contextActivities": {"grouping": [{"id": COURSE.iri, "objectType": "Activity"}]},
                "extensions": {CMI5_SESSION: session}}
    facade.put_state(au, actor, registration, "LMS.LaunchData", {
        "contextTemplate": template, "launchMode": launch_mode, "masteryScore": COURSE.pass_mark / 100,
        "moveOn": "CompletedAndPassed", "returnURL": f"{web_root.base}/lms.html"})
    lrs = RemoteLRS(endpoint=facade.lrs.endpoint, username=USER, password=PASSWORD, version="1.0.3")
    launched = Statement(actor=Agent(name=actor["name"], mbox=actor["mbox"]), verb=Verb(id="http://adlnet.gov/expapi/verbs/launched"),
                         object=Activity(id=au), context={"registration": registration, "extensions": {CMI5_SESSION: session},
                                                           "contextActivities": {"category": [{"id": CMI5_CATEGORY}]}})
    response = lrs.save_statement(launched)
    assert response.success, response.data
    path = web_root.add_package(sample_dist["cmi5"], "cmi5")
    query = urllib.parse.urlencode({"endpoint": f"{web_root.base}/lrs/", "fetch": f"{web_root.base}/lrs/fetch?token=1",
                                    "actor": json.dumps(actor), "registration": registration, "activityId": au})
    return f"{path}?{query}", registration, session


def test_cmi5_au_follows_the_launch_sequence_and_the_context_template(page, web_root, sample_dist, facade, ralph):
    actor = {"objectType": "Agent", "name": "Alex", "mbox": f"mailto:alex-{uuid.uuid4().hex[:8]}@example.org"}
    url, registration, session = launch_cmi5(facade, web_root, sample_dist, actor)
    learner = Learner(page, web_root.base)
    learner.launch("cmi5", url)
    statements, answers = play_whole_course(learner, ralph, registration)
    au = f"{COURSE.iri}/au"
    defined = [s for s in in_order(statements) if s["object"]["id"] == au]
    percent = expected_percent(FIRST_CHOICES, answers)
    outcome = "passed" if percent / 100 >= COURSE.pass_mark / 100 else "failed"
    assert [verb_of(s) for s in defined] == ["launched", "initialized", "completed", outcome, "terminated"]
    for statement in statements:
        assert statement["context"]["registration"] == registration
        assert statement["context"]["extensions"][CMI5_SESSION] == session
        categories = {c["id"] for c in statement["context"]["contextActivities"].get("category", [])}
        if verb_of(statement) in ("initialized", "terminated"):
            assert categories == {CMI5_CATEGORY}
        elif verb_of(statement) in ("completed", "passed", "failed"):
            assert categories == {CMI5_CATEGORY, MOVEON_CATEGORY}
        elif verb_of(statement) in ("answered", "experienced"):
            assert CMI5_CATEGORY not in categories  # "cmi5 allowed" statements
    judged = next(s for s in defined if verb_of(s) == outcome)
    assert judged["result"]["score"]["scaled"] == pytest.approx(percent / 100)
    assert judged["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == COURSE.pass_mark / 100
    assert len({s["id"] for s in statements}) == len(statements)
    assert Counter(verb_of(s) for s in statements)["answered"] == len(expected_answers())


def play_short(learner: Learner) -> None:
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.reflect(FIRST_REFLECTION)
    learner.continue_()
    learner.pick_option("try-again")
    learner.choose("ignore-and-report")
    learner.expect_scene("right-feedback")


@pytest.mark.parametrize("fault", ["http-500", "lrs-stopped"])
def test_statements_survive_an_lrs_outage_exactly_once(fault, page, web_root, sample_dist, facade, ralph):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Robin", "mbox": f"mailto:robin-{registration[:8]}@example.org"}
    path = web_root.add_package(sample_dist["xapi"], "xapi-fault")
    learner = Learner(page, web_root.base)
    learner.launch("xapi", tincan_launch(path, f"{web_root.base}/lrs/", actor, registration))
    learner.continue_()
    if fault == "http-500":
        facade.fail_statements = 4
    else:
        ralph.stop()
    learner.choose("accept-and-tell")
    learner.reflect(FIRST_REFLECTION)
    expect(learner.frame.locator("#save-status")).to_contain_text("Not sent yet")
    learner.continue_()
    learner.pick_option("try-again")
    learner.choose("ignore-and-report")
    learner.expect_scene("right-feedback")
    if fault == "lrs-stopped":
        ralph.start()
    # The player's own retries (back-off up to 30 s) deliver everything once the LRS is back.
    expected = {"initialized": 1, "answered": 3, "experienced": 6}
    statements = ralph.wait_for(
        lambda found: Counter(verb_of(s) for s in found) == Counter(expected), timeout=60, registration=registration)
    assert Counter(verb_of(s) for s in statements) == Counter(expected)
    expect(learner.frame.locator("#save-status")).to_have_text("Progress saved", timeout=30000)
    assert learner.course_frame.evaluate("ScormbuildRuntime.queue.items.length") == 0


@pytest.mark.parametrize("configured_by", ["lrs.json", "launch URL"])
def test_a_scorm_package_also_sends_statements_to_an_lrs_the_admin_configured(page, web_root, sample_dist, ralph,
                                                                             configured_by):
    path = web_root.add_package(sample_dist["scorm12"], f"scorm12-with-lrs-{configured_by[:3]}")
    learner_id = f"learner-{uuid.uuid4().hex[:8]}"
    config = {"endpoint": ralph.endpoint, "auth": BASIC_AUTH, "homePage": "https://lms.example.org"}
    if configured_by == "lrs.json":
        (web_root.folder / path).parent.joinpath("lrs.json").write_text(json.dumps(config), "utf-8")
    else:
        path += "?" + urllib.parse.urlencode(config)
    learner = Learner(page, web_root.base)
    learner.page.goto(f"{web_root.base}/lms.html")
    learner.page.evaluate("""([src, id]) => {
        startLms("scorm12", src, {cmi: {core: {student_id: id, student_name: "Learner, Test"}}});
    }""", [path, learner_id])
    expect(learner.scene_locator()).to_have_count(1)
    play_short(learner)
    agent = json.dumps({"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": learner_id}})
    statements = ralph.wait_for(lambda found: Counter(verb_of(s) for s in found)["answered"] == 3, agent=agent)
    answered = [s for s in in_order(statements) if verb_of(s) == "answered"]
    assert [s["result"]["response"] for s in answered] == ["accept-and-tell", FIRST_REFLECTION, "ignore-and-report"]
    # The SCORM side is unchanged: the LMS has the same three interactions.
    assert learner.page.evaluate("lmsApi.LMSGetValue('cmi.interactions._count')") == "3"


def test_xapi_learner_who_leaves_is_suspended_and_resumes_where_they_were(page, web_root, sample_dist, facade, ralph):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Kim", "mbox": f"mailto:kim-{registration[:8]}@example.org"}
    path = web_root.add_package(sample_dist["xapi"], "xapi-resume")
    url = tincan_launch(path, f"{web_root.base}/lrs/", actor, registration)
    learner = Learner(page, web_root.base)
    learner.launch("xapi", url)
    play_short(learner)
    learner.leave()
    ralph.wait_for(lambda found: any(verb_of(s) == "suspended" for s in found), registration=registration)

    # Another device: no local copy, so the state must come from the LMS/LRS state API.
    other = page.context.browser.new_context()
    try:
        again = Learner(other.new_page(), web_root.base)
        again.launch("xapi", url)
        again.expect_scene("right-feedback")
        expect(again.frame.locator("#notice")).to_contain_text("Welcome back")
    finally:
        other.close()
    statements = ralph.wait_for(lambda found: any(verb_of(s) == "resumed" for s in found), registration=registration)
    course_verbs = [verb_of(s) for s in in_order(statements) if s["object"]["id"] == COURSE.iri]
    assert course_verbs[:3] == ["initialized", "suspended", "resumed"]


def test_a_request_that_times_out_but_was_stored_is_not_stored_twice(page, web_root, sample_dist, facade, ralph):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Lee", "mbox": f"mailto:lee-{registration[:8]}@example.org"}
    path = web_root.add_package(sample_dist["xapi"], "xapi-timeout")
    learner = Learner(page, web_root.base)
    facade.delay_statements = 11.0  # longer than the player's 10 s request timeout: it gives up, then resends
    learner.launch("xapi", tincan_launch(path, f"{web_root.base}/lrs/", actor, registration))
    learner.continue_()
    learner.choose("ignore-and-report")
    expect(learner.frame.locator("#save-status")).to_contain_text("Not sent yet", timeout=20000)
    facade.delay_statements = 0.0
    expected = Counter({"initialized": 1, "experienced": 3, "answered": 1})
    statements = ralph.wait_for(lambda found: Counter(verb_of(s) for s in found) == expected and
                                learner.course_frame.evaluate("ScormbuildRuntime.queue.items.length") == 0,
                                timeout=60, registration=registration)
    assert Counter(verb_of(s) for s in statements) == expected
    assert len(facade.statement_requests) >= 2  # the same statements were sent again after the timeout
