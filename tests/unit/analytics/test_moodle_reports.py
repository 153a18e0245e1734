"""Moodle's SCORM report downloads read back as events (analytics/moodle.py).

The real downloads in shared/lms/moodle/report-samples were made by Moodle 4.1.10 from an older
build of the sample course (before the tracking fixes: reflections were written as plain text
with real line breaks; the current player writes line breaks as U+2424). Both read the same:
decoding leaves plain text as it is.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from support.paths import SAMPLE, SHARED

from scormbuild.analytics import moodle
from scormbuild.analytics.coursemap import CourseMap, load_course_map
from scormbuild.analytics.events import Event
from scormbuild.analytics.moodle import read_moodle_report, read_response
from scormbuild.errors import ReportError
from scormbuild.runtime_values import encode_text, truncate

SAMPLES = SHARED / "lms" / "moodle" / "report-samples"
TEXT = "I'd keep a professional boundary \u2014 a friendly \"no\" for now.\n\nThen I'd tell my manager and record it."
HEAD = ["Name", "Email address", "Attempt", "Started on", "Last accessed on", "Score",
        "Professional boundaries in social care"]


@pytest.fixture(scope="module")
def course() -> CourseMap:
    return load_course_map(SAMPLE)


def read(path: Path, course: CourseMap, **options: str) -> tuple[list[Event], list[str]]:
    notes: list[str] = []
    return list(read_moodle_report(path, course, notes=notes, **options)), notes


def write_tsv(path: Path, rows: list[list[str]]) -> Path:
    def quoted(cell: str) -> str:
        return f'"{cell}"' if any(c in cell for c in '\t\n"') else cell
    path.write_text("\n".join("\t".join(quoted(c.replace('"', '""')) for c in row) for row in rows) + "\n",
                    encoding="utf-8")
    return path


def attempt_row(name: str, email: str, sco: str, *cells: str, attempt: str = "1",
                extra: tuple[str, ...] | list[str] = ()) -> list[str]:
    return [name, email, *extra, attempt, "Monday, 30 November 2026, 9:05 AM", "Monday, 30 November 2026, 9:35 AM",
            sco.split("/")[0] if sco[0].isdigit() else "0", sco, *cells]


def answers(events: list[Event]) -> list[tuple[str, str, bool | None]]:
    return [(e.item, e.response, e.success) for e in events if e.type == "answered"]


# --- the real downloads -----------------------------------------------------------------------

@pytest.mark.parametrize("version", ["12", "2004"])
def test_the_three_formats_give_the_same_events(course: CourseMap, version: str) -> None:
    text, ods, excel = (read(SAMPLES / f"interactions-scorm{version}.{ext}", course) for ext in ("txt", "ods", "xls"))
    assert text[0] == ods[0] == excel[0]
    assert text[1] == ods[1] == excel[1]
    assert text[0]


def test_the_scorm12_sample_maps_to_the_sample_course(course: CourseMap) -> None:
    events, notes = read(SAMPLES / "interactions-scorm12.txt", course)
    assert [e.type for e in events] == ["started", *["answered"] * 5, *["unplaced"] * 4, "failed"]
    assert {(e.learner, e.name, e.attempt) for e in events} == {("learner4@example.com", "Lee Learner", "1")}
    assert events[0].timestamp == "2026-11-29T22:57:00Z"
    assert answers(events) == [
        ("friend-request", "accept-and-tell", False),
        ("accept-reflect", TEXT, None),  # HTML-unescaped; the old build's real line breaks kept
        ("jenny-message", "pass-to-care-manager", True),
        ("ending-quiz_planned-ending", "a[,]c", False),  # only the multiple-choice question takes two
        ("disclosure-reflect", TEXT, None),
    ]
    assert events[-1].score == 50 and events[-1].seconds == 60  # below the course's pass mark of 70
    # "t", "f" and "c" came from a quiz whose questions can be checked in any order: each could be
    # one of two questions, so they are counted, not guessed, and each question they may be is told
    # (once an attempt), so that the report can say its figures are partial.
    assert len(notes) == 1 and notes[0].startswith("3 response(s) could fit more than one question")
    assert [(e.item, e.kind, e.learner, e.attempt, e.timestamp) for e in events if e.type == "unplaced"] == [
        (item, "quiz", "learner4@example.com", "1", "2026-11-29T22:58:00Z")
        for item in ("ending-quiz_informal-help", "ending-quiz_own-feelings",  # "t" and "f"
                     "ending-quiz_when-to-talk", "ending-quiz_planned-ending")]  # "c": a multiple choice of one


def test_the_scorm2004_sample_gives_outcomes_and_says_why(course: CourseMap) -> None:
    events, notes = read(SAMPLES / "interactions-scorm2004.txt", course)
    assert [(e.type, e.score) for e in events] == [("started", None), ("failed", 50)]
    assert len(notes) == 1 and "SCORM 1.2 package" in notes[0] and "LRS" in notes[0]


# --- downloads with Question, Right answer and Result columns ----------------------------------

def interaction_columns(count: int) -> list[str]:
    return [f"{label} {n}" for n in range(count) for label in ("Question", "Response", "Right answer", "Result")]


def test_question_columns_name_each_response(tmp_path: Path, course: CourseMap) -> None:
    long_text = "Line one\n" + "x" * 400
    stored = truncate(encode_text(long_text), 255)
    cells = [
        "friend-request", "ignore-and-report", "ignore-and-report", "correct",
        "ending-quiz_informal-help", "f", "f", "correct",
        "ending-quiz_own-feelings", "t", "t", "wrong",  # Moodle's Result wins over our comparison
        "ending-quiz_ending-steps", "b,a,c,d", "a,b,c,d", "wrong",  # --strict-scorm12 letters by position
        "disclosure-reflect", stored, "", "neutral",
        "disclosure-reflect_self-check", "some", "", "neutral",
        "no-such-question", "a", "", "",
    ]
    path = write_tsv(tmp_path / "report.txt", [HEAD + interaction_columns(7),
                                               attempt_row("Ann &amp; Bo", "ann@example.org", "85", *cells)])
    events, notes = read(path, course)
    assert answers(events) == [
        ("friend-request", "ignore-and-report", True),
        ("ending-quiz_informal-help", "false", True),
        ("ending-quiz_own-feelings", "true", False),
        ("ending-quiz_ending-steps", "review-progress[,]agree-purpose[,]introduce-next[,]say-goodbye", False),
        ("disclosure-reflect", long_text[:254] + "\u2026", None),  # as stored: 254 characters and an ellipsis
        ("disclosure-reflect_self-check", "some", None),
    ]
    reflection = next(e for e in events if e.item == "disclosure-reflect")
    assert reflection.truncated and not any(e.truncated for e in events if e is not reflection)
    assert events[0].name == "Ann & Bo" and events[-1].type == "passed" and events[-1].score == 85
    assert notes == ["1 response(s) name a question the course does not have, or hold an answer it cannot have, "
                     "and were left out: was the course changed after these attempts?"]


@pytest.mark.parametrize(("itype", "value", "expected"), [
    ("fill-in", "  Safeguarding LEAD ", ("  Safeguarding LEAD ", True)),  # text as written, compared trimmed
    ("fill-in", "Case Matters", ("Case Matters", False)),
    ("fill-in", "two\u2424lines", ("two\nlines", False)),
    ("matching", "a.b,b.a", ("a[.]b[,]b[.]a", False)),
    ("matching", "b.b,a.a", ("b[.]b[,]a[.]a", True)),
    ("matching", "a.z", None),
    ("choice", "a,c", ("a[,]c", True)),
    ("choice", "c,a", ("c[,]a", True)),  # a set: order does not count
    ("choice", "a", ("a", False)),
])
def test_responses_are_read_by_the_players_rules(tmp_path: Path, itype: str, value: str,
                                                 expected: tuple[str, bool] | None) -> None:
    from scormbuild.analytics.coursemap import Interaction, Option
    options = (Option("a", "A", None), Option("b", "B", None))
    interaction = {
        "fill-in": Interaction("q", "s", "S", "quiz", "fill-in", "Q", correct=("safeguarding lead",
                                                                                "{case_matters=true}Case matters")),
        "matching": Interaction("q", "s", "S", "quiz", "matching", "Q", options=options, targets=options,
                                correct=("a[.]a[,]b[.]b",)),
        "choice": Interaction("q", "s", "S", "quiz", "choice", "Q", options=options + (Option("c", "C", True),),
                              correct=("a[,]c",)),
    }[itype]
    reading = read_response(interaction, value)
    assert (None if reading is None else (reading.value, reading.success)) == expected


# --- without Question columns: placed by what each response can be and the course's paths -------

def test_retries_and_branches_are_followed(tmp_path: Path, course: CourseMap) -> None:
    reflection = encode_text("I would say no.\nThen tell my manager.")
    path = write_tsv(tmp_path / "report.txt", [
        HEAD + [f"Response {n}" for n in range(6)],
        attempt_row("Ann", "ann@example.org", "Incomplete", "accept", reflection, "accept", reflection,
                    "ignore-and-report", "pass-to-care-manager"),
        attempt_row("Bo", "", "Completed", "reply-privately", "ignore-and-report", "block", "block",
                    "pass-to-care-manager"),
    ])
    events, notes = read(path, course)
    ann = [a for a, e in zip(answers(events), events[1:], strict=False) if e.learner == "ann@example.org"]
    assert [item for item, _, _ in ann] == ["friend-request", "accept-reflect", "friend-request", "accept-reflect",
                                            "friend-request", "jenny-message"]
    assert ann[1][1] == "I would say no.\nThen tell my manager."
    bo = [(e.item, e.response) for e in events if e.name == "Bo" and e.type == "answered"]
    assert [item for item, _ in bo] == ["friend-request", "friend-request", "jenny-message", "jenny-message",
                                        "jenny-message"]
    assert [e.type for e in events if e.name == "Bo"][-1] == "completed"
    assert not any(e.type in ("passed", "failed", "completed") for e in events if e.learner == "ann@example.org")
    assert len(notes) == 1 and notes[0].startswith("1 attempt(s) have no identity field")


def test_answers_off_every_path_keep_only_what_one_question_can_be(tmp_path: Path, course: CourseMap) -> None:
    path = write_tsv(tmp_path / "report.txt", [
        HEAD + [f"Response {n}" for n in range(3)],
        attempt_row("Ann", "ann@example.org", "40", "pass-to-care-manager", "t", "accept"),
    ])
    events, notes = read(path, course)
    assert answers(events) == [("jenny-message", "pass-to-care-manager", True), ("friend-request", "accept", False)]
    assert any("no path of the course allows" in n for n in notes) and any("1 response(s) could fit" in n for n in notes)
    assert [e.item for e in events if e.type == "unplaced"] == ["ending-quiz_informal-help", "ending-quiz_own-feelings"]


def test_each_response_left_out_names_every_question_it_may_be_once_an_attempt(tmp_path: Path,
                                                                            course: CourseMap) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Name\tEmail address\tTeam\tAttempt\tStarted on\tLast accessed on\tScore\tCourse\t"
                    + "\t".join(f"Response {n}" for n in range(4)) + "\n"
                    "Ann\tann@example.org\tNights\t3\t2026-11-30T09:00:00\t2026-11-30T09:30:00\t80\t80\t"
                    "ignore-and-report\tpass-to-care-manager\tt\tf\n", encoding="utf-8")
    events, notes = read(path, course, group_column="Team")
    unplaced = [e for e in events if e.type == "unplaced"]
    answered = next(e for e in events if e.type == "answered")
    assert [e.item for e in unplaced] == ["ending-quiz_informal-help", "ending-quiz_own-feelings"]  # not twice each
    assert {(e.learner, e.name, e.attempt, e.group, e.timestamp, e.kind, e.response) for e in unplaced} == {
        (answered.learner, "Ann", "3", "Nights", "2026-11-30T09:30:00Z", "quiz", "")}
    assert notes[0].startswith("2 response(s) could fit more than one question")


# --- learners: told apart by Moodle's identity fields, never by a name alone ----------------------

def test_every_identity_column_makes_the_learner_key(tmp_path: Path, course: CourseMap) -> None:
    head = ["Name", "Email address", "Username", "ID number", *HEAD[2:]]
    path = write_tsv(tmp_path / "report.txt", [
        head,
        attempt_row("Sam Lee", "shared@example.org", "40", extra=["slee1", "1001"]),
        attempt_row("Sam Lee", "shared@example.org", "60", extra=["slee2", "1002"]),  # one mailbox, two users
        attempt_row("Sam Lee", "shared@example.org", "80", extra=["slee2", "1002"], attempt="2"),
    ])
    events, notes = read(path, course)
    assert [e.learner for e in events if e.type == "started"] == [
        "shared@example.org | slee1 | 1001", "shared@example.org | slee2 | 1002", "shared@example.org | slee2 | 1002"]
    assert not any("identity" in note for note in notes)


def test_without_an_identity_column_each_attempt_is_a_learner_of_its_own(tmp_path: Path,
                                                                         course: CourseMap) -> None:
    path = write_tsv(tmp_path / "report.txt", [
        ["Name", *HEAD[2:]],
        attempt_row("Sam Lee", "", "40")[:1] + attempt_row("Sam Lee", "", "40")[2:],
        attempt_row("Sam Lee", "", "80")[:1] + attempt_row("Sam Lee", "", "80", attempt="2")[2:],
    ])
    events, notes = read(path, course)
    assert [(e.learner, e.name, e.attempt) for e in events if e.type == "started"] == [
        ("Sam Lee #row 2", "Sam Lee", "1"), ("Sam Lee #row 3", "Sam Lee", "2")]
    assert notes[:1] == ["2 attempt(s) have no identity field (email address, username, ID number ...), only a name: "
                     "each is counted as a learner of its own, since two people may share a name and the attempts "
                     "of one person cannot be told apart. To have one, show identity fields in Moodle (Site "
                     "administration > Users > Permissions > User policies > Show user identity) and download the "
                     "report again."]


# --- other shapes of the download -----------------------------------------------------------------

def test_a_csv_resaved_by_a_spreadsheet_with_a_group_column(tmp_path: Path, course: CourseMap) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes("\ufeffName,Department,Attempt,Started on,Last accessed on,Score,Course,Response 0\n"
                     'Zoë,Night team,2,"30 November 2026, 11:05 PM","30 November 2026, 11:45 PM",90,90/100,'
                     "ignore-and-report\n"
                     "Yan,Day team,-,-,-,-,Not attempted,\n".encode())
    events, notes = read(path, course, group_column="department")
    assert [(e.type, e.learner, e.group, e.attempt) for e in events] == [
        ("started", "Zoë | Night team", "Night team", "2"), ("answered", "Zoë | Night team", "Night team", "2"),
        ("passed", "Zoë | Night team", "Night team", "2")]  # a department alone tells nobody apart: with the name
    assert events[0].timestamp == "2026-11-30T23:05:00Z" and events[-1].seconds == 40 * 60
    assert notes == ["1 learner(s) in the download have no attempt."]
    with pytest.raises(ReportError, match="no column “Team” for groups; its columns are “Name”, “Department”"):
        read(path, course, group_column="Team")


def test_a_basic_report_gives_outcomes_and_unreadable_dates_are_noted(tmp_path: Path, course: CourseMap) -> None:
    path = write_tsv(tmp_path / "basic.txt", [
        HEAD,
        ["Ann", "ann@example.org", "1", "lundi 30 novembre 2026, 09:05", "-", "0", "Passed"],
    ])
    events, notes = read(path, course)
    assert [(e.type, e.timestamp) for e in events] == [("started", ""), ("passed", "")]
    assert notes[0].startswith("This is a report without responses (Moodle's Basic report)")
    assert "1 date(s) could not be read (row 2: “lundi 30 novembre 2026, 09:05”)" in notes[1]


# --- hostile files ---------------------------------------------------------------------------------

def zip_file(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", b"", "is empty"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "is a binary file"),
    ("latin1.txt", "\t".join(HEAD).encode() + b"\nJos\xe9\tj@x\t1\t-\t-\t-\t-\n", "is not UTF-8 text"),
    ("notes.txt", b"Name\tColour\nAnn\tblue\n", "is not a Moodle SCORM report: its first row has no Attempt"),
    ("one-column.txt", b"hello\nworld\n", "has no columns"),
    ("wide.txt", b"\t" * 30_000 + b"\n", "columns, more than 20,000"),
    ("long-line.txt", b"Name\t" + b"x" * (17 * 2**20), "is longer than 16,777,216 characters"),
    ("big-cell.txt", "\t".join(HEAD).encode() + b'\n"' + b"x" * 200_000 + b'"\n', "cannot be read as a table"),
    ("broken.ods", b"PK\x03\x04broken", "broken zip"),
    ("other.xlsx", None, "is a zip but not a spreadsheet"),
    ("bomb.ods", None, "unpacks to suspiciously much"),
    ("bad.ods", None, "is a broken ODS file"),
    ("fake.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "cannot be read as a spreadsheet"),
])
def test_hostile_files_are_refused_with_the_file_named(tmp_path: Path, course: CourseMap, name: str,
                                                       content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if name == "other.xlsx":
        zip_file(path, {"word/document.xml": b"<w/>"})
    elif name == "bomb.ods":
        zip_file(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                        "content.xml": b" " * (64 * 2**20)})
    elif name == "bad.ods":
        zip_file(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                        "content.xml": b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;&a;<y></x>"})
    else:
        assert content is not None
        path.write_bytes(content)
    with pytest.raises(ReportError) as error:
        read(path, course)
    assert str(path) in str(error.value) and message in str(error.value)


# --- the placement cache stays small whatever the file ----------------------------------------------

def test_long_attempts_are_placed_without_being_cached(course: CourseMap) -> None:
    placer = moodle._Placer(course)
    values = ["t", "f", "a", "b", "accept"]
    for row in range(50):  # distinct attempts of 200 responses: a key each would be 200 entries long
        raw = [(n, values[(n * row + n // 7) % len(values)], "", "") for n in range(200)]
        placer.place(raw, moodle._Tally())
    assert len(placer.placements) == 0


def test_the_placement_cache_is_capped(course: CourseMap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moodle, "MAX_PLACEMENTS", 10)
    placer = moodle._Placer(course)
    tally = moodle._Tally()
    for length in range(1, 40):
        placer.place([(n, "t", "", "") for n in range(length)], tally)
        assert len(placer.placements) <= 10
    assert len(placer.cache) == 1  # the one value's readings
