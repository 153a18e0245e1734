"""bench/learners.py: simulated learners' choices follow the set probabilities, the same seed gives
the same output, nothing is kept in memory, and the writers write what the packages and Moodle
write (the browser test compares with the real player; these check the parts one by one)."""

from __future__ import annotations

import inspect
import io
import json
import math
import subprocess
import sys
import tracemalloc
from collections import Counter, defaultdict

import pytest
from support.paths import ROOT, SAMPLE, SHARED
from support.story import story_course

from scormbuild.course import load_course

sys.path.insert(0, str(ROOT / "bench"))
import learners  # noqa: E402

COURSE = load_course(SAMPLE)
REPORT_SAMPLE = SHARED / "lms" / "moodle" / "report-samples" / "interactions-scorm12.txt"


def first_answers(attempts) -> tuple[dict[str, Counter], int, int]:  # noqa: ANN001
    """Per interaction, how many attempts first answered each response / right; attempts; completed."""
    counts: dict[str, Counter] = defaultdict(Counter)
    total = completed = 0
    for attempt in attempts:
        total += 1
        completed += attempt.completed
        seen: set[str] = set()
        for answer in attempt.answers:
            if answer.id not in seen:
                seen.add(answer.id)
                counts[answer.id][learners.xapi_response(answer)] += 1
                counts[answer.id]["__right"] += answer.result == "correct"
    return counts, total, completed


def within_sampling_error(observed: int, n: int, p: float) -> bool:
    """Within 4.5 standard errors (fails by chance about once in 150,000 checks)."""
    return abs(observed / n - p) <= 4.5 * math.sqrt(p * (1 - p) / n) + 1e-12


def test_first_choices_and_facilities_converge_to_the_set_probabilities():
    odds = learners.default_probabilities(COURSE)
    odds.decisions["friend-request"].first = {"accept": 0.1, "accept-and-tell": 0.2, "reply-privately": 0.3,
                                              "ignore-and-report": 0.4}
    odds.questions["ending-quiz_when-to-talk"].right = 0.25
    odds.stop = 0.2
    counts, total, completed = first_answers(learners.simulate(COURSE, 4000, seed=11, probabilities=odds))
    assert within_sampling_error(completed, total, 0.8)
    expected = learners.expected_shares(COURSE, odds)
    assert expected["friend-request"]["reply-privately"] == pytest.approx(0.3)
    assert expected["ending-quiz_when-to-talk"] == {"facility": 0.25}
    for ident, shares in expected.items():
        answered = sum(v for k, v in counts[ident].items() if k != "__right")
        assert answered > 500, ident
        if "facility" in shares:
            assert within_sampling_error(counts[ident]["__right"], answered, shares["facility"]), ident
        else:
            for choice, share in shares.items():
                assert within_sampling_error(counts[ident][choice], answered, share), (ident, choice)


def test_probabilities_from_a_yaml_file_override_the_defaults(tmp_path):
    given = tmp_path / "p.yaml"
    given.write_text("stop: 0\ndecisions:\n  friend-request: {first: {accept: 1}, retry: 0}\n"
                     "questions:\n  ending-quiz_informal-help: {right: 0}\n", "utf-8")
    odds = learners.load_probabilities(given, COURSE)
    attempts = list(learners.simulate(COURSE, 30, seed=2, probabilities=odds))
    assert all(a.completed for a in attempts)
    for attempt in attempts:
        decisions = [a.response for a in attempt.answers if a.id == "friend-request"]
        assert decisions == [["accept"]]  # wrong, and never tried again
        assert [s.scene for s in attempt.steps if s.answer is None][:5] == [
            "welcome", "friend-request", "accept-reflect", "accept-feedback", "jenny-message"]
        assert all(a.result == "incorrect" for a in attempt.answers if a.id == "ending-quiz_informal-help")


def test_bad_probabilities_are_refused_with_a_clear_message_and_no_file(tmp_path):
    given = tmp_path / "p.yaml"
    given.write_text("decisions:\n  friend-request: {first: {maybe: 1}}\n", "utf-8")
    out = tmp_path / "out.txt"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "learners.py"), str(SAMPLE), "--learners", "3",
                             "--probabilities", str(given), "--moodle", str(out)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "maybe" in result.stderr and "ignore-and-report" in result.stderr and str(given) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_the_same_seed_gives_the_same_output_and_another_seed_another(tmp_path):
    def run(seed: int) -> tuple[bytes, bytes]:
        xapi, moodle = tmp_path / f"{seed}.jsonl", tmp_path / f"{seed}.txt"
        subprocess.run([sys.executable, str(ROOT / "bench" / "learners.py"), str(SAMPLE), "--learners", "40",
                        "--seed", str(seed), "--xapi", str(xapi), "--moodle", str(moodle)], check=True,
                       capture_output=True)
        return xapi.read_bytes(), moodle.read_bytes()

    first = run(5)
    assert run(5) == first
    assert run(6) != first
    assert learners.interaction_count(learners.simulate(COURSE, 40, seed=5)) == (
        len(first[1].decode().splitlines()[0].split("\t")) - 7)


