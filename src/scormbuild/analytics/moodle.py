"""Moodle's SCORM report downloads (Interactions report, Basic report) as events.

One row is one attempt of one learner: Name, the site's identity columns (Email address,
ID number ...), Attempt, Started on, Last accessed on, Score, one column per SCO (its score,
``50`` or ``50/100``, or its status word), then for each interaction in the order the package
wrote them (answer order, not question order) "Response N" and, when switched on in the
report's options, "Question N" (the interaction id), "Right answer N" and "Result N".

A learner is told by the site's identity fields (every column between Name and Attempt, and
Email address, Username or ID number wherever they are), joined; a name alone does not tell two
people apart, so a row without any is a learner of its own (and ``notes`` says so).

Each row gives a ``started`` event, an ``answered`` event per response placed on one of the
course's interactions, and an outcome (``completed``, ``passed`` or ``failed``). Without
"Question N" a response is placed by what it can be and where it comes in the learner's path
(``CourseMap.following``); a response that fits more than one place is counted in ``notes``
and left out, never guessed, and the row gives an ``unplaced`` event for each interaction it may
be (once an attempt, as ``answered`` figures count attempts), so that the report can say which
figures lack it. Responses are given back in xAPI's format with the course's ids
(see ``events.Event``), every mapping of the SCORM 1.2 runtime undone.

Moodle writes dates in the site's time zone, which the download does not say: times are taken
as UTC. ``notes`` gets its sentences when the whole file has been read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from scormbuild.analytics.coursemap import CourseMap, Interaction
from scormbuild.analytics.events import Event, EventType
from scormbuild.analytics.moodle_files import DOWNLOAD_HINT, read_rows
from scormbuild.errors import ReportError, describe
from scormbuild.interactions import interaction_id
from scormbuild.runtime_values import CASE_MATTERS, ESCAPE, NEWLINE, decode_text

SCORM12_TEXT_LIMIT = 255  # CMIString255: the player cuts longer texts to 254 characters and an ellipsis
CHOICE_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"  # `build --strict-scorm12` writes choices by position
CACHED_VALUE_CHARS = 64  # short values (choice ids, t/f) repeat across learners: their readings are cached
MAX_CACHED = 50_000
MAX_CACHED_DATES = 4_096  # dates are read to the minute: over a year few repeat, so a small cache does as well
PLACEMENT_CACHED_RESPONSES = 64  # an attempt's placement is cached when it has at most this many responses
MAX_PLACEMENTS = 10_000  # so that the placement cache stays under a few tens of MB whatever the file
MAX_NOTED_ROWS = 5  # rows named in a note before "..."

_RESPONSE = re.compile(r"^(Response|Question|Right answer|Result) (\d{1,6})$")
# identity fields that tell one user from another alone (Moodle writes the site's identity fields after Name)
_UNIQUE_IDENTITY_HEADERS = ("email address", "email", "username", "id number", "idnumber")
_DATE_FORMATS = ("%A, %d %B %Y, %I:%M %p", "%d %B %Y, %I:%M %p", "%A, %d %B %Y, %H:%M", "%d %B %Y, %H:%M",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M")
# Moodle's own form (userdate's strftimedatetime, English: "Friday, 16 January 2026, 8:33 AM") is read
# without strptime, which is slow, its day and its time apart (few of each, both cached); the same dates
# as strptime reads them (the weekday is not checked). Anything else goes to strptime.
_MONTHS = {name: number for number, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}
_MOODLE_DAY = re.compile(r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), )?"
                         r"(3[01]|[12]\d|0[1-9]|[1-9]) (" + "|".join(_MONTHS) + r") ([1-9]\d{3})")
_MOODLE_TIME = re.compile(r"(1[0-2]|0[1-9]|[1-9]):([0-5]\d) ([AP]M)")
_STATUS_EVENTS: dict[str, EventType | None] = {
    "passed": "passed", "failed": "failed", "completed": "completed",
    "incomplete": None, "not attempted": None, "browsed": None, "not started": None,
}
_RESULTS = {"correct": True, "wrong": False, "incorrect": False, "unanticipated": False, "neutral": None}
_TEXT_TYPES = ("fill-in", "long-fill-in")
_TRUE_FALSE = {"t": "true", "true": "true", "1": "true", "f": "false", "false": "false", "0": "false"}
_SCORE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?)\s*)?$")


@dataclass
class _Columns:
    name: int
    attempt: int
    started: int
    last: int
    score: int
    identity: list[int]  # every identity column (Email address, Username, ID number, Department ...)
    identity_unique: bool  # one of them tells users apart alone: the name is not part of the key
    group: int | None
    scos: list[int]
    responses: dict[int, int]  # interaction number -> column, in order
    questions: dict[int, int]
    results: dict[int, int]
    interaction_cells: list[tuple[int, int, int, int]] = field(init=False)  # number, response, question, result
    width: int = field(init=False)  # cells a row is padded to, so that cells are read without bounds checks

    def __post_init__(self) -> None:
        self.interaction_cells = [(n, column, self.questions.get(n, -1), self.results.get(n, -1))
                                  for n, column in self.responses.items()]
        known = [self.name, self.attempt, self.started, self.last, self.score, *self.identity, self.group,
                 *self.scos,
                 *self.responses.values(), *self.questions.values(), *self.results.values()]
        self.width = max((c for c in known if c is not None), default=-1) + 1


@dataclass
class _Tally:
    """What the notes will tell, counted while streaming."""

    unplaced: int = 0
    unknown_ids: int = 0
    off_path_attempts: int = 0
    bad_dates: list[str] = field(default_factory=list)
    bad_date_count: int = 0
    responses_seen: int = 0
    rows: int = 0
    no_attempt: int = 0
    rows_without_identity: int = 0


def read_moodle_report(path: Path, course: CourseMap, *, group_column: str | None = None,
                       notes: list[str]) -> Iterator[Event]:
    """The events of one Moodle SCORM report download (.txt/.csv, .ods, .xls/.xlsx), row by row."""
    rows = read_rows(path)
    header = next(((number, cells) for number, cells in rows if any(c.strip() for c in cells)), None)
    if header is None:
        raise ReportError(f"{describe(str(path), 200)}: has no rows\n    hint: {DOWNLOAD_HINT}")
    columns = _columns(path, header[1], group_column)
    reader = _Placer(course)
    tally = _Tally()
    for number, cells in rows:
        yield from _row_events(path, number, cells, columns, course, reader, tally)
    notes.extend(_notes(columns, tally))


# --- columns -----------------------------------------------------------------------------------

def _columns(path: Path, headers: list[str], group_column: str | None) -> _Columns:
    names = [h.strip() for h in headers]
    lowered = [n.lower() for n in names]

    def find(*wanted: str) -> int | None:
        return next((lowered.index(w) for w in wanted if w in lowered), None)

    required = {"Name": find("name", "full name"), "Attempt": find("attempt"), "Started on": find("started on"),
                "Last accessed on": find("last accessed on"), "Score": find("score")}
    missing = [label for label, index in required.items() if index is None]
    if missing:
        shown = ", ".join(f"“{describe(n, 40)}”" for n in names[:12] if n) + (" ..." if len(names) > 12 else "")
        raise ReportError(f"{describe(str(path), 200)}: is not a Moodle SCORM report: its first row has no "
                          f"{', '.join(missing)} column(s) (it has: {shown or 'nothing'})\n    hint: {DOWNLOAD_HINT}, "
                          "with Moodle's interface in English")
    group = None
    if group_column is not None:
        group = find(group_column.strip().lower())
        if group is None:
            shown = ", ".join(f"“{describe(n, 40)}”" for n in names if n and not _RESPONSE.match(n))
            raise ReportError(f"{describe(str(path), 200)}: has no column “{describe(group_column, 60)}” for "
                              f"groups; its columns are {shown}\n    hint: Moodle's download has a group only "
                              "where the site shows one as an identity field (Site administration > Users > "
                              "Permissions > User policies > Show user identity); name one of the columns above")
    responses: dict[int, int] = {}
    questions: dict[int, int] = {}
    results: dict[int, int] = {}
    first_interaction_column = len(names)
    for index, name in enumerate(names):
        match = _RESPONSE.match(name)
        if not match:
            continue
        first_interaction_column = min(first_interaction_column, index)
        target = {"Response": responses, "Question": questions, "Result": results}.get(match.group(1))
        if target is not None:
            target[int(match.group(2))] = index
    score = required["Score"]
    name_column, attempt_column = required["Name"], required["Attempt"]
    started, last = required["Started on"], required["Last accessed on"]
    assert score is not None and name_column is not None and attempt_column is not None
    assert started is not None and last is not None
    unique = {i for i, n in enumerate(lowered) if n in _UNIQUE_IDENTITY_HEADERS}
    identity = sorted(({*range(name_column + 1, attempt_column)} | unique)
                      - {name_column, attempt_column, score, started, last})
    return _Columns(name=name_column, attempt=attempt_column, started=started, last=last,
                    score=score, identity=identity,
                    identity_unique=bool(unique & set(identity)), group=group,
                    scos=list(range(score + 1, first_interaction_column)), responses=dict(sorted(responses.items())),
                    questions=questions, results=results)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


# --- one row -----------------------------------------------------------------------------------

def _row_events(path: Path, number: int, cells: list[str], columns: _Columns, course: CourseMap,
                placer: _Placer, tally: _Tally) -> list[Event]:
    """The row's events (a list: one generator fewer for each event to pass)."""
    tally.rows += 1
    if len(cells) < columns.width:
        cells = cells + [""] * (columns.width - len(cells))
    attempt = cells[columns.attempt].strip()
    if attempt in ("", "-"):
        tally.no_attempt += 1  # a learner without an attempt: Moodle lists them too
        return []
    name = cells[columns.name].strip()
    learner = _learner(cells, columns, name, number, tally)
    if not learner:
        return []
    group = _cell(cells, columns.group)
    started, started_at = _date(cells[columns.started].strip(), number, tally)
    last, last_at = _date(cells[columns.last].strip(), number, tally)
    events = [Event("started", learner, name, attempt, group, started)]

    raw: list[tuple[int, str, str, str]] = []  # (interaction number, response, question id, result)
    for n, column, question_column, result_column in columns.interaction_cells:
        value = cells[column]
        if value and not value.isspace():
            raw.append((n, value, cells[question_column].strip() if question_column >= 0 else "",
                        cells[result_column].strip() if result_column >= 0 else ""))
    tally.responses_seen += len(raw)
    placed, unplaced = placer.place(raw, tally)
    for interaction, response, result in placed:
        success = _RESULTS.get(result.lower(), response.success) if result else response.success
        events.append(Event("answered", learner, name, attempt, group, last or started, interaction.id,
                            interaction.kind, response.value, success, truncated=response.truncated))
    for ident in unplaced:  # what the report's figures of these interactions may lack
        events.append(Event("unplaced", learner, name, attempt, group, last or started, ident,
                            course.interactions[ident].kind))

    outcome = _outcome(cells, columns, course)
    if outcome is not None:
        kind, score = outcome
        seconds = (last_at - started_at).total_seconds() if last_at and started_at else None
        events.append(Event(kind, learner, name, attempt, group, last,
                            seconds=seconds if seconds is None or seconds >= 0 else None, score=score))
    return events


