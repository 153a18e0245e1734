"""scormbuild report: what learners chose, wrote and scored, from an LRS or Moodle's report downloads.

The sources stream events (``analytics.lrs``, ``analytics.moodle``) into a working
copy on disk (``analytics.store``); the output is then made from it: per learner
(table, CSV, JSON) or as the whole course (``summary`` JSON, the ``html`` report).
Nothing is written unless everything could be read: an output file appears whole or
not at all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from scormbuild.analytics.coursemap import CourseMap, load_course_map
from scormbuild.analytics.events import Event
from scormbuild.analytics.learners import FORMATTERS, Learners
from scormbuild.analytics.lrs import LrsQuery, read_lrs, timestamp_option, utc_text
from scormbuild.analytics.lrs_http import parse_endpoint
from scormbuild.analytics.store import ATTEMPT_MODES, Selection, Store
from scormbuild.analytics.summary_types import Privacy, Source, Summary
from scormbuild.analytics.text import json_safe, shown
from scormbuild.errors import ReportError
from scormbuild.fsutil import write_atomically

PSEUDONYM_KEY_VARIABLE = "SCORMBUILD_PSEUDONYM_KEY"
OUTPUT_FORMATS = ("table", "csv", "json", "summary", "html")
COURSE_FORMATS = ("summary", "html")  # need the course source
LRS_SINCE_MARGIN = timedelta(days=31)  # --filter-at-lrs: how much earlier than --since the LRS is asked for


@dataclass
class ReportRequest:
    """Everything `scormbuild report` was asked (see cli.py for what each option means)."""

    output_format: str = "table"
    course_dir: Path | None = None
    endpoint: str | None = None
    user: str = ""
    password: str = ""
    activity: str | None = None
    activity_at_lrs: bool = False
    registration: str | None = None
    moodle_files: tuple[Path, ...] = ()
    group_column: str | None = None
    since: str | None = None
    until: str | None = None
    group: str | None = None
    attempt: str = "all"
    anonymise: bool = False
    free_text: bool = True
    texts_shown: int = 1000
    notes: list[str] = field(default_factory=list)


class Pseudonyms:
    """Stable pseudonyms: ``learner-`` and 12 hex digits of an HMAC of the learner's identity.

    With ``SCORMBUILD_PSEUDONYM_KEY`` set, the same learner gets the same pseudonym in every
    report made with that key; without it, a random key is used and pseudonyms hold within one
    report only. The key never appears in the report."""

    def __init__(self, key: str | None) -> None:
        self.stable = bool(key)
        secret = (key or secrets.token_hex(32)).encode("utf-8")

        @lru_cache(maxsize=65_536)
        def pseudonym(identity: str) -> str:
            return "learner-" + hmac.new(secret, identity.encode("utf-8", "surrogatepass"),
                                         hashlib.sha256).hexdigest()[:12]

        self.of = pseudonym

    def apply(self, events: Iterable[Event]) -> Iterator[Event]:
        for event in events:
            event.learner = self.of(event.learner)
            event.name = event.learner
            yield event


STRUCTURED_TYPES = ("choice", "true-false", "matching", "sequencing")  # answers made of the course's ids
_ID_LIKE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def without_free_text(events: Iterable[Event], course: CourseMap | None) -> Iterator[Event]:
    """Every answer's text left out unless it is surely made of the course's ids (a choice, an order, a
    pairing): reflections, typed answers, and anything the course does not know (whether it was right
    is kept)."""
    for event in events:
        if event.type in ("answered", "unplaced") and event.response:
            interaction = course.interactions.get(event.item) if course else None
            if interaction is not None:
                keep = interaction.type in STRUCTURED_TYPES
            else:  # no course, or an id it does not have: only a decision's choice id is kept
                keep = course is None and event.kind == "decision" and bool(_ID_LIKE.fullmatch(event.response))
            if not keep:
                event.response = ""
        yield event


def privacy_of(request: ReportRequest, pseudonyms: Pseudonyms | None) -> Privacy:
    if pseudonyms is None:
        identities = ("Learners are shown by their names and identities (email address or LMS account): "
                      "this file contains personal data.")
    elif pseudonyms.stable:
        identities = ("Learners are shown by pseudonyms that stay the same in every report made with the same "
                      f"{PSEUDONYM_KEY_VARIABLE}; names and email addresses are not in this file.")
    else:
        identities = ("Learners are shown by pseudonyms made for this report only; names and email addresses "
                      "are not in this file.")
    if request.free_text:
        identities += " Reflections and typed answers are included as learners wrote them, and may name people."
    else:
        identities += " Reflections and typed answers were left out."
    return {"anonymised": pseudonyms is not None, "free_text": request.free_text, "identities": identities}


def _lrs_events(request: ReportRequest, course: CourseMap | None, skipped: Counter[str]) -> Iterator[Event]:
    assert request.endpoint is not None
    # An attempt counts by when it started, so the LRS is never asked for an end (the end of an attempt
    # started in time must be read) and, only when asked to filter, for a start a month early: statements
    # of an attempt that started before --since must be read to know that it did.
    since = None
    if request.activity_at_lrs and request.since:
        since = utc_text(datetime.fromisoformat(request.since.replace("Z", "+00:00")) - LRS_SINCE_MARGIN)
    query = LrsQuery(activity=request.activity or (course.course.iri if course else None),
                     registration=request.registration, since=since, activity_at_lrs=request.activity_at_lrs)
    return read_lrs(request.endpoint, request.user, request.password, query, skipped,
                    course.interaction_of if course else None, course.scene_of if course else None)


def _moodle_events(path: Path, course: CourseMap, request: ReportRequest, notes: list[str]) -> Iterator[Event]:
    from scormbuild.analytics.moodle import read_moodle_report

    return read_moodle_report(path, course, group_column=request.group_column, notes=notes)


def collect(request: ReportRequest, store: Store, course: CourseMap | None, skipped: Counter[str],
            pseudonyms: Pseudonyms | None) -> list[Source]:
    """Every source's events into ``store`` (learners as ``pseudonyms`` when given); what each source
    was and said."""
    sources: list[Source] = []

    def add(kind: str, label: str, events: Iterable[Event], notes: list[str]) -> None:
        if pseudonyms is not None:
            events = pseudonyms.apply(events)
        if not request.free_text:
            events = without_free_text(events, course)
        count = store.add(events)
        sources.append({"kind": kind, "label": label, "events": count, "notes": notes})

    if request.endpoint is not None:
        add("lrs", parse_endpoint(request.endpoint).display, _lrs_events(request, course, skipped), [])
    for path in request.moodle_files:
        if course is None:
            raise ReportError(f"{path}: reading a Moodle report needs the course source, to tell which question "
                              "each response answers: add --course with the course folder")
        notes: list[str] = []
        add("moodle", path.name, _moodle_events(path, course, request, notes), notes)
    return sources


def check_request(request: ReportRequest) -> None:
    """What can be told wrong before anything is read (and before a password is asked for)."""
    if request.endpoint is None and not request.moodle_files:
        raise ReportError("report needs learner data: give an LRS (--endpoint, --user, --password) or a Moodle "
                          "report download (--moodle FILE), or both")
    if request.output_format in COURSE_FORMATS and request.course_dir is None:
        raise ReportError(f"--format {request.output_format} needs the course source, to show each decision with "
                          "its scene and choices: add --course with the course folder")
    if request.attempt not in ATTEMPT_MODES:
        raise ReportError(f"--attempt must be one of {', '.join(ATTEMPT_MODES)}")


def make_report(request: ReportRequest, warn: Callable[[str], None]) -> Iterator[bytes]:
    """The report's bytes, made only once every source was read in full."""
    check_request(request)
    course = load_course_map(request.course_dir) if request.course_dir is not None else None
    if course is not None:
        _check_activity(request, course, warn)
    skipped: Counter[str] = Counter()
    selection = Selection(request.since, request.until, request.group, request.attempt)
    pseudonyms = Pseudonyms(os.environ.get(PSEUDONYM_KEY_VARIABLE)) if request.anonymise else None
    with Store() as store:
        sources = collect(request, store, course, skipped, pseudonyms)
        if skipped:
            warn(skipped_note(skipped))
        for source in sources:
            for note in source["notes"]:
                warn(f"report: note: {source['label']}: {note}")
        if request.group is not None and not store.has_group(request.group):
            known = ", ".join(shown(g, 40) for g in store.groups_seen(10)) or "none"
            warn(f"report: warning: no attempt is in the group {shown(request.group, 60)} (the groups: {known})")
        if request.output_format in COURSE_FORMATS:
            assert course is not None
            summary: Summary = store.summary(course, selection, sources, privacy_of(request, pseudonyms),
                                             request.texts_shown)
            summary["skipped"] = dict(skipped)
            if request.output_format == "summary":
                yield json_safe(json.dumps(summary, indent=2, ensure_ascii=False)).encode("utf-8") + b"\n"
            else:
                from scormbuild.analytics.html import render_html

                yield render_html(summary, course).encode("utf-8")
            return
        for chunk in FORMATTERS[request.output_format](Learners(*store.learners(selection))):
            yield chunk.encode("utf-8")


