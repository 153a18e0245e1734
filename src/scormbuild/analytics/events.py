"""One thing a learner did, as every source reports it (see ``analytics/__init__``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EventType = Literal["answered", "experienced", "started", "completed", "passed", "failed", "unplaced"]


@dataclass(slots=True)
class Event:
    """One statement, or one cell of a Moodle report, in the course's own ids.

    ``attempt`` tells one attempt of a learner from another: the xAPI registration, or
    Moodle's attempt number ("" when the source has none: all is one attempt).
    ``item`` is the interaction id for ``answered`` (``decision``, ``quiz_q1``) and the
    scene id for ``experienced``; ``response`` is in xAPI's response format with the
    course's ids (choice ids joined by ``[,]``, matching pairs ``a[.]b``, text as typed).
    ``seconds`` is how long the learner took to answer (xAPI ``result.duration``), or the
    attempt's time for an outcome; ``score`` is a percentage, for passed/failed/completed.
    ``unplaced``: a response the source gave that may be this ``item``'s but could not be placed for
    sure (Moodle without "Question text"): one event for each interaction it may belong to, so the
    report can say which figures are partial.
    ``timestamp`` is ISO 8601 in UTC (``2026-11-30T12:00:00.000Z``), "" when unknown.
    """

    type: EventType
    learner: str
    name: str = ""
    attempt: str = ""
    group: str = ""
    timestamp: str = ""
    item: str = ""
    kind: str = ""  # the scene kind of an answer: decision, quiz, reflection, ...
    response: str = ""
    success: bool | None = None
    seconds: float | None = None
    score: float | None = None
    truncated: bool = False  # a text the source cut (Moodle keeps 255 characters of a SCORM 1.2 answer)