def _learner(cells: list[str], columns: _Columns, name: str, row: int, tally: _Tally) -> str:
    """The learner's key: the identity fields joined (with the name unless one of them is unique
    alone); with none, the row itself, since a name alone does not tell two people apart."""
    values = [cells[column].strip() for column in columns.identity]
    if any(values):
        return " | ".join(values if columns.identity_unique else [name, *values])
    if not name:
        return ""
    tally.rows_without_identity += 1
    return f"{name} #row {row}"


_DATES: dict[str, tuple[str, datetime | None]] = {}  # Moodle's dates have minutes: many rows share one
_DAYS: dict[str, date | None] = {}
_TIMES: dict[str, tuple[int, int] | None] = {}


def _moodle_day(text: str) -> date | None:
    if text not in _DAYS:
        match = _MOODLE_DAY.fullmatch(text)
        try:
            day = date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1))) if match else None
        except ValueError:  # 31 February: strptime refuses it too
            day = None
        if len(_DAYS) >= MAX_CACHED:
            _DAYS.clear()
        _DAYS[text] = day
    return _DAYS[text]


def _moodle_time(text: str) -> tuple[int, int] | None:
    if text not in _TIMES:
        match = _MOODLE_TIME.fullmatch(text)
        if len(_TIMES) >= MAX_CACHED:
            _TIMES.clear()
        _TIMES[text] = (int(match.group(1)) % 12 + (12 if match.group(3) == "PM" else 0),
                        int(match.group(2))) if match else None
    return _TIMES[text]


