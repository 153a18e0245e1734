"""The issue's "Done when": simulated learners whose choices follow set probabilities take the
sample course; `scormbuild report` reads what they did from a real LRS (Ralph) and from Moodle's
Interactions report download, and shows those probabilities back within sampling error, the same
from both sources, in the summary and in the HTML report opened in Chromium."""

from __future__ import annotations

import json
import math
import sys

import pytest
from support.lrs import PASSWORD, USER, RalphLRS
from support.paths import ROOT
from support.sandbox import run_scormbuild

sys.path.insert(0, str(ROOT / "bench"))

from learners import (  # noqa: E402
    MoodleInteractionsReport,
    XapiWriter,
    default_probabilities,
    expected_shares,
    interaction_count,
    ralph_lines,
    simulate,
)

from scormbuild.course import load_course  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = ROOT / "content" / "professional-boundaries"
LEARNERS = 800
SEED = 2026
SIGMAS = 4.5  # a share further than this many standard errors from its probability fails


def set_probabilities(course):
    odds = default_probabilities(course)
    odds.decisions["friend-request"].first = {"accept": 0.1, "accept-and-tell": 0.2, "reply-privately": 0.3,
                                              "ignore-and-report": 0.4}
    odds.decisions["jenny-message"].first = {"reassure-and-meet": 0.25, "block": 0.15, "pass-to-care-manager": 0.6}
    odds.questions["ending-quiz_when-to-talk"].right = 0.85
    odds.questions["ending-quiz_informal-help"].right = 0.55
    odds.stop = 0.1
    return odds


@pytest.fixture(scope="module")
def learner_data(tmp_path_factory):
    """The same simulated attempts as xAPI statements (Ralph's file) and as Moodle's download."""
    folder = tmp_path_factory.mktemp("learners")
    course = load_course(SAMPLE)
    odds = set_probabilities(course)
    attempts = lambda: simulate(course, LEARNERS, SEED, odds, groups=["North", "South"])  # noqa: E731
    writer = XapiWriter(course)
    statements = folder / "fs_lrs.jsonl"
    with statements.open("w", encoding="utf-8") as out:
        for attempt in attempts():
            out.writelines(ralph_lines(writer.statements(attempt)))
    moodle = folder / "interactions.txt"
    with moodle.open("w", encoding="utf-8", newline="") as out:
        report = MoodleInteractionsReport(out, course, interaction_count(attempts()), qtext=True, result=True)
        for attempt in attempts():
            report.write(attempt)
    return {"statements": statements, "moodle": moodle, "expected": expected_shares(course, odds), "folder": folder}


@pytest.fixture(scope="module")
def lrs(learner_data, tmp_path_factory):
    ralph = RalphLRS(tmp_path_factory.mktemp("ralph-report"), "http://127.0.0.1")
    (ralph.folder / "data" / "fs_lrs.jsonl").write_bytes(learner_data["statements"].read_bytes())
    ralph.env["RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT"] = "500"
    ralph.start()
    yield ralph
    ralph.stop()


def report(*args: str) -> str:
    ended = run_scormbuild("report", "--course", str(SAMPLE), *args, seconds=600)
    assert ended.returncode == 0, ended.explain()
    assert "Traceback" not in ended.stderr
    return ended.stdout


def lrs_summary(lrs, *args: str) -> dict:
    return json.loads(report("--endpoint", lrs.endpoint, "--user", USER, "--password", PASSWORD, "--format", "summary",
                             *args))


@pytest.fixture(scope="module")
def from_lrs(lrs) -> dict:
    """The whole summary from the LRS (Ralph reads its file for every page: read it once)."""
    return lrs_summary(lrs)


def assert_close(observed: int, total: int, probability: float, what: str) -> None:
    error = SIGMAS * math.sqrt(probability * (1 - probability) / total)
    assert abs(observed / total - probability) <= error, (what, observed, total, probability)


