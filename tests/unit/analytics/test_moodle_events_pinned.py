"""The events read from simulated learners' Moodle downloads, pinned: a faster reader must give
every event exactly as before (analytics/moodle.py).

The downloads are written by bench/learners.py (300 learners, 2 attempts each, seed 3) with the
column sets Moodle's Interactions report offers, and twice more with rare values: dates in every
form the reader knows (and some it must refuse), odd results, unknown question ids, answers no
question can have, answers out of order, rows without an attempt or a name. Each file's text and its events are pinned by
their SHA-256: when bench/learners.py changes what it writes, the input digest says so, and the
pins must be taken again from a reader known to be right: in tests/, ``PYTHONPATH=. python
unit/analytics/test_moodle_events_pinned.py [FOLDER]`` prints them (and writes the events to FOLDER).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from dataclasses import astuple
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from support.paths import ROOT, SAMPLE

from scormbuild.analytics import moodle
from scormbuild.analytics.coursemap import CourseMap, load_course_map
from scormbuild.analytics.moodle import read_moodle_report

sys.path.insert(0, str(ROOT / "bench"))
import learners  # noqa: E402

LEARNERS, ATTEMPTS, SEED = 300, 2, 3
COLUMN_SETS: dict[str, dict[str, bool]] = {
    "responses": {},
    "questions-results": {"qtext": True, "result": True},
    "questions-rights": {"qtext": True, "right": True},
    "results": {"result": True},
}
# Started on / Last accessed on rewritten in turn as: Moodle's forms with and without the weekday,
# 24-hour forms, ISO forms, and values only strptime reads (lower case, leading zero) or nobody does.
DATE_FORMS = ("%A, %d %B %Y, %I:%M %p", "%d %B %Y, %I:%M %p", "%A, %d %B %Y, %H:%M", "%d %B %Y, %H:%M",
              "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%a, %d %b %Y, %I:%M %p",
              "%A, %d %B %Y, %I:%M %p (lower)", "%A, %-d %B %Y, %-I:%M %p", "%A, %d %B %Y, %I:%M%p")
ODD_DATES = ("Monday, 31 February 2026, 9:05 AM", "Monday, 30 November 2026, 13:05 PM",
             "Friday, 1 January 2027, 12:00 AM", "Friday, 1 January 2027, 12:59 PM", "1 January 2027, 0:00",
             "Sunday, 1 January 2027, 09:05 am", "  Monday, 30 November 2026, 9:05 AM ", "30 November 2026, 24:00")

PINS = {
    "questions-results": ("e7c8d6dd9b827181671639828b3a1483b4655f3312045fdde35890c88a821990",
                          "bde384d4f2c038174b5ef1d38d1917c8d952c439b726c37226a922388feea32b"),
    "questions-rights": ("e88d7b1f0204963520a33cf9f7617cc8b6ba2d7c9ad3b8c9987b820607c2db9f",
                         "bde384d4f2c038174b5ef1d38d1917c8d952c439b726c37226a922388feea32b"),
    "rare-questions": ("0cc07431db26613080a36dd36aaff27e271cd089e13a08545ba6f9fcea5552c3",
                       "4aec7d0e2b031abeb5c5cb2b10cf952ca7d64cd1ae607674a5c8a3b5fb880aaa"),
    "rare-responses": ("4b107e3c84f2028cd2e0f2169ee86a6d6a982da913b6952a87c244dc2647210a",
                       "dbd3eabe14040029081905a75f7b7de7e855976093304c7b2ce6a013632b2531"),
    "responses": ("53ee65f34643731b24258377d9d2585932d58c3c22e7ce45066624c8baf4b3ab",
                  "72baad0a3bd9cc8551fba3e525a7d6f01129b2c9c9e96d45b7adabceaae8be0e"),
    "results": ("09874b453a4aaceeed12bd9c8932cbb08e252683715d7f102a5ff15e45c3a263",
                "72baad0a3bd9cc8551fba3e525a7d6f01129b2c9c9e96d45b7adabceaae8be0e"),
}


def download(columns: dict[str, bool]) -> str:
    course = learners._course_of(SAMPLE)
    questions = learners.interaction_count(learners.simulate(course, LEARNERS, SEED, attempts_per_learner=ATTEMPTS))
    out = io.StringIO(newline="")
    report = learners.MoodleInteractionsReport(out, course, questions, **columns)
    for attempt in learners.simulate(course, LEARNERS, SEED, attempts_per_learner=ATTEMPTS):
        report.write(attempt)
    return out.getvalue()


def rewritten(text: str) -> str:
    """The download with rare values: every date form, odd results, unknown question ids,
    responses no question can have, a response moved, attempts and names missing."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    header = rows[0]
    responses = [i for i, h in enumerate(header) if h.startswith("Response ")]
    questions = [i for i, h in enumerate(header) if h.startswith("Question ")]
    results = [i for i, h in enumerate(header) if h.startswith("Result ")]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(header)
    for number, row in enumerate(rows[1:]):
        for column in (3, 4):
            moment = datetime.strptime(row[column], "%A, %d %B %Y, %I:%M %p")
            form = DATE_FORMS[(number + column) % len(DATE_FORMS)]
            if number % 13 == 0:
                row[column] = ODD_DATES[(number // 13 + column) % len(ODD_DATES)]
            elif form.endswith(" (lower)"):
                row[column] = moment.strftime(form.removesuffix(" (lower)")).lower()
            else:
                row[column] = moment.strftime(form)
        filled = [i for i in responses if row[i]]
        if filled and number % 7 == 1:
            row[filled[number % len(filled)]] = ("zz", "a,a", "true", "0", " b ", "x.y", "{case}")[number // 7 % 7]
        if len(filled) > 2 and number % 11 == 2:
            row[filled[0]], row[filled[-1]] = row[filled[-1]], row[filled[0]]
        if questions and number % 17 == 3:
            row[questions[0]] = "no_such_question"
        if results and number % 5 == 4:
            row[results[number % len(results)]] = ("neutral", "Wrong", "unanticipated", "correct", "odd")[number % 5]
        if number % 29 == 5:
            row[2] = "-"
        if number % 31 == 6:
            row[0] = row[1] = ""
        writer.writerow(row)
    return out.getvalue()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def events_text(path: Path, course: CourseMap) -> str:
    notes: list[str] = []
    lines = [json.dumps(astuple(event), ensure_ascii=False) for event in read_moodle_report(path, course, notes=notes)]
    return "\n".join([*lines, json.dumps(notes, ensure_ascii=False)])


def inputs() -> dict[str, str]:
    files = {name: download(columns) for name, columns in COLUMN_SETS.items()}
    files["rare-questions"] = rewritten(files["questions-results"])
    files["rare-responses"] = rewritten(files["results"])
    return files


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return inputs()


@pytest.mark.parametrize("name", sorted(PINS))
def test_the_events_of_simulated_downloads_are_unchanged(tmp_path: Path, files: dict[str, str], name: str) -> None:
    input_pin, events_pin = PINS[name]
    assert digest(files[name]) == input_pin, "bench/learners.py now writes another download: take the pins again"
    path = tmp_path / f"{name}.txt"
    path.write_text(files[name], encoding="utf-8", newline="")
    assert digest(events_text(path, load_course_map(SAMPLE))) == events_pin


def test_moodle_dates_are_read_as_strptime_reads_them() -> None:
    """Every minute of a day, every month, a leap day; with and without the weekday."""
    moments = [datetime(2028, 2, 29, tzinfo=timezone.utc) + timedelta(minutes=m) for m in range(24 * 60)]
    moments += [datetime(2026, month, day, 12, 30, tzinfo=timezone.utc) for month in range(1, 13) for day in (1, 9, 28)]
    for moment in moments:
        for form in ("%A, %-d %B %Y, %-I:%M %p", "%-d %B %Y, %-I:%M %p", "%A, %d %B %Y, %I:%M %p"):
            text = moment.strftime(form)
            moodle._DATES.clear()
            assert moodle._date(text, 2, moodle._Tally()) == (moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment), text
    tally = moodle._Tally()
    assert moodle._date("Monday, 29 February 2027, 9:05 AM", 2, tally) == ("", None)
    assert tally.bad_date_count == 1


if __name__ == "__main__":  # print the pins (run from tests/, with the reader known to be right)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        course_map = load_course_map(SAMPLE)
        for name, text in sorted(inputs().items()):
            target = Path(folder) / f"{name}.txt"
            target.write_text(text, encoding="utf-8", newline="")
            if len(sys.argv) > 1:  # and the events, to compare
                (Path(sys.argv[1]) / f"{name}.events").write_text(events_text(target, course_map), encoding="utf-8")
            print(f'    "{name}": ("{digest(text)}",\n        "{digest(events_text(target, course_map))}"),')