def _date(value: str, row: int, tally: _Tally) -> tuple[str, datetime | None]:
    """A date cell (stripped) as ISO 8601 UTC (the site's time zone is not in the download), and as a datetime."""
    if value in ("", "-"):
        return "", None
    known = _DATES.get(value)
    if known is not None:
        return known
    if len(_DATES) >= MAX_CACHED_DATES:
        _DATES.clear()
    day_text, comma, time_text = value.rpartition(", ")  # the time has no comma
    day = _moodle_day(day_text) if comma else None
    clock = _moodle_time(time_text) if day else None
    if day and clock:
        moment = datetime(day.year, day.month, day.day, *clock, tzinfo=timezone.utc)
        _DATES[value] = f"{day.isoformat()}T{clock[0]:02d}:{clock[1]:02d}:00Z", moment
        return _DATES[value]
    for pattern in _DATE_FORMATS:
        try:
            moment = datetime.strptime(value, pattern).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        _DATES[value] = moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment
        return _DATES[value]
    tally.bad_date_count += 1
    if len(tally.bad_dates) < MAX_NOTED_ROWS:
        tally.bad_dates.append(f"row {row:,}: “{describe(value, 40)}”")
    return "", None


def _percent(value: str) -> float | None:
    match = _SCORE.match(value)
    if not match:
        return None
    raw = float(match.group(1))
    top = float(match.group(2)) if match.group(2) else None
    return raw * 100 / top if top else raw


