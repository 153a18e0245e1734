"""The report's figures from events: which attempts count, what each figure means, privacy."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from support.coursekit import run

from scormbuild.analytics.coursemap import load_course_map
from scormbuild.analytics.events import Event
from scormbuild.analytics.store import Selection, Store
from scormbuild.commands.report import Pseudonyms, without_free_text

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "content" / "professional-boundaries"
MOODLE_SAMPLE = ROOT.parent / "shared" / "lms" / "moodle" / "report-samples" / "interactions-scorm12.txt"
PRIVACY = {"anonymised": False, "free_text": True, "identities": ""}


@pytest.fixture(scope="module")
def course():
    return load_course_map(SAMPLE)


def answer(learner: str, attempt: str, at: str, item: str, response: str, success: bool | None = None,
           kind: str = "decision", group: str = "", seconds: float | None = None) -> Event:
    return Event("answered", learner, learner.upper(), attempt, group, at, item, kind, response, success, seconds)


def outcome(learner: str, attempt: str, at: str, verb: str, score: float | None = None) -> Event:
    return Event(verb, learner, learner.upper(), attempt, "", at, score=score)  # type: ignore[arg-type]


def summary(course, events, selection=None, texts=1000):
    with Store() as store:
        store.add(events)
        return store.summary(course, selection or Selection(), [], PRIVACY, texts)


def decision(result, ident="friend-request"):
    return next(d for d in result["decisions"] if d["id"] == ident)


def test_first_answers_retries_and_right_first_time(course):
    events = [
        answer("ann", "1", "2026-01-01T10:00:00Z", "friend-request", "accept", False),
        answer("ann", "1", "2026-01-01T10:05:00Z", "friend-request", "ignore-and-report", True),
        answer("bob", "1", "2026-01-01T11:00:00Z", "friend-request", "ignore-and-report", True),
        answer("cat", "1", "2026-01-01T12:00:00Z", "friend-request", "reply-privately", False),
    ]
    result = decision(summary(course, events))
    counts = {c["id"]: (c["first"], c["all"]) for c in result["choices"]}
    assert counts == {"accept": (1, 1), "accept-and-tell": (0, 0), "reply-privately": (1, 1),
                      "ignore-and-report": (1, 2)}
    assert (result["answered"], result["right_first_time"], result["retried"]) == (3, 1, 1)
    assert {c["id"]: c["result"] for c in result["choices"]}["ignore-and-report"] == "right"


def test_the_first_best_and_last_attempt(course):
    events = [
        answer("ann", "a", "2026-01-01T10:00:00Z", "friend-request", "accept", False),
        outcome("ann", "a", "2026-01-01T10:30:00Z", "failed", 40),
        answer("ann", "b", "2026-01-03T10:00:00Z", "friend-request", "ignore-and-report", True),
        outcome("ann", "b", "2026-01-03T10:30:00Z", "passed", 90),
        answer("ann", "c", "2026-01-05T10:00:00Z", "friend-request", "reply-privately", False),
        outcome("ann", "c", "2026-01-05T10:30:00Z", "failed", 60),
    ]

    def first_choice(mode):
        result = summary(course, events, Selection(attempt=mode))
        assert result["totals"]["attempts"] == (3 if mode == "all" else 1)
        return [c["id"] for c in decision(result)["choices"] if c["first"]]

    assert first_choice("first") == ["accept"]
    assert first_choice("best") == ["ignore-and-report"]
    assert first_choice("last") == ["reply-privately"]
    assert len(first_choice("all")) == 3
    totals = summary(course, events)["totals"]
    assert (totals["passed"], totals["failed"], totals["mean_score"], totals["median_score"]) == (1, 2, 63.33, 60.0)


def test_dates_and_groups_choose_attempts(course):
    events = [answer("ann", "1", "2026-01-01T10:00:00Z", "friend-request", "accept", False, group="North"),
              answer("bob", "1", "2026-02-01T10:00:00Z", "friend-request", "accept", False, group="South"),
              answer("cat", "1", "2026-03-01T10:00:00Z", "friend-request", "accept", False, group="North")]
    assert summary(course, events, Selection(since="2026-02-01T00:00:00Z"))["totals"]["learners"] == 2
    assert summary(course, events, Selection(until="2026-02-01T00:00:00Z"))["totals"]["learners"] == 1
    assert summary(course, events, Selection(group="North"))["totals"]["learners"] == 2
    groups = summary(course, events)["groups"]
    assert [(g["group"], g["attempts"]) for g in groups] == [("North", 2), ("South", 1)]


def test_quiz_facility_discrimination_and_distractors(course):
    events = []
    # 12 attempts: the strong half answer every question right, the weak half get when-to-talk wrong with "b".
    for n in range(12):
        strong = n % 2 == 0
        at = f"2026-01-01T10:{n:02d}:00Z"
        events += [answer(f"l{n}", "1", at, "ending-quiz_when-to-talk", "a" if strong else "b", strong, "quiz"),
                   answer(f"l{n}", "1", at, "ending-quiz_informal-help", "false" if strong else "true", strong,
                          "quiz"),
                   answer(f"l{n}", "1", at, "ending-quiz_planned-ending", "a[,]b[,]d" if n % 3 else "a[,]c",
                          bool(n % 3), "quiz")]
    questions = {q["id"]: q for q in summary(course, events)["questions"]}
    talk = questions["ending-quiz_when-to-talk"]
    assert (talk["answered"], talk["facility"]) == (12, 0.5)
    assert {o["id"]: o["chosen"] for o in talk["options"]} == {"a": 6, "b": 6, "c": 0}
    assert talk["discrimination"] is not None and talk["discrimination"] > 0.4  # right with the rest of the quiz
    planned = questions["ending-quiz_planned-ending"]
    assert {o["id"]: o["chosen"] for o in planned["options"]} == {"a": 12, "b": 8, "c": 4, "d": 8}
    informal = questions["ending-quiz_informal-help"]
    assert [(r["response"], r["count"]) for r in informal["responses"]] == [("false", 6), ("true", 6)]
    assert informal["correct_answer"] == "false"


def test_discrimination_is_pearsons_r_of_the_question_and_the_rest(course):
    rows = [(1, 1, 1), (1, 1, 0), (0, 1, 0), (0, 0, 0), (1, 0, 1), (0, 0, 1), (1, 1, 1), (0, 0, 0), (1, 0, 0),
            (0, 1, 1), (1, 1, 1), (0, 0, 0)]
    ids = ["ending-quiz_when-to-talk", "ending-quiz_informal-help", "ending-quiz_own-feelings"]
    events = [answer(f"l{n}", "1", "2026-01-01T10:00:00Z", ident, "x", bool(value), "quiz")
              for n, row in enumerate(rows) for ident, value in zip(ids, row, strict=True)]
    x = [r[0] for r in rows]
    y = [r[1] + r[2] for r in rows]
    mean_x, mean_y = sum(x) / len(x), sum(y) / len(y)
    cov = sum((a - mean_x) * (b - mean_y) for a, b in zip(x, y, strict=True))
    expected = cov / math.sqrt(sum((a - mean_x) ** 2 for a in x) * sum((b - mean_y) ** 2 for b in y))
    found = next(q for q in summary(course, events)["questions"] if q["id"] == ids[0])["discrimination"]
    assert found == pytest.approx(expected, abs=0.001)


def test_reflections_keep_each_attempts_latest_text_newest_first(course):
    events = [answer("ann", "1", "2026-01-01T10:00:00Z", "disclosure-reflect", "first try", kind="reflection"),
              answer("ann", "1", "2026-01-01T10:09:00Z", "disclosure-reflect", "second try", kind="reflection"),
              answer("bob", "1", "2026-01-02T10:00:00Z", "disclosure-reflect", "Bob's \ud800 text\nline 2",
                     kind="reflection")]
    [_, reflection] = summary(course, events)["reflections"]
    assert reflection["count"] == 2
    assert [t["text"] for t in reflection["texts"]] == ["Bob's \ud800 text\nline 2", "second try"]
    assert reflection["points"][0].startswith("Keep any disclosure short")
    [_, limited] = summary(course, events, texts=1)["reflections"]
    assert (limited["count"], len(limited["texts"])) == (2, 1)


def test_time_per_scene_and_the_paths_taken(course):
    events = []
    for n, scenes in enumerate([["welcome", "friend-request", "accept-reflect"], ["welcome", "friend-request"]]):
        for second, scene in enumerate(scenes):
            events.append(Event("experienced", f"l{n}", "", "1", "", f"2026-01-01T10:00:{second * 20:02d}Z",
                                item=scene))
    result = summary(course, events)
    assert {t["scene"]: t["median_seconds"] for t in result["times"]} == {"welcome": 20.0, "friend-request": 20.0}
    edges = {(e["source"], e["target"]): e["attempts"] for e in result["flow_edges"]}
    assert edges == {("welcome", "friend-request"): 2, ("friend-request", "accept-reflect"): 1}
    assert {n["id"]: n["attempts"] for n in result["flow_nodes"]}["accept-reflect"] == 1


def test_pseudonyms_are_stable_with_a_key_and_hide_the_identity():
    keyed, again, other = Pseudonyms("secret"), Pseudonyms("secret"), Pseudonyms(None)
    ann = keyed.of("mailto:ann@example.org")
    assert ann == again.of("mailto:ann@example.org") != other.of("mailto:ann@example.org")
    assert ann.startswith("learner-") and "ann" not in ann
    [event] = keyed.apply([answer("mailto:ann@example.org", "1", "", "friend-request", "accept")])
    assert event.learner == event.name == ann


def test_no_free_text_keeps_whether_it_was_right(course):
    events = list(without_free_text([
        answer("ann", "1", "", "disclosure-reflect", "my private text", kind="reflection"),
        answer("ann", "1", "", "friend-request", "accept", False)], course))
    assert [(e.response, e.success) for e in events] == [("", None), ("accept", False)]


def test_html_and_summary_need_the_course():
    ended = run("report", "--moodle", str(MOODLE_SAMPLE), "--format", "summary")
    assert ended.returncode == 1 and "--course" in ended.stderr


def test_a_source_is_needed():
    ended = run("report", "--course", str(SAMPLE), "--format", "summary")
    assert ended.returncode == 1 and "--endpoint" in ended.stderr and "--moodle" in ended.stderr


def test_the_real_moodle_download_as_a_table_and_a_summary(tmp_path):
    if not MOODLE_SAMPLE.is_file():
        pytest.fail("the shared Moodle report samples are missing")
    ended = run("report", "--course", str(SAMPLE), "--moodle", str(MOODLE_SAMPLE))
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.startswith("Lee Learner <learner4@example.com>: completed, failed, score 50%")
    assert "decision friend-request: accept-and-tell (wrong)" in ended.stdout
    out = tmp_path / "summary.json"
    ended = run("report", "--course", str(SAMPLE), "--moodle", str(MOODLE_SAMPLE), "--format", "summary", "-o",
                str(out))
    assert ended.returncode == 0, ended.stderr
    result = json.loads(out.read_text("utf-8"))
    assert result["totals"]["learners"] == 1 and result["sources"][0]["kind"] == "moodle"


def test_bad_dates_are_refused_before_anything_is_read():
    ended = run("report", "--course", str(SAMPLE), "--moodle", str(MOODLE_SAMPLE), "--since", "last week")
    assert ended.returncode == 1 and "--since must be a date" in ended.stderr


def test_lrs_timestamps_are_kept_in_utc_with_milliseconds():
    from scormbuild.analytics.lrs import Unreadable, read_statement

    def at(timestamp):
        raw = {"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
               "object": {"id": "urn:x/interactions/q"}, "timestamp": timestamp}
        return read_statement(raw, lambda iri: iri, lambda iri: iri).timestamp

    assert at("2026-01-20T01:01+02:00") == "2026-01-19T23:01:00.000Z"
    assert at("2026-01-19T23:01:30Z") == "2026-01-19T23:01:30.000Z"
    assert at("2026-01-19T23:01:30.123456Z") == "2026-01-19T23:01:30.123Z"
    with pytest.raises(Unreadable):
        at("yesterday")


def test_answers_the_course_does_not_offer_are_few_and_short(course):
    events = [answer(f"l{n}", "1", "2026-01-01T10:00:00Z", "friend-request", f"made-up-{n}-" + "x" * 500)
              for n in range(30)]
    choices = decision(summary(course, events))["choices"]
    assert len(choices) == 4 + 10 + 1
    assert choices[-1]["text"] == "(20 other answers not in the course)" and choices[-1]["all"] == 20
    assert all(len(c["text"]) < 120 for c in choices)


def test_no_free_text_leaves_out_answers_the_course_does_not_know(course):
    events = list(without_free_text([
        answer("ann", "1", "", "a-question-since-removed", "Mrs Smith told me", kind="quiz"),
        answer("ann", "1", "", "friend-request", "accept", False, kind="other")], course))
    assert [e.response for e in events] == ["", "accept"]
    assert [e.response for e in without_free_text([answer("ann", "1", "", "x", "Mrs Smith", kind="decision")],
                                                  None)] == [""]


def test_reflections_are_counted_without_their_texts(course):
    events = without_free_text([answer("ann", "1", "2026-01-01T10:00:00Z", "disclosure-reflect", "private",
                                       kind="reflection")], course)
    [_, reflection] = summary(course, events)["reflections"]
    assert (reflection["count"], reflection["texts"]) == (1, [])


def test_without_scene_statements_only_scenes_with_answers_are_in_the_flow(course):
    result = summary(course, [answer("ann", "1", "2026-01-01T10:00:00Z", "friend-request", "accept", False)])
    nodes = {n["id"]: n["attempts"] for n in result["flow_nodes"]}
    assert nodes["friend-request"] == 1 and "welcome" not in nodes and "end" not in nodes


@pytest.mark.parametrize("args, message", [
    (["--registration", "x"], "--registration is about the LRS"),
    (["--user", "u"], "--user is about the LRS"),
    (["--group-column", "Group"], None),
    (["--since", "2026-03-01", "--until", "2026-02-01"], "is not before --until"),
])
def test_options_that_cannot_apply_are_refused(args, message):
    sources = [] if args[0] == "--group-column" else ["--moodle", str(MOODLE_SAMPLE)]
    ended = run("report", "--course", str(SAMPLE), *sources, *args)
    assert ended.returncode in (1, 2) and (message or "give the file with --moodle") in ended.stderr


def test_html_to_the_screen_with_a_dash():
    ended = run("report", "--course", str(SAMPLE), "--moodle", str(MOODLE_SAMPLE), "--format", "html", "-o", "-")
    assert ended.returncode == 0 and ended.stdout.startswith("<!DOCTYPE html>")


def test_a_group_is_found_among_many():
    with Store() as store:
        store.add(answer(f"l{n}", "1", "2026-01-01T10:00:00Z", "friend-request", "accept", group=f"team {n:03d}")
                  for n in range(80))
        assert store.has_group("team 079") and not store.has_group("team 080")
        assert store.groups_seen(3) == ["team 000", "team 001", "team 002"]


def test_the_html_report_counts_one_attempt_in_the_singular(tmp_path):
    out = tmp_path / "r.html"
    ended = run("report", "--course", str(SAMPLE), "--moodle", str(MOODLE_SAMPLE), "--format", "html", "-o", str(out))
    assert ended.returncode == 0, ended.stderr
    text = out.read_text("utf-8")
    assert "1 attempt by 1 learner ·" in text and "1 attempts" not in text