def _check_activity(request: ReportRequest, course: CourseMap, warn: Callable[[str], None]) -> None:
    if request.activity and request.activity != course.course.iri:
        warn(f"report: warning: --activity {shown(request.activity, 80)} is not this course's IRI "
             f"({shown(course.course.iri, 80)}); ids are matched to the course all the same")


def skipped_note(skipped: Counter[str], shown_reasons: int = 6) -> str:
    count = sum(skipped.values())
    reasons = [f"{n} {why}" for why, n in skipped.most_common(shown_reasons)]
    if len(skipped) > shown_reasons:
        reasons.append(f"{len(skipped) - shown_reasons} other reason(s)")
    noun = "statement" if count == 1 else "statements"
    return (f"report: warning: skipped {count} {noun} it could not read ({'; '.join(reasons)}); "
            "the report leaves them out.")


def run_report(request: ReportRequest, output: Path | None, write: Callable[[bytes], object],
               warn: Callable[[str], None]) -> None:
    """Make the report; to ``output`` (atomically) or through ``write`` (standard output)."""
    request = replace(request, since=timestamp_option(request.since, "--since"),
                      until=timestamp_option(request.until, "--until"))
    if request.since and request.until and request.since >= request.until:
        raise ReportError(f"--since ({request.since}) is not before --until ({request.until}): no attempt could count")
    check_request(request)
    chunks = make_report(request, warn)
    if output is None:
        for chunk in chunks:
            write(chunk)
        return
    write_atomically(output, chunks)