def _outcome(cells: list[str], columns: _Columns, course: CourseMap) -> tuple[EventType, float | None] | None:
    """From the SCO's column: its score (pass or fail by the course's pass mark) or its status;
    the Score column gives the score when the SCO shows a status."""
    sco = ""
    for column in columns.scos:
        sco = cells[column].strip()  # the row is padded to every column
        if sco:
            break
    score = _percent(sco)
    pass_mark = course.course.pass_mark
    if score is not None:
        if pass_mark is None:
            return "completed", score
        return ("passed" if score >= pass_mark else "failed"), score
    kind = _STATUS_EVENTS.get(sco.lower())
    if kind is None:
        return None
    return kind, _percent(_cell(cells, columns.score))


# --- responses -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """A SCORM 1.2 response read as one interaction's: xAPI format, right or not."""

    value: str
    success: bool | None
    truncated: bool = False


def _ids(interaction: Interaction, parts: list[str], targets: bool = False) -> list[str] | None:
    """Choice ids as written (or, with --strict-scorm12, by their letter), or None if one is unknown."""
    known = [o.id for o in (interaction.targets if targets else interaction.options)]
    order = [o.id for o in interaction.options]  # letters count positions in the options (pairs for matching)
    out = []
    for part in parts:
        if part in known:
            out.append(part)
        elif len(part) == 1 and part in CHOICE_LETTERS and CHOICE_LETTERS.index(part) < len(order) \
                and order[CHOICE_LETTERS.index(part)] in known:
            out.append(order[CHOICE_LETTERS.index(part)])
        else:
            return None
    return out


