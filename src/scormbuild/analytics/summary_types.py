"""The shape of a report's summary: what ``store.Store.summary`` returns, what
``--format summary`` prints as JSON and what the HTML report draws. Every count is of
attempts (a learner's registration, or Moodle attempt) kept by the filters."""

from __future__ import annotations

from typing import TypedDict


class ChoiceCount(TypedDict):
    id: str
    text: str
    result: str  # "right", "wrong" or "neutral"
    first: int  # attempts whose first answer was this choice
    all: int  # answers with this choice, retries included


class DecisionSummary(TypedDict):
    id: str  # the interaction id
    scene: str
    scene_title: str
    title: str
    kind: str  # scene kind: decision, or reflection (a self-check)
    answered: int  # attempts that answered it
    right_first_time: int | None  # None: the decision has no right choice
    retried: int  # attempts that answered it more than once
    unplaced: int  # responses that may be this decision's but could not be placed (Moodle without ids)
    choices: list[ChoiceCount]


class OptionCount(TypedDict):
    id: str
    text: str
    correct: bool | None
    chosen: int  # first answers that include this option


class ResponseCount(TypedDict):
    response: str  # as the learner answered (fill-in text, a matching or an order, readable)
    correct: bool | None
    count: int


class QuestionSummary(TypedDict):
    id: str
    scene: str
    scene_title: str
    title: str
    type: str  # xAPI interactionType
    answered: int  # attempts with a first answer
    facility: float | None  # share of first answers that are right (0-1)
    discrimination: float | None  # corrected item-total correlation (-1..1), None with too few attempts
    unplaced: int  # responses that may be this question's but could not be placed: the figures are partial
    options: list[OptionCount]  # choice questions: every option with how often it was chosen
    responses: list[ResponseCount]  # other types: the most frequent answers (at most 10)
    correct_answer: str  # readable


class ReflectionText(TypedDict):
    text: str
    timestamp: str
    learner: str  # display name or pseudonym; "" when the report leaves identities out


class ReflectionSummary(TypedDict):
    id: str
    scene: str
    scene_title: str
    title: str
    points: list[str]  # the model points, plain text
    count: int  # attempts with a text
    texts: list[ReflectionText]  # newest first, at most ``shown_limit``; [] with --no-free-text
    truncated_by_source: bool  # the source keeps at most 255 characters (SCORM 1.2 in Moodle)


class Bin(TypedDict):
    start: float  # 0, 10, ... 90 (the last bin includes 100, the first any score below 0)
    end: float
    count: int


class SceneTime(TypedDict):
    """Seconds on a scene: nearest-rank percentiles of its visits (an hour or more is left out)."""

    scene: str
    title: str
    count: int
    median_seconds: float
    p25_seconds: float
    p75_seconds: float


class FlowNode(TypedDict):
    id: str  # scene id
    title: str
    kind: str
    attempts: int  # attempts that reached it (known only for scenes with a statement or an answer)


class FlowEdge(TypedDict):
    source: str  # scene id
    target: str
    attempts: int  # attempts that went this way at least once
    times: int  # how often it was taken in all


class GroupSummary(TypedDict):
    group: str
    attempts: int
    completed: int
    passed: int
    mean_score: float | None


class Totals(TypedDict):
    learners: int
    attempts: int
    events: int  # events read from the sources (before filters)
    completed: int
    passed: int
    failed: int
    mean_score: float | None
    median_score: float | None


class Filters(TypedDict):
    since: str | None
    until: str | None
    group: str | None
    attempt: str  # all, first, best, last


class Privacy(TypedDict):
    anonymised: bool
    free_text: bool
    identities: str  # what the report says about identities, one sentence


class Source(TypedDict):
    kind: str  # "lrs" or "moodle"
    label: str  # the endpoint (no credentials) or the file name
    events: int
    notes: list[str]  # warnings about what this source could not tell (shown in the report)


class Summary(TypedDict):
    generator: str  # "scormbuild X.Y.Z"
    generated: str  # ISO 8601 UTC
    course: dict[str, str]  # id, title, iri, version
    sources: list[Source]
    filters: Filters
    privacy: Privacy
    totals: Totals
    decisions: list[DecisionSummary]
    questions: list[QuestionSummary]
    reflections: list[ReflectionSummary]
    scores: list[Bin]
    times: list[SceneTime]
    flow_nodes: list[FlowNode]
    flow_edges: list[FlowEdge]
    groups: list[GroupSummary]
    skipped: dict[str, int]  # statements or cells left out, by reason