def test_simulate_streams_its_attempts():
    attempts = learners.simulate(COURSE, 10**9, seed=1)  # would never fit in memory as a list
    assert inspect.isgenerator(attempts)

    def peak(count: int) -> int:
        tracemalloc.start()
        for _attempt in learners.simulate(COURSE, count, seed=1):
            pass
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    small, large = peak(20), peak(400)  # 20 times as many learners, about the same memory
    assert large < small * 1.5 + 100_000


def test_statements_are_in_order_with_the_players_fields():
    writer = learners.XapiWriter(COURSE)
    odds = learners.default_probabilities(COURSE)
    for attempt in learners.simulate(COURSE, 60, seed=4, probabilities=odds, groups=["North", "South"]):
        statements = list(writer.statements(attempt))
        verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]
        times = [s["timestamp"] for s in statements]
        assert times == sorted(times)
        assert verbs[0] == "initialized" and verbs[-1] == ("terminated" if attempt.completed else "suspended")
        assert all(s["context"]["registration"] == attempt.registration for s in statements)
        assert all(s["context"]["team"] == {"objectType": "Group", "name": attempt.group} for s in statements)
        if attempt.completed:
            assert verbs[-4:-1] == ["completed", "passed" if attempt.passed else "failed", "experienced"]
            outcome = statements[-3]["result"]
            assert outcome["score"]["raw"] == attempt.score and outcome["success"] is attempt.passed
        for statement in statements:
            if statement["verb"]["id"].endswith("answered"):
                assert statement["object"]["definition"]["extensions"]
                assert statement["context"]["contextActivities"]["grouping"] == [
                    {"id": COURSE.iri, "objectType": "Activity"}]
    lines = list(learners.ralph_lines(writer.statements(attempt)))
    assert all(line.endswith("\n") and json.loads(line)["stored"] for line in lines)


def test_a_course_with_variables_and_conditions_is_walked_as_the_player_does(tmp_path):
    course = load_course(story_course(tmp_path / "story"))
    odds = learners.default_probabilities(course)
    odds.stop = 0
    writer = learners.XapiWriter(course)
    endings: Counter = Counter()
    for attempt in learners.simulate(course, 400, seed=9, probabilities=odds):
        trust = 0
        for statement in writer.statements(attempt):
            verb = statement["verb"]["id"].rsplit("/", 1)[-1]
            if verb == "answered" and statement["object"]["id"].endswith("/meet"):
                # `letter` is offered only while trust >= 2 (its `if:`), before the answer's changes.
                assert statement["result"]["response"] != "letter" or trust >= 2
            if verb == "answered":
                variables = statement["result"]["extensions"][f"{course.iri}/extensions/variables"]
                assert 0 <= variables["trust"] <= 3  # kept within min and max
                trust = variables["trust"]
            if verb == "experienced" and statement["object"]["id"].endswith("-end"):
                ending = statement["object"]["id"].rsplit("/", 1)[-1]
                endings[ending] += 1
                told = variables["told"]
                assert (ending == "good-end") == (told and trust >= 2)  # the `branches:` of `tell`
    assert endings["good-end"] and endings["other-end"]


def test_texts_are_encoded_and_cut_as_the_scorm_12_runtime_does():
    long = next(t for t in learners.REFLECTION_BANK if len(t) > 255)
    assert len(learners.truncate(long, 255)) == 255 and learners.truncate(long, 255).endswith("\u2026")
    assert learners.truncate("a" * 254 + "\U0001f600", 255) == "a" * 254 + "\u2026"  # never half a pair
    assert learners.encode_text("{a}\r\nb\u2424") == "\u241b{a}\u2424b\u241b\u2424"
    assert learners.moodle_s("I'd say \"no\" & <b>") == "I&#039;d say &quot;no&quot; &amp; &lt;b&gt;"
    assert learners.moodle_s("&#039;") == "&#039;"


def test_the_report_header_and_quoting_are_moodles(tmp_path):
    header = REPORT_SAMPLE.read_text("utf-8").split("\n", 1)[0] + "\n"
    questions = header.count("Response ")
    assert learners.fputcsv(learners.interactions_report_headers(COURSE.title, questions)) == header
    assert learners.fputcsv(["a b", 'say "x"', "back\\\"slash", "plain"]) == (
        '"a b"\t"say ""x"""\t"back\\"slash"\tplain\n')
    out = io.StringIO()
    report = learners.MoodleInteractionsReport(out, COURSE, 3)
    attempt = next(iter(learners.simulate(COURSE, 1, seed=1)))
    report.write(attempt)
    row = out.getvalue().splitlines()[1].split("\t")
    assert row[:3] == [f'"{attempt.learner.name}"', attempt.learner.email, "1"]