def single_answer_ids(course: CourseMap) -> set[str]:
    """The choice interactions that take one answer: decisions, self-checks and single-choice
    questions (a multiple-choice question with one right option looks the same in the map)."""
    single = {i.id for i in course.interactions.values() if i.type == "choice" and i.kind != "quiz"}
    for scene in course.course.scene_list:
        for question in getattr(scene, "questions", None) or ():
            if getattr(question, "kind", "") == "single":
                single.add(interaction_id(scene.id, question.id))
    return single


def read_response(interaction: Interaction, value: str, single: bool = False) -> Reading | None:
    """``value`` as a response to ``interaction``, or None when it cannot be one (``single``:
    the interaction takes one choice)."""
    itype = interaction.type
    patterns = interaction.correct
    if itype == "true-false":
        word = _TRUE_FALSE.get(value.strip().lower())
        if word is None:
            return None
        return Reading(word, (word == patterns[0]) if patterns else None)
    if itype in ("choice", "sequencing"):
        ids = _ids(interaction, value.split(","))
        if ids is None or len(set(ids)) != len(ids) or (single and len(ids) != 1):
            return None
        if itype == "sequencing" and len(ids) != len(interaction.options):
            return None
        if not patterns:
            return Reading("[,]".join(ids), None)
        if itype == "choice":
            right = any(set(ids) == set(p.split("[,]")) for p in patterns)
        else:
            right = any(ids == p.split("[,]") for p in patterns)
        return Reading("[,]".join(ids), right)
    if itype == "matching":
        pairs = [part.split(".", 1) for part in value.split(",")]
        if any(len(p) != 2 for p in pairs):
            return None
        sources = _ids(interaction, [p[0] for p in pairs])
        answers = _ids(interaction, [p[1] for p in pairs], targets=True)
        if sources is None or answers is None or len(set(sources)) != len(sources):
            return None
        written = list(zip(sources, answers, strict=True))
        right = any(set(written) == {tuple(x.split("[.]", 1)) for x in p.split("[,]")} for p in patterns)
        return Reading("[,]".join(f"{s}[.]{a}" for s, a in written), right if patterns else None)
    if itype in _TEXT_TYPES:
        return _text_success(interaction, _text_reading(value))
    return None


def _text_reading(value: str) -> Reading:
    """A text as typed (the runtime's encoding undone), and whether the SCORM 1.2 limit cut it."""
    cut = value.endswith("\u2026") and len(value.encode("utf-16-le")) // 2 >= SCORM12_TEXT_LIMIT
    if ESCAPE in value:
        value = decode_text(value)
    elif NEWLINE in value:
        value = value.replace(NEWLINE, "\n")  # decode_text's only change to a text without an escape
    return Reading(value, None, cut)


def _text_success(interaction: Interaction, text: Reading) -> Reading:
    if interaction.type == "long-fill-in" or not interaction.correct:
        return text
    return Reading(text.value, any(_same_text(text.value, p) for p in interaction.correct), text.truncated)


def _same_text(typed: str, pattern: str) -> bool:
    """The player's rule (kinds/quiz.js): trimmed, and case ignored unless it matters."""
    if pattern.startswith(CASE_MATTERS):
        return typed.strip() == pattern[len(CASE_MATTERS):]
    return typed.strip().lower() == pattern.lower()


