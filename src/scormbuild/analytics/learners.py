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


def learners(rows: Iterable[tuple[Any, ...]]) -> Iterator[LearnerSummary]:
    """One summary per learner from the store's rows (ordered by learner, then time)."""
    current: LearnerSummary | None = None
    for kind, learner, name, item, scene_kind, response, success, score, timestamp in rows:
        if current is None or current.learner != learner:
            if current is not None:
                yield current
            current = LearnerSummary(learner, name)
        current.name = current.name or name
        if kind == "answered":
            current.answers.append(Answer(item, scene_kind, response, None if success is None else bool(success),
                                          timestamp))
        elif kind == "completed":
            current.completed = True
        elif kind in ("passed", "failed"):  # a result is given at the end (Moodle reports only the result)
            current.completed = True
            current.result = kind
            if score is not None:
                current.score = round(score, 1)
    if current is not None:
        yield current


def as_json(summaries: Iterable[LearnerSummary]) -> Iterator[str]:
    yield "["
    for index, s in enumerate(summaries):
        right, answered = s.quiz()
        row = {
            "learner": s.learner, "name": s.name, "completed": s.completed, "result": s.result or None,
            "score": s.score, "quiz": {"right": right, "answered": answered},
            "decisions": s.decisions(), "reflections": s.reflections(),
            "answers": [asdict(a) for a in s.answers],
        }
        yield ("," if index else "") + "\n" + json_safe(json.dumps(row, indent=2, ensure_ascii=False))
    yield "\n]\n"


def as_csv(summaries: Iterable[LearnerSummary]) -> Iterator[str]:
    """One row per answer: the shape a spreadsheet or pandas wants."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "name", "kind", "item", "response", "success", "timestamp",
                     "completed", "result", "score"])
    for s in summaries:
        for a in s.answers:
            writer.writerow([csv_cell(s.learner), csv_cell(s.name), csv_cell(a.kind), csv_cell(a.item),
                             csv_cell(a.response), "" if a.success is None else str(a.success).lower(),
                             csv_cell(a.timestamp), str(s.completed).lower(), s.result,
                             "" if s.score is None else s.score])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def as_table(summaries: Iterable[LearnerSummary]) -> Iterator[str]:
    """For a terminal: every value shortened and made inert by ``shown``."""
    empty = True
    for s in summaries:
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
        yield "\n".join(lines) + "\n"
    if empty:
        yield "No statements found.\n"


FORMATTERS = {"table": as_table, "csv": as_csv, "json": as_json}
