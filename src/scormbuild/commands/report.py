"""scormbuild report: what each learner chose, wrote and scored, read back from an LRS.

Statements are fetched with TinCanPython's RemoteLRS (following `more` links),
then summarised per learner: the choice made at each decision (in order, so
retries show), reflection texts, the quiz score (first attempts), completion
and result.
"""

from __future__ import annotations

import csv
import io
import json
import socket
from dataclasses import asdict, dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from tincan import RemoteLRS

from scormbuild.errors import ScormbuildError
from scormbuild.xapi_activities import SCENE_KIND_EXTENSION

VERB_BASE = "http://adlnet.gov/expapi/verbs/"
PAGE_LIMIT = 500
MAX_PAGES = 10_000


class ReportError(ScormbuildError):
    def format(self, base: Path | None = None) -> str:
        return f"report: {self}"


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


def actor_key(actor: dict[str, Any]) -> str:
    if "mbox" in actor:
        return str(actor["mbox"])
    if "account" in actor:
        return f"{actor['account'].get('homePage', '')}|{actor['account'].get('name', '')}"
    return str(actor.get("openid") or actor.get("mbox_sha1sum") or json.dumps(actor, sort_keys=True))


def is_about(statement: dict[str, Any], iri: str) -> bool:
    """Whether a statement's object or context activities are ``iri`` or below it."""
    ids = [statement.get("object", {}).get("id", "")]
    for group in ((statement.get("context") or {}).get("contextActivities") or {}).values():
        ids += [a.get("id", "") for a in (group if isinstance(group, list) else [group])]
    prefix = iri.rstrip("/") + "/"
    return any(i == iri or i.startswith(prefix) for i in ids)


def fetch_statements(endpoint: str, user: str, password: str, activity: str | None) -> Iterator[dict[str, Any]]:
    if urlsplit(endpoint).scheme not in ("http", "https"):
        raise ReportError(f"the endpoint must be an http(s) URL, not {endpoint!r}")
    lrs = RemoteLRS(endpoint=endpoint.rstrip("/") + "/", username=user, password=password, version="1.0.3")
    # The activity filter is applied here rather than by the LRS: filtering on the
    # LRS side is uneven (Ralph 5.1's file backend matches nothing), and a course's
    # statements are about its IRI *or any IRI below it*, which xAPI cannot ask for.
    query: dict[str, Any] = {"limit": PAGE_LIMIT, "ascending": True}
    try:
        response = lrs.query_statements(query)
        for _ in range(MAX_PAGES):
            if not response.success:
                status = response.response.status
                if status in (401, 403):
                    raise ReportError(f"the LRS refused the credentials (HTTP {status}): check --user and --password")
                if status == 404:
                    raise ReportError(f"no xAPI statements resource at {endpoint} (HTTP 404): check --endpoint")
                raise ReportError(f"the LRS answered HTTP {status}: {str(response.data)[:300]}")
            result = response.content
            for statement in result.statements or []:
                data = json.loads(statement.to_json())
                if activity is None or is_about(data, activity):
                    yield data
            if not result.more:
                return
            response = lrs.more_statements(result)
    except (OSError, socket.timeout, HTTPException) as exc:
        raise ReportError(f"cannot reach the LRS at {endpoint}: {exc}") from None
    except ValueError as exc:  # an answer that is not xAPI JSON: not an LRS
        raise ReportError(f"{endpoint} did not answer like an xAPI LRS ({exc}); check --endpoint") from None


def summarise(statements: Iterator[dict[str, Any]]) -> list[LearnerSummary]:
    learners: dict[str, LearnerSummary] = {}
    for statement in statements:
        actor = statement.get("actor", {})
        key = actor_key(actor)
        summary = learners.setdefault(key, LearnerSummary(key, actor.get("name", "")))
        verb = statement.get("verb", {}).get("id", "").removeprefix(VERB_BASE)
        result = statement.get("result") or {}
        obj = statement.get("object", {})
        definition = obj.get("definition") or {}
        if verb == "answered":
            kind = (definition.get("extensions") or {}).get(SCENE_KIND_EXTENSION, "other")
            item = obj.get("id", "").rsplit("/", 1)[-1]
            summary.answers.append(Answer(item, kind, str(result.get("response", "")), result.get("success"),
                                          statement.get("timestamp", "")))
        elif verb == "completed":
            summary.completed = True
        elif verb in ("passed", "failed"):
            summary.result = verb
            score = result.get("score") or {}
            if "scaled" in score:
                summary.score = round(float(score["scaled"]) * 100, 1)
    for summary in learners.values():
        summary.answers.sort(key=lambda a: a.timestamp)
    return sorted(learners.values(), key=lambda s: (s.name.lower(), s.learner))


def as_json(summaries: list[LearnerSummary]) -> str:
    rows = []
    for s in summaries:
        right, answered = s.quiz()
        rows.append({
            "learner": s.learner, "name": s.name, "completed": s.completed, "result": s.result or None,
            "score": s.score, "quiz": {"right": right, "answered": answered},
            "decisions": s.decisions(), "reflections": s.reflections(),
            "answers": [asdict(a) for a in s.answers],
        })
    return json.dumps(rows, indent=2, ensure_ascii=False)


def as_csv(summaries: list[LearnerSummary]) -> str:
    """One row per answer: the shape a spreadsheet or pandas wants."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "name", "kind", "item", "response", "success", "timestamp", "completed", "result", "score"])
    for s in summaries:
        for a in s.answers:
            writer.writerow([s.learner, s.name, a.kind, a.item, a.response,
                             "" if a.success is None else str(a.success).lower(), a.timestamp,
                             str(s.completed).lower(), s.result, "" if s.score is None else s.score])
    return out.getvalue()


def as_table(summaries: list[LearnerSummary]) -> str:
    if not summaries:
        return "No statements found."
    lines = []
    for s in summaries:
        right, answered = s.quiz()
        status = "completed" if s.completed else "not completed"
        result = f", {s.result}" if s.result else ""
        score = f", score {s.score:g}%" if s.score is not None else ""
        lines.append(f"{s.name or s.learner} <{s.learner}>: {status}{result}{score}, quiz {right}/{answered}")
        for item, choices in s.decisions().items():
            lines.append(f"  decision {item}: {' -> '.join(choices)}")
        for item, text in s.reflections().items():
            shown = text if len(text) <= 200 else text[:199] + "\u2026"
            lines.append(f"  reflection {item}: {shown}")
    return "\n".join(lines)


FORMATTERS = {"table": as_table, "csv": as_csv, "json": as_json}


def report(endpoint: str, user: str, password: str, activity: str | None, output_format: str) -> str:
    return FORMATTERS[output_format](summarise(fetch_statements(endpoint, user, password, activity)))