class _Placer:
    """Places each response of an attempt on one of the course's interactions."""

    def __init__(self, course: CourseMap) -> None:
        self.course = course
        self.interactions = course.interactions
        # A question answered twice in a row is allowed: the player shows a quiz anew when the SCO is
        # launched again, which Moodle keeps in the same attempt and the download does not show, so
        # placing by "once a visit" would be a guess.
        self.allowed, self.first = course.following, course.first
        self.single = single_answer_ids(course)
        self.texts = {ident: i for ident, i in self.interactions.items() if i.type in _TEXT_TYPES}
        # what a choice, sequencing or matching response is made of, cut at "," and ".": a value
        # with another piece is none of these (most free texts are told at their first word)
        self.pieces = set(CHOICE_LETTERS) | {
            piece for i in self.interactions.values() for option in i.options + i.targets
            for piece in option.id.replace(".", ",").split(",")}
        # a value's readings (by interaction id), and the ids alone
        self.cache: dict[str, tuple[dict[str, Reading], tuple[str, ...]]] = {}
        # a value read as a named question's ("Question N" columns)
        self.named: dict[tuple[str, str], Reading | None] = {}
        # the same answers in the same order (most learners take the same few paths) are placed once
        # (no path fits, the interactions each response may be on: placed when there is one)
        self.placements: dict[tuple[tuple[str, ...], ...], tuple[bool, list[tuple[str, ...]]]] = {}
        self.order = {ident: interaction.order for ident, interaction in self.interactions.items()}

    def readings(self, value: str) -> tuple[dict[str, Reading], tuple[str, ...]]:
        cached = self.cache.get(value)
        if cached is not None:
            return cached
        text = _text_reading(value)  # read once for every text question
        if not self._may_be_structured(value):
            found = tuple((ident, _text_success(interaction, text)) for ident, interaction in self.texts.items())
            return self._cached(value, found)
        found = tuple((ident, reading) for ident, interaction in self.interactions.items()
                      if (reading := (_text_success(interaction, text) if interaction.type in _TEXT_TYPES else
                                      read_response(interaction, value, ident in self.single))) is not None)
        structured = tuple(item for item in found if self.interactions[item[0]].type not in _TEXT_TYPES)
        found = structured or found  # a value a choice or true-false can be is not taken for free text
        return self._cached(value, found)

    def _may_be_structured(self, value: str) -> bool:
        """False when no true-false, choice, sequencing or matching interaction can read ``value``."""
        if value.strip().lower() in _TRUE_FALSE:
            return True
        pieces = self.pieces
        return all(piece in pieces for piece in value.replace(".", ",").split(","))

    def _cached(self, value: str, found: tuple[tuple[str, Reading], ...]) -> tuple[dict[str, Reading],
                                                                                   tuple[str, ...]]:
        entry = dict(found), tuple(ident for ident, _ in found)
        if len(value) <= CACHED_VALUE_CHARS:
            if len(self.cache) >= MAX_CACHED:
                self.cache.clear()
            self.cache[value] = entry
        return entry

    def named_reading(self, question: str, value: str) -> Reading | None:
        """``value`` as the response to the interaction ``question`` names (None: no such question or answer)."""
        key = (question, value)
        if key in self.named:
            return self.named[key]
        interaction = self.interactions.get(question)
        reading = read_response(interaction, value, question in self.single) if interaction else None
        if len(value) <= CACHED_VALUE_CHARS:
            if len(self.named) >= MAX_CACHED:
                self.named.clear()
            self.named[key] = reading
        return reading

    def place(self, raw: list[tuple[int, str, str, str]],
              tally: _Tally) -> tuple[list[tuple[Interaction, Reading, str]], list[str]]:
        """The responses placed for sure (interaction, reading, Moodle's result), and the interactions
        that responses left out may belong to (each once, in order)."""
        placed = []
        if raw and raw[0][2] and all(question for _, _, question, _ in raw):
            for _, value, question, result in raw:
                reading = self.named_reading(question, value)
                if reading is None:
                    tally.unknown_ids += 1
                else:
                    placed.append((self.interactions[question], reading, result))
            return placed, []
        cache = self.cache
        entries = [cache.get(value) or self.readings(value) for _, value, _, _ in raw]
        key = tuple(idents for _, idents in entries)
        known = self.placements.get(key)
        if known is None:
            places = self._consistent([readings for readings, _ in entries])
            # no path of the course fits: only what one reading allows
            chosen = [set(idents) for _, idents in entries] if places is None else places
            order = self.order
            known = places is None, [tuple(sorted(c, key=order.__getitem__)) for c in chosen]
            if len(key) <= PLACEMENT_CACHED_RESPONSES:  # a key's size is bounded, and so is the cache's
                if len(self.placements) >= MAX_PLACEMENTS:
                    self.placements.clear()
                self.placements[key] = known
        off_path, candidates = known
        tally.off_path_attempts += off_path
        unplaced: dict[str, None] = {}  # ordered, each once
        for (_, _, _, result), fits, (readings, _) in zip(raw, candidates, entries, strict=True):
            if len(fits) == 1:
                placed.append((self.interactions[fits[0]], readings[fits[0]], result))
            elif fits:
                tally.unplaced += 1
                unplaced.update(dict.fromkeys(fits))
            else:
                tally.unknown_ids += 1  # an answer no question of the course can have
        return placed, list(unplaced)

    def _consistent(self, options: list[dict[str, Reading]]) -> list[set[str]] | None:
        """For each response, the interactions it can be on some path of the course through
        all the responses (forward then backward); None when no path fits."""
        if not options:
            return []
        forward = [set(options[0]) & self.first]
        for readings in options[1:]:
            reachable: set[str] = set()
            for ident in forward[-1]:
                reachable |= self.allowed.get(ident, set())
            forward.append(reachable & readings.keys())
        if not forward[-1]:
            return None
        backward = [forward[-1]]
        for index in range(len(options) - 2, -1, -1):
            following = backward[0]
            backward.insert(0, {i for i in forward[index] if self.allowed.get(i, set()) & following})
        return backward


