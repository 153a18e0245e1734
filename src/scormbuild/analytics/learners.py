"""Per learner: the choices at each decision, reflections, quiz score, completion and result,
as a table for people, CSV (one row per answer) for spreadsheets, or JSON for programs.

Every value from a source goes through ``text.shown`` (terminal) or ``text.csv_cell`` (CSV)
or ``text.json_safe`` (JSON) on its way out.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from scormbuild.analytics.text import csv_cell, json_safe, shown


@dataclass
class Answer:
    item: str
    kind: str
    response: str
    success: bool | None
    timestamp: str


@dataclass
class LearnerSummary:
    learner: str
    name: str
    answers: list[Answer] = field(default_factory=list)
    completed: bool = False
    result: str = ""
    score: float | None = None

    def decisions(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for answer in self.answers:
            if answer.kind == "decision":
                mark = "" if answer.success is None else (" (right)" if answer.success else " (wrong)")
                out.setdefault(answer.item, []).append(answer.response + mark)
        return out

    def reflections(self) -> dict[str, str]:
        return {a.item: a.response for a in self.answers if a.kind == "reflection"}

    def quiz(self) -> tuple[int, int]:
        """Right answers and questions answered, counting each question's first attempt."""
        first: dict[str, Answer] = {}
        for answer in self.answers:
            if answer.kind == "quiz":
                first.setdefault(answer.item, answer)
        return sum(1 for a in first.values() if a.success), len(first)


MAX_ANSWERS_SHOWN = 10_000  # per learner in the table and JSON (the CSV has every answer)


@dataclass
class Learners:
    """The store's two row streams, in the same order (by name, then identity): one row per learner
    (learner, name, completed, result, score) and every answer (learner, item, kind, response, success,
    timestamp). Read together one learner at a time, so memory does not grow with the data."""

    outcomes: Iterable[tuple[Any, ...]]
    answers: Iterable[tuple[Any, ...]]

    def each(self) -> Iterator[tuple[LearnerSummary, Iterator[Answer]]]:
        """Each learner, with an iterator over their answers (to be read before the next learner)."""
        answers = iter(self.answers)
        pending: tuple[Any, ...] | None = next(answers, None)
        for learner, name, completed, result, score in self.outcomes:
            summary = LearnerSummary(learner, name, completed=bool(completed), result=result or "",
                                     score=None if score is None else round(score, 1))

            def theirs(learner: str = learner) -> Iterator[Answer]:
                nonlocal pending
                while pending is not None and pending[0] == learner:
                    _, item, kind, response, success, timestamp = pending
                    yield Answer(item, kind, response, None if success is None else bool(success), timestamp)
                    pending = next(answers, None)

            yield summary, theirs()

    def summaries(self) -> Iterator[tuple[LearnerSummary, int]]:
        """Each learner with at most MAX_ANSWERS_SHOWN answers, and how many more there were."""
        for summary, answers in self.each():
            more = 0
            for answer in answers:
                if len(summary.answers) < MAX_ANSWERS_SHOWN:
                    summary.answers.append(answer)
                else:
                    more += 1
            yield summary, more


def as_json(data: Learners) -> Iterator[str]:
    yield "["
    for index, (s, more) in enumerate(data.summaries()):
        right, answered = s.quiz()
        row = {
            "learner": s.learner, "name": s.name, "completed": s.completed, "result": s.result or None,
            "score": s.score, "quiz": {"right": right, "answered": answered},
            "decisions": s.decisions(), "reflections": s.reflections(),
            "answers": [asdict(a) for a in s.answers],
        }
        if more:
            row["answers_left_out"] = more
        yield ("," if index else "") + "\n" + json_safe(json.dumps(row, indent=2, ensure_ascii=False))
    yield "\n]\n"


def as_csv(data: Learners) -> Iterator[str]:
    """One row per answer: the shape a spreadsheet or pandas wants. Written as it is read."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "name", "kind", "item", "response", "success", "timestamp",
                     "completed", "result", "score"])
    for s, answers in data.each():
        for number, a in enumerate(answers, 1):
            writer.writerow([csv_cell(s.learner), csv_cell(s.name), csv_cell(a.kind), csv_cell(a.item),
                             csv_cell(a.response), "" if a.success is None else str(a.success).lower(),
                             csv_cell(a.timestamp), str(s.completed).lower(), s.result,
                             "" if s.score is None else s.score])
            if number % 1000 == 0 or out.tell() > 65_536:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    yield out.getvalue()


def as_table(data: Learners) -> Iterator[str]:
    """For a terminal: every value shortened and made inert by ``shown``."""
    empty = True
    for s, more in data.summaries():
        empty = False
        right, answered = s.quiz()
        status = "completed" if s.completed else "not completed"
        result = f", {s.result}" if s.result else ""
        score = f", score {s.score:g}%" if s.score is not None else ""
        lines = [f"{shown(s.name or s.learner, 100)} <{shown(s.learner, 100)}>: {status}{result}{score}, "
                 f"quiz {right}/{answered}"]
        for item, choices in s.decisions().items():
            lines.append(f"  decision {shown(item, 100)}: {' -> '.join(shown(c, 100) for c in choices)}")
        for item, text in s.reflections().items():
            lines.append(f"  reflection {shown(item, 100)}: {shown(text, 200, newlines=chr(10) + '    ')}")
        if more:
            lines.append(f"  ... and {more:,} more answers (the CSV has them all)")
        yield "\n".join(lines) + "\n"
    if empty:
        yield "No statements found.\n"


FORMATTERS = {"table": as_table, "csv": as_csv, "json": as_json}