def assert_shows_the_probabilities(summary: dict, expected: dict) -> None:
    decisions = {d["id"]: d for d in summary["decisions"]}
    for ident in ("friend-request", "jenny-message"):
        decision = decisions[ident]
        assert decision["answered"] > LEARNERS / 2
        for choice in decision["choices"]:
            assert_close(choice["first"], decision["answered"], expected[ident][choice["id"]], (ident, choice["id"]))
    questions = {q["id"]: q for q in summary["questions"]}
    for ident in ("ending-quiz_when-to-talk", "ending-quiz_informal-help"):
        question = questions[ident]
        assert_close(round(question["facility"] * question["answered"]), question["answered"],
                     expected[ident]["facility"], ident)


def test_the_lrs_report_shows_the_set_probabilities(from_lrs, learner_data):
    summary = from_lrs
    assert summary["totals"]["learners"] == LEARNERS
    assert_shows_the_probabilities(summary, learner_data["expected"])
    assert {g["group"] for g in summary["groups"]} == {"North", "South"}
    assert summary["times"] and summary["flow_edges"]


def test_moodle_download_gives_the_same_figures_as_the_lrs(from_lrs, learner_data):
    from_moodle = json.loads(report("--moodle", str(learner_data["moodle"]), "--format", "summary"))
    assert_shows_the_probabilities(from_moodle, learner_data["expected"])
    assert from_moodle["totals"]["learners"] == from_lrs["totals"]["learners"]
    for moodle_decision, lrs_decision in zip(from_moodle["decisions"], from_lrs["decisions"], strict=True):
        assert moodle_decision["choices"] == lrs_decision["choices"], moodle_decision["id"]
        assert moodle_decision["right_first_time"] == lrs_decision["right_first_time"]
    for moodle_question, lrs_question in zip(from_moodle["questions"], from_lrs["questions"], strict=True):
        assert moodle_question["facility"] == lrs_question["facility"], moodle_question["id"]


def test_filters_choose_the_attempts(lrs, from_lrs):
    everyone = from_lrs
    north = lrs_summary(lrs, "--group", "North")
    assert 0 < north["totals"]["attempts"] < everyone["totals"]["attempts"]
    assert north["totals"]["attempts"] == next(g["attempts"] for g in everyone["groups"] if g["group"] == "North")
    early = lrs_summary(lrs, "--until", "2026-01-20")
    late = lrs_summary(lrs, "--since", "2026-01-20")
    assert early["totals"]["attempts"] + late["totals"]["attempts"] == everyone["totals"]["attempts"]


def test_anonymised_report_has_no_names_and_no_free_text(lrs, learner_data, tmp_path):
    text = report("--endpoint", lrs.endpoint, "--user", USER, "--password", PASSWORD, "--format", "json",
                  "--anonymise", "--no-free-text")
    rows = json.loads(text)
    assert rows and all(row["learner"].startswith("learner-") and row["name"] == row["learner"] for row in rows)
    assert "@" not in text
    texts = [value for row in rows for ident, value in row["reflections"].items() if not ident.endswith("_self-check")]
    assert texts and not any(texts)


def test_the_html_report_shows_the_probabilities_offline_and_accessibly(lrs, from_lrs, learner_data, browser,
                                                                        tmp_path):
    from test_learner_experience import AXE, axe_violations
    from test_report_html import open_offline

    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make test` (it runs npm ci)")
    html = tmp_path / "report.html"
    report("--endpoint", lrs.endpoint, "--user", USER, "--password", PASSWORD, "--format", "html", "-o", str(html))
    choice_ids = {d["id"]: {c["text"]: c["id"] for c in d["choices"]} for d in from_lrs["decisions"]}
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        asked, console = open_offline(page, html)
        assert asked == [] and console == []
        assert axe_violations(page) == []
        # What a reader sees: each decision's table of first answers, read back from the page.
        expected = learner_data["expected"]
        for ident in ("friend-request", "jenny-message"):
            article = page.locator("article.item", has=page.locator(f"code:text-is('{ident}')")).first
            answered = int(article.locator(".meta").inner_text().split("answered in ")[1].split()[0])
            rows = article.locator("table tbody tr")
            assert rows.count() == len(expected[ident])
            for row in range(rows.count()):
                choice, _result, first = rows.nth(row).locator("td").all_inner_texts()[:3]
                assert_close(int(first), answered, expected[ident][choice_ids[ident][choice]], (ident, choice))
    finally:
        context.close()