# --- notes ---------------------------------------------------------------------------------------

def _notes(columns: _Columns, tally: _Tally) -> list[str]:
    notes = []
    if tally.rows_without_identity:
        notes.append(f"{tally.rows_without_identity:,} attempt(s) have no identity field (email address, username, "
                     "ID number ...), only a name: each is counted as a learner of its own, since two people may "
                     "share a name and the attempts of one person cannot be told apart. To have one, show "
                     "identity fields in Moodle (Site administration > Users > Permissions > User policies > Show "
                     "user identity) and download the report again.")
    scorm2004 = ("Moodle 4.1's Interactions report shows no SCORM 2004 responses: to see what learners chose, "
                 "use the SCORM 1.2 package in Moodle, or the xAPI or cmi5 package with an LRS.")
    if not columns.responses:
        notes.append("This is a report without responses (Moodle's Basic report): only attempts, scores and "
                     "statuses are shown. Download the Interactions report for the learners' answers. " + scorm2004)
    elif tally.responses_seen == 0 and tally.rows > tally.no_attempt:
        notes.append("Every response in this download is empty, as Moodle writes them for a SCORM 2004 package: "
                     "only attempts, scores and statuses are shown. " + scorm2004)
    if tally.unplaced:
        notes.append(f"{tally.unplaced:,} response(s) could fit more than one question of the course and were left "
                     "out. In the Interactions report's options, switch on “Question text” before downloading: "
                     "each response then names its question.")
    if tally.unknown_ids:
        notes.append(f"{tally.unknown_ids:,} response(s) name a question the course does not have, or hold an "
                     "answer it cannot have, and were left out: was the course changed after these attempts?")
    if tally.off_path_attempts:
        notes.append(f"{tally.off_path_attempts:,} attempt(s) answered in an order no path of the course allows "
                     "(the course may have changed since): only their answers that fit one question were kept.")
    if tally.bad_date_count:
        shown = "; ".join(tally.bad_dates) + (" ..." if tally.bad_date_count > len(tally.bad_dates) else "")
        notes.append(f"{tally.bad_date_count:,} date(s) could not be read ({shown}) and were left empty: download "
                     "the report with Moodle's interface in English.")
    if tally.no_attempt:
        notes.append(f"{tally.no_attempt:,} learner(s) in the download have no attempt.")
    return notes
