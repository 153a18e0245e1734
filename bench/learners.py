"""Simulated learners: a course taken by learners whose choices follow set probabilities.

``simulate`` walks the course graph exactly as the player does (choices, `if:` conditions,
`set:`/`add:`, `branches:`, the course's `scoring:` policy and pass mark) and yields one
``Attempt`` at a time, so that 100,000 learners never sit in memory. The writers turn an
attempt into what the real packages leave behind:

* ``xapi_statements``: the statements the xAPI (Tin Can) package sends (runtime/xapi-core.js);
* ``ralph_lines``: the same as Ralph's file-system backend stores them (one JSON a line), so a
  benchmark can fill a local Ralph without POSTing millions of statements;
* ``moodle_interactions_rows`` / ``MoodleInteractionsReport``: Moodle 4.1's SCORM Interactions
  report "text file" download for the SCORM 1.2 package (report.php, csv_export_writer).

``expected_shares`` gives what a report should read back: the first-choice share of each
decision option and the facility of each quiz question.

    python bench/learners.py content/professional-boundaries --learners 1000 --seed 1 \\
        --xapi out.jsonl --moodle out.txt [--probabilities p.yaml] [--groups A,B]
"""

from __future__ import annotations

import argparse
import html
import json
import math
import random
import re
import sys
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import yaml

from scormbuild.analytics.coursemap import CourseMap
from scormbuild.content.conditions import BUILT_IN
from scormbuild.course import load_course
from scormbuild.errors import ContentError
from scormbuild.interactions import interaction_id, interaction_iri
from scormbuild.kinds.decision import DecisionScene
from scormbuild.kinds.feedback import FeedbackScene
from scormbuild.kinds.quiz import Question, QuizScene
from scormbuild.kinds.reflection import SELF_CHECK_CHOICES, ReflectionScene
from scormbuild.model import Change, Choice, Course, Scene
from scormbuild.runtime_values import encode_text, truncate
from scormbuild.variables import evaluate
from scormbuild.xapi_activities import course_activity, interaction_definitions, scene_base

VERB_BASE = "http://adlnet.gov/expapi/verbs/"
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
MAX_TEXT_12 = 255  # SCORM 1.2 CMIString255: the player cuts longer texts with an ellipsis
UTC = ZoneInfo("UTC")  # Moodle's userdate() in the site's default timezone unless told
MAX_STEPS = 2_000  # a learner who never reaches an end within this many scenes stops (a loop)

# Reflections are drawn from this bank: line breaks, quotes, markup characters, non-ASCII,
# and one text longer than SCORM 1.2 keeps (255 characters).
REFLECTION_BANK = (
    "I would say no kindly, and tell her care manager the same day.",
    "Accepting would share my posts with her friends & <b>blur</b> the boundary; she is still owed a service.",
    "I'd keep a professional boundary \u2014 a friendly \"no\" for now.\n\nThen I'd tell my manager and record it.",
    "Cr\u00e8me de la cr\u00e8me: \u00ab pas d'amiti\u00e9 en ligne \u00bb, even if it feels unkind. \u0634\u0643\u0631\u0627 \u2014 Dziękuję.",
    "{First} I would stop, then talk it through in supervision.\r\nSecond line after a Windows line break.",
    ("Being friends online would mix my private life with my role. Her new workers would not know what she "
     "tells me, and I could not be sure what to do with it. A kind, clear answer through her care manager "
     "keeps her safe, keeps the door open if I support her again, and keeps me within the code of practice "
     "that I signed up to when I registered."),
)
FIRST_NAMES = ("Sam", "Priya", "Zo\u00eb", "Si\u00e2n", "Mateusz", "Ama", "Lee", "Fatima", "Jo\u00e3o", "Chlo\u00e9")
LAST_NAMES = ("Carer", "Patel", "O'Neill", "Nowak", "Jones", "Mensah", "Hughes", "Haddad", "Ionescu", "Dubois")


def fail(message: str) -> None:
    """A clear message and exit status 2, never a traceback (the CLI's bad inputs)."""
    print(f"learners.py: {message}", file=sys.stderr)
    raise SystemExit(2)


# ---- probabilities ---------------------------------------------------------------------------------

@dataclass
class DecisionOdds:
    first: dict[str, float]  # choice id -> chance at the first try
    retry: float  # chance that a learner who chose wrong takes a way back to the decision
    again: dict[str, float]  # choice id -> chance on a retry (or any later visit)


@dataclass
class QuestionOdds:
    right: float  # chance of a right first answer
    wrong: list[Any]  # the wrong answers, one drawn evenly (in the player's own shape)


@dataclass
class ReflectionOdds:
    texts: list[str]
    self_check: dict[str, float]  # all / some / none; what is left over: no self-check


@dataclass
class Probabilities:
    decisions: dict[str, DecisionOdds] = field(default_factory=dict)  # by interaction id
    questions: dict[str, QuestionOdds] = field(default_factory=dict)
    reflections: dict[str, ReflectionOdds] = field(default_factory=dict)
    options: dict[str, dict[str, float]] = field(default_factory=dict)  # feedback scene -> option weights
    stop: float = 0.1  # chance an attempt stops part-way (not completed)


def _split(right: Sequence[str], others: Sequence[str], right_share: float) -> dict[str, float]:
    """``right_share`` split evenly among the right ids, the rest evenly among the others."""
    if not right or not others:
        ids = list(right) + list(others)
        return {i: 1 / len(ids) for i in ids}
    return {**{i: right_share / len(right) for i in right}, **{i: (1 - right_share) / len(others) for i in others}}


def _wrong_answers(question: Question) -> list[Any]:
    """A few wrong answers of a question, in the shape the player records."""
    ids = [o.id for o in question.options]
    if question.kind == "true-false":
        return [[o.id for o in question.options if not o.correct][0] == "true"]
    if question.kind == "ordering":
        return [ids[::-1], ids[1:] + ids[:1], [ids[1], ids[0], *ids[2:]]] if len(ids) > 1 else [ids]
    if question.kind == "matching":
        shifted = ids[1:] + ids[:1]
        return [[[a, b] for a, b in zip(ids, shifted, strict=True)]]
    if question.kind == "fill-in":
        return ["I am not sure", "my manager\u2019s \"view\" & <mine>"]
    right = set(question.correct_ids)
    wrong = [o for o in ids if o not in right]
    sets: list[list[str]] = [[o] for o in wrong]
    if question.kind == "multiple":
        sets += [[o for o in ids if o in right][:-1] or wrong[:1], ids]
    return sets


def default_probabilities(course: Course) -> Probabilities:
    """Every decision: right choices 0.5 between them, the rest split evenly; a wrong first choice
    retried with 0.6, right on a retry 0.7. Questions right with 0.7; reflections from the bank."""
    odds = Probabilities()
    for scene in course.scene_list:
        if isinstance(scene, DecisionScene):
            right = [c.id for c in scene.choices if c.correct]
            others = [c.id for c in scene.choices if not c.correct]
            odds.decisions[interaction_id(scene.id)] = DecisionOdds(_split(right, others, 0.5), 0.6,
                                                                    _split(right, others, 0.7))
        elif isinstance(scene, QuizScene):
            for question in scene.questions:
                odds.questions[interaction_id(scene.id, question.id)] = QuestionOdds(0.7, _wrong_answers(question))
        elif isinstance(scene, ReflectionScene):
            odds.reflections[interaction_id(scene.id)] = ReflectionOdds(
                list(REFLECTION_BANK), {"all": 0.4, "some": 0.35, "none": 0.15})
    return odds


def load_probabilities(path: Path, course: Course) -> Probabilities:
    """The defaults, overridden by a JSON or YAML file shaped like ``Probabilities``::

        stop: 0.2
        decisions: {friend-request: {first: {accept: 0.4, ignore-and-report: 0.6}, retry: 0.5}}
        questions: {ending-quiz_informal-help: {right: 0.9}}
        reflections: {accept-reflect: {texts: [...], self_check: {all: 1}}}
        options: {accept-feedback: {read-more: 1}}
    """
    odds = default_probabilities(course)
    try:
        given = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        fail(f"{path}: cannot read the probabilities ({error}); write YAML or JSON like the example in "
             "bench/learners.py's load_probabilities")
    if not isinstance(given, dict):
        fail(f"{path}: the probabilities must be a mapping (stop, decisions, questions, reflections, options)")

    def share(where: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            fail(f"{path}: {where} is {value!r}; write a chance from 0 to 1")
        return float(value)

    def weights(where: str, value: Any, known: Iterable[str]) -> dict[str, float]:
        allowed = set(known)
        if not isinstance(value, dict) or not value:
            fail(f"{path}: {where} must map ids to chances, e.g. {{{next(iter(sorted(allowed)), 'a')}: 1}}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            fail(f"{path}: {where} names {', '.join(map(str, unknown))}, not one of {', '.join(sorted(allowed))}")
        out = {str(k): share(f"{where}.{k}", v) for k, v in value.items()}
        if sum(out.values()) <= 0:
            fail(f"{path}: {where} gives no chance to anything; give one a chance above 0")
        return out

    if "stop" in given:
        odds.stop = share("stop", given["stop"])
    for section, table in (("decisions", odds.decisions), ("questions", odds.questions),
                           ("reflections", odds.reflections)):
        entries = given.get(section) or {}
        if not isinstance(entries, dict):
            fail(f"{path}: `{section}` must map interaction ids to their chances")
        for ident, value in entries.items():
            if ident not in table:
                fail(f"{path}: `{section}` names `{ident}`, which is not one of the course's {section}: "
                     f"{', '.join(sorted(table)) or 'none'}")
            if not isinstance(value, dict):
                fail(f"{path}: {section}.{ident} must be a mapping")
            current: Any = table[ident]
            if isinstance(current, DecisionOdds):
                choices = current.first.keys()
                if "first" in value:
                    current.first = weights(f"decisions.{ident}.first", value["first"], choices)
                if "again" in value:
                    current.again = weights(f"decisions.{ident}.again", value["again"], choices)
                if "retry" in value:
                    current.retry = share(f"decisions.{ident}.retry", value["retry"])
            elif isinstance(current, QuestionOdds):
                if "right" in value:
                    current.right = share(f"questions.{ident}.right", value["right"])
                if "wrong" in value:
                    if not isinstance(value["wrong"], list) or not value["wrong"]:
                        fail(f"{path}: questions.{ident}.wrong must be a list of answers")
                    current.wrong = list(value["wrong"])
            else:
                if "texts" in value:
                    texts = value["texts"]
                    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t.strip()
                                                                           for t in texts):
                        fail(f"{path}: reflections.{ident}.texts must be a list of non-empty texts")
                    current.texts = [t.strip() for t in texts]
                if "self_check" in value:
                    current.self_check = weights(f"reflections.{ident}.self_check", value["self_check"],
                                                 SELF_CHECK_CHOICES)
    for scene_id, value in (given.get("options") or {}).items():
        scene = course.scenes.get(scene_id)
        if not isinstance(scene, FeedbackScene) or not scene.options:
            fail(f"{path}: options.{scene_id} is not a feedback scene with options")
        odds.options[scene_id] = weights(f"options.{scene_id}", value, [o.id for o in scene.options])
    return odds


def expected_shares(course: Course, odds: Probabilities) -> dict[str, dict[str, float]]:
    """What a report should read back: for each decision, the share of attempts whose first answer is
    each choice (among attempts that answered it); for each question, {"facility": chance right}.
    Exact where every choice is offered (a choice's `if:` that fails renormalises the others)."""
    shares: dict[str, dict[str, float]] = {}
    for ident, decision in odds.decisions.items():
        total = sum(decision.first.values())
        shares[ident] = {choice: weight / total for choice, weight in decision.first.items()}
    for ident, question in odds.questions.items():
        shares[ident] = {"facility": question.right}
    return shares


# ---- an attempt -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Learner:
    index: int
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def email(self) -> str:
        return f"learner{self.index}@example.org"

    @property
    def actor(self) -> dict[str, str]:
        return {"objectType": "Agent", "name": self.name, "mbox": f"mailto:{self.email}"}


@dataclass
class Step:
    """A scene shown (``answer`` None) or an answer, as the player records it (``record()``)."""

    at: datetime
    scene: str
    answer: Answer | None = None


@dataclass
class Answer:
    id: str  # interaction id
    type: str  # the player's record type: choice, true-false, matching, sequencing, fill-in, text
    response: Any  # [ids], bool, [[a, b]], text
    patterns: list[Any] | None
    result: str  # correct, incorrect, neutral
    weighting: int
    points: int
    latency_ms: int
    variables: dict[str, int | bool] | None


@dataclass
class Attempt:
    learner: Learner
    number: int  # 1, 2 ... for this learner (Moodle's attempt)
    registration: str
    group: str
    started: datetime
    ended: datetime = field(init=False)
    steps: list[Step] = field(default_factory=list)
    completed: bool = False
    score: int | None = None
    passed: bool | None = None

    def __post_init__(self) -> None:
        self.ended = self.started

    @property
    def answers(self) -> list[Answer]:
        return [step.answer for step in self.steps if step.answer is not None]


class _Walk:
    """One attempt through the course, as player.js and kinds/*.js would play it."""

    def __init__(self, course: Course, odds: Probabilities, rng: random.Random, attempt: Attempt) -> None:
        self.course, self.odds, self.rng, self.attempt = course, odds, rng, attempt
        self.clock = attempt.started
        self.shown_at = self.clock
        self.vars: dict[str, int | bool] = {name: v.initial for name, v in course.variables.items()}
        self.first: dict[str, Choice] = {}  # decision scene -> the choice that counts
        self.quiz: dict[tuple[str, str], int] = {}  # (scene, question) -> 1 right, 0 wrong
        self.answered: set[str] = set()
        self.last_wrong: str | None = None  # a decision just answered wrong (for a way back)

    # -- player.js ----------------------------------------------------------------------------------
    def score(self) -> int | None:
        earned = possible = 0
        for scene_id, choice in self.first.items():
            scene = self.course.scenes[scene_id]
            assert isinstance(scene, DecisionScene)
            if scene.max_score > 0:
                earned += choice.score
                possible += scene.max_score
        for (scene_id, question_id), right in self.quiz.items():
            scene = self.course.scenes[scene_id]
            assert isinstance(scene, QuizScene)
            question = next(q for q in scene.questions if q.id == question_id)
            if question.points > 0:
                earned += question.points if right else 0
                possible += question.points
        return math.floor(100 * earned / possible + 0.5) if possible else None  # JS Math.round

    def holds(self, condition: Any) -> bool:
        if condition is None:
            return True
        score = self.score()
        mark = self.course.pass_mark
        values: dict[str, object] = {**self.vars, "score": 0 if score is None else score,
                                     "passed": mark is not None and score is not None and score >= mark}
        assert set(BUILT_IN) <= values.keys()
        return bool(evaluate(condition.tree, values))

    def apply(self, changes: Sequence[Change]) -> None:
        for change in changes:
            variable = self.course.variables.get(change.name)
            if variable is None:
                continue
            value: int | bool = int(self.vars[change.name]) + int(change.value) if change.op == "add" else change.value
            if variable.type == "number":
                low = variable.low if variable.low is not None else -(2 ** 53)
                high = variable.high if variable.high is not None else 2 ** 53
                value = max(low, min(high, int(value)))
            self.vars[change.name] = value

    def counts(self, answered: bool, points: int, had: int) -> bool:
        if not answered or self.course.scoring == "last-attempt":
            return True
        return self.course.scoring == "best-attempt" and points > had

    def onward(self, scene: Scene) -> str | None:
        for branch in scene.branches:
            if self.holds(branch.condition):
                return branch.goto
        return scene.next

    def wait(self, low: float, high: float) -> None:
        self.clock += timedelta(milliseconds=round(self.rng.uniform(low, high) * 1000))

    def show(self, scene_id: str) -> None:
        self.wait(0.3, 2)
        self.shown_at = self.clock
        self.attempt.steps.append(Step(self.clock, scene_id))

    def record(self, scene: Scene, answer: dict[str, Any]) -> None:
        latency = int((self.clock - self.shown_at).total_seconds() * 1000)
        variables = dict(self.vars) if self.course.variables else None
        self.attempt.steps.append(Step(self.clock, scene.id, Answer(**answer, latency_ms=latency, variables=variables)))

    # -- choosing ---------------------------------------------------------------------------------
    def pick(self, weights: dict[str, float], offered: Sequence[str]) -> str:
        available = [i for i in offered if weights.get(i, 0) > 0] or list(offered)
        return self.rng.choices(available, [weights.get(i, 0) or 1 for i in available])[0]

    # -- the walk -----------------------------------------------------------------------------------
    def run(self, stop_after: int | None) -> None:
        scene_id: str | None = self.course.start
        shown = 0
        while scene_id is not None and shown < MAX_STEPS:
            scene = self.course.scenes[scene_id]
            ends = scene.kind == "end"
            if stop_after is not None and (shown >= stop_after or ends):
                break
            self.show(scene_id)
            shown += 1
            if ends:
                self.complete()
                break
            scene_id = self.act(scene)
        self.attempt.ended = self.clock + timedelta(seconds=self.rng.uniform(1, 5))

    def complete(self) -> None:
        score = self.score()
        mark = self.course.pass_mark
        self.attempt.completed = True
        self.attempt.score = score
        self.attempt.passed = None if mark is None or score is None else score >= mark

    def act(self, scene: Scene) -> str | None:
        if isinstance(scene, DecisionScene):
            return self.decide(scene)
        if isinstance(scene, QuizScene):
            self.take_quiz(scene)
        elif isinstance(scene, ReflectionScene):
            self.reflect(scene)
        elif isinstance(scene, FeedbackScene) and scene.options:
            return self.take_option(scene)
        self.wait(3, 40)  # reading, then Continue
        return self.onward(scene)

    def decide(self, scene: DecisionScene) -> str | None:
        ident = interaction_id(scene.id)
        odds = self.odds.decisions[ident]
        offered = [c.id for c in scene.choices if self.holds(c.condition)]
        choice_id = self.pick(odds.again if ident in self.answered else odds.first, offered)
        self.answered.add(ident)
        choice = next(c for c in scene.choices if c.id == choice_id)
        self.wait(5, 60)
        self.apply(choice.changes)  # data-sb-changes go before the kind's click
        right = [c.id for c in scene.choices if c.correct]
        self.record(scene, {"id": ident, "type": "choice", "response": [choice.id],
                            "patterns": [[r] for r in right] or None,
                            "result": ("correct" if choice.correct else "incorrect") if right else "neutral",
                            "weighting": scene.max_score, "points": choice.score})
        had = self.first[scene.id].score if scene.id in self.first else 0
        if self.counts(scene.id in self.first, choice.score, had):
            self.first[scene.id] = choice
        self.last_wrong = scene.id if right and not choice.correct else None
        return self.onward(scene) if choice.follows_next and scene.branches else choice.goto

    def take_option(self, scene: FeedbackScene) -> str | None:
        offered = [o for o in scene.options if self.holds(o.condition)]
        if not offered:
            return None
        back = [o for o in offered if self.last_wrong and o.goto == self.last_wrong]
        onward = [o for o in offered if o not in back]
        self.wait(3, 40)
        if back and (not onward or self.rng.random() < self.odds.decisions[interaction_id(self.last_wrong or "")].retry):
            option = back[0]
        elif scene.id in self.odds.options:
            chosen = self.pick(self.odds.options[scene.id], [o.id for o in onward or offered])
            option = next(o for o in offered if o.id == chosen)
        else:
            option = (onward or offered)[-1]  # "Continue with the course"
        self.apply(option.changes)
        return option.goto

    def take_quiz(self, scene: QuizScene) -> None:
        for question in scene.questions:
            ident = interaction_id(scene.id, question.id)
            odds = self.odds.questions[ident]
            right = self.rng.random() < odds.right
            self.wait(4, 30)
            self.record(scene, quiz_answer(question, ident, right, None if right else self.rng.choice(odds.wrong)))
            key = (scene.id, question.id)
            if self.counts(key in self.quiz, 1 if right else 0, self.quiz.get(key, 0)):
                self.quiz[key] = 1 if right else 0
            self.shown_at = self.clock  # api.restartClock()

    def reflect(self, scene: ReflectionScene) -> None:
        ident = interaction_id(scene.id)
        odds = self.odds.reflections[ident]
        texts = [t for t in odds.texts if len(t.strip()) >= scene.min_length] or [
            (odds.texts[0] + " ") * scene.min_length]
        text = self.rng.choice(texts).strip()
        self.wait(20, 120)
        self.record(scene, {"id": ident, "type": "text", "response": text, "patterns": None, "result": "neutral",
                            "weighting": 0, "points": 0})
        check_id = scene.self_check_id
        if check_id is None:
            return
        draw, total = self.rng.random(), 0.0
        for value in SELF_CHECK_CHOICES:
            total += odds.self_check.get(value, 0)
            if draw < total:
                self.wait(3, 20)
                self.record(scene, {"id": check_id, "type": "choice", "response": [value], "patterns": None,
                                    "result": "neutral", "weighting": 0, "points": 0})
                break


def quiz_answer(question: Question, ident: str, right: bool, wrong: Any) -> dict[str, Any]:
    """What kinds/quiz.js records for a right answer, or for the wrong answer ``wrong``."""
    ids = [o.id for o in question.options]
    correct_ids = list(question.correct_ids)
    kind = question.kind
    if kind == "matching":
        response = [[i, i] for i in ids] if right else wrong
        record = {"type": "matching", "response": response, "patterns": [[[i, i] for i in ids]]}
    elif kind == "ordering":
        record = {"type": "sequencing", "response": ids if right else wrong, "patterns": [ids]}
    elif kind == "fill-in":
        record = {"type": "fill-in", "response": question.accepted[0] if right else str(wrong).strip(),
                  "patterns": list(question.accepted)}
    elif kind == "true-false":
        record = {"type": "true-false", "response": correct_ids[0] == "true" if right else bool(wrong),
                  "patterns": [correct_ids[0] == "true"]}
    else:
        record = {"type": "choice", "response": correct_ids if right else list(wrong), "patterns": [correct_ids]}
    return {"id": ident, **record, "result": "correct" if right else "incorrect", "weighting": question.points,
            "points": question.points if right else 0}


def _course_of(source: Path | str | Course | CourseMap) -> Course:
    if isinstance(source, CourseMap):
        return source.course
    if isinstance(source, Course):
        return source
    try:
        return load_course(Path(source))
    except ContentError as error:
        fail(str(error))
        raise


def simulate(source: Path | str | Course | CourseMap, learners: int, seed: int = 1,
             probabilities: Probabilities | None = None, attempts_per_learner: int = 1,
             groups: Sequence[str] = (), start: datetime | None = None, span: timedelta = timedelta(days=30),
             ) -> Iterator[Attempt]:
    """Attempts of ``learners`` simulated learners, one at a time (a generator: nothing is kept).

    Each learner has a random generator of their own (from ``seed`` and their number), so the same
    seed gives the same attempts, and learner 7 does the same whatever the number of learners.
    Learners start at random times within ``span`` after ``start``, and belong to ``groups`` in turn."""
    course = _course_of(source)
    odds = probabilities or default_probabilities(course)
    begin = start or datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    for index in range(1, learners + 1):
        rng = random.Random(f"{seed}:{index}")
        learner = Learner(index, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        when = begin + timedelta(seconds=rng.uniform(0, span.total_seconds()))
        group = groups[(index - 1) % len(groups)] if groups else ""
        for number in range(1, attempts_per_learner + 1):
            attempt = Attempt(learner, number, str(uuid.UUID(int=rng.getrandbits(128), version=4)), group,
                              when.replace(microsecond=(when.microsecond // 1000) * 1000))
            stop_after = rng.randint(1, max(1, len(course.scenes) - 1)) if rng.random() < odds.stop else None
            _Walk(course, odds, rng, attempt).run(stop_after)
            yield attempt
            when = attempt.ended + timedelta(hours=rng.uniform(1, 72))


# ---- xAPI (Tin Can) ---------------------------------------------------------------------------------

def iso_time(moment: datetime) -> str:
    """As JavaScript's Date.toISOString writes it: milliseconds and Z."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def iso_duration(ms: float) -> str:
    """runtime/common.js isoDuration: whole hours and minutes, seconds with two decimals."""
    cs = round(max(0, ms) / 10)
    hours, minutes, seconds = cs // 360000, (cs % 360000) // 6000, (cs % 6000) / 100
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{seconds:.2f}S"


def xapi_response(answer: Answer) -> str:
    if answer.type == "true-false":
        return "true" if answer.response else "false"
    if answer.type in ("choice", "sequencing"):
        return "[,]".join(answer.response)
    if answer.type == "matching":
        return "[,]".join(f"{a}[.]{b}" for a, b in answer.response)
    return str(answer.response)


class XapiWriter:
    """Statements of the xAPI (Tin Can) package, made once per course (its definitions)."""

    def __init__(self, source: Path | str | Course | CourseMap, activity_id: str | None = None,
                 team: bool = True) -> None:
        self.course = _course_of(source)
        self.activity = course_activity(self.course)
        self.activity_id = activity_id or self.course.iri
        self.definitions = interaction_definitions(self.course)
        self.team = team

    def statements(self, attempt: Attempt) -> Iterator[dict[str, Any]]:
        rng = random.Random(attempt.registration)
        course = self.course
        language = course.language

        def statement(verb: str, obj: dict[str, Any], at: datetime, result: dict[str, Any] | None,
                      allowed: bool) -> dict[str, Any]:
            activities: dict[str, Any] = {}
            if allowed:
                activities["parent"] = [{"id": self.activity_id, "objectType": "Activity"}]
            out: dict[str, Any] = {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "timestamp": iso_time(at),
                "actor": attempt.learner.actor, "verb": {"id": VERB_BASE + verb, "display": {"en-US": verb}},
                "object": obj, "context": {"contextActivities": activities}}
            out["context"]["registration"] = attempt.registration
            out["context"]["language"] = language
            if result is not None:
                out["result"] = result
            if allowed:
                activities["grouping"] = [{"id": course.iri, "objectType": "Activity"}]
            if self.team and attempt.group:
                out["context"]["team"] = {"objectType": "Group", "name": attempt.group}
            return out

        course_object = json.loads(json.dumps(self.activity))
        course_object["id"] = self.activity_id
        yield statement("initialized", course_object, attempt.started, None, False)
        last_scene = None
        for step in attempt.steps:
            if step.answer is None:
                if course.scenes[step.scene].kind == "end" and attempt.completed:
                    yield from self.outcome(attempt, statement, course_object, step.at)
                if step.scene != last_scene:
                    scene = course.scenes[step.scene]
                    yield statement("experienced", {"id": scene_base(course) + scene.id, "objectType": "Activity",
                                                    "definition": {"name": {language: scene.title},
                                                                   "type": MODULE_TYPE}}, step.at, None, True)
                last_scene = step.scene
                continue
            answer = step.answer
            result: dict[str, Any] = {"response": xapi_response(answer), "duration": iso_duration(answer.latency_ms)}
            if answer.result != "neutral":
                result["success"] = answer.result == "correct"
            if answer.weighting > 0:
                points = max(0, min(answer.points, answer.weighting))
                result["score"] = {"raw": points, "min": 0, "max": answer.weighting,
                                   "scaled": round(points / answer.weighting, 4)}
            if answer.variables is not None:
                result["extensions"] = {f"{course.iri}/extensions/variables": dict(answer.variables)}
            yield statement("answered", {"id": interaction_iri(course, answer.id), "objectType": "Activity",
                                         "definition": json.loads(json.dumps(self.definitions[answer.id]))},
                            step.at, result, True)
        duration = iso_duration((attempt.ended - attempt.started).total_seconds() * 1000)
        yield statement("terminated" if attempt.completed else "suspended", course_object, attempt.ended,
                        {"duration": duration}, False)

    def outcome(self, attempt: Attempt, statement: Any, course_object: dict[str, Any],
                shown: datetime) -> Iterator[dict[str, Any]]:
        """completed, then passed or failed: end.js's shown() runs before the end scene's `experienced`
        is sent, so these come first, a millisecond or two before it."""
        duration = iso_duration((shown - attempt.started).total_seconds() * 1000)
        yield statement("completed", course_object, shown - timedelta(milliseconds=2),
                        {"completion": True, "duration": duration}, False)
        if attempt.passed is not None:
            outcome: dict[str, Any] = {"success": attempt.passed, "completion": True, "duration": duration}
            if attempt.score is not None:
                outcome["score"] = {"scaled": round(attempt.score / 100, 4), "raw": attempt.score, "min": 0, "max": 100}
            yield statement("passed" if attempt.passed else "failed", course_object,
                            shown - timedelta(milliseconds=1), outcome, False)


def xapi_statements(attempt: Attempt, writer: XapiWriter) -> Iterator[dict[str, Any]]:
    """The statements the xAPI (Tin Can) package sends for this attempt, in the order it sends them."""
    return writer.statements(attempt)


def ralph_lines(statements: Iterable[dict[str, Any]],
                authority: dict[str, Any] | None = None) -> Iterator[str]:
    """Lines of Ralph's file-system backend (``fs_lrs.jsonl``): each statement as Ralph stores it,
    with ``stored`` (its timestamp, so that the order is kept) and ``authority``."""
    who = authority or {"mbox": "mailto:test@example.org", "objectType": "Agent"}
    for statement in statements:
        stored = {**statement, "stored": statement["timestamp"].replace("Z", "+00:00"), "authority": who}
        yield json.dumps(stored, ensure_ascii=False, separators=(",", ":")) + "\n"


# ---- SCORM 1.2 in Moodle ---------------------------------------------------------------------------

def scorm12_value(answer: Answer, value: Any) -> str:
    """A response or pattern as runtime/scorm12.js writes it (ids, not --strict-scorm12 letters)."""
    if answer.type == "true-false":
        return "t" if value else "f"
    if answer.type in ("choice", "sequencing"):
        return ",".join(value)
    if answer.type == "matching":
        return ",".join(f"{a}.{b}" for a, b in value)
    return truncate(encode_text(str(value)), MAX_TEXT_12)


def scorm12_tracks(attempt: Attempt) -> dict[str, str]:
    """The attempt's `cmi.*` values Moodle keeps (1.2 arrays named as Moodle names them), those the
    Interactions report reads: interactions, score, status."""
    tracks: dict[str, str] = {}
    for n, answer in enumerate(attempt.answers):
        prefix = f"cmi.interactions_{n}."
        tracks[prefix + "id"] = answer.id
        tracks[prefix + "type"] = "fill-in" if answer.type == "text" else answer.type
        for i, pattern in enumerate(answer.patterns or []):
            tracks[f"{prefix}correct_responses_{i}.pattern"] = scorm12_value(answer, pattern)
        tracks[prefix + "student_response"] = scorm12_value(answer, answer.response)
        tracks[prefix + "result"] = {"correct": "correct", "incorrect": "wrong", "neutral": "neutral"}[answer.result]
    if attempt.completed and attempt.score is not None:
        tracks["cmi.core.score.raw"] = str(attempt.score)
    status = "incomplete"
    if attempt.completed:
        status = {True: "passed", False: "failed", None: "completed"}[attempt.passed]
    tracks["cmi.core.lesson_status"] = status
    return tracks


def moodle_s(value: str) -> str:
    """Moodle's s(): htmlspecialchars with ENT_QUOTES | ENT_HTML401, numeric entities kept."""
    escaped = html.escape(value, quote=True).replace("&#x27;", "&#039;")
    return re.sub(r"&amp;#(\d+|x[0-9a-f]+);", r"&#\1;", escaped, flags=re.IGNORECASE)


def php_float(value: float) -> str:
    """A PHP float as PHP 8 prints it (50.0 -> "50")."""
    return repr(float(value)).removesuffix(".0")


def moodle_userdate(moment: datetime, zone: ZoneInfo) -> str:
    """userdate() with strftimedaydatetime (en): "Sunday, 29 November 2026, 10:57 PM" (no leading zeros)."""
    local = moment.astimezone(zone)
    hour = local.hour % 12 or 12
    return f"{local:%A}, {local.day} {local:%B %Y}, {hour}:{local:%M %p}"


STATUS_WORDS = {"passed": "Passed", "completed": "Completed", "failed": "Failed", "incomplete": "Incomplete",
                "browsed": "Browsed", "notattempted": "Not attempted"}


def interactions_report_row(tracks: dict[str, str], questions: int, *, name: str, email: str, attempt: int,
                            started: str, last: str, qtext: bool = False, resp: bool = True, right: bool = False,
                            result: bool = False) -> list[str]:
    """One row of report.php's download, from one attempt's tracks (the SCO's scorm_get_tracks)."""
    raw = tracks.get("cmi.core.score.raw", "")
    score_raw = float(f"{float(raw):.2f}") if raw != "" else None
    grade = score_raw if score_raw else 0.0  # scorm_grade_user_attempt, GRADEHIGHEST: max over SCOs
    status = tracks.get("cmi.core.lesson_status", "") or "notattempted"
    status = "notattempted" if status == "not attempted" else status
    row = [name, moodle_s(email), str(attempt), started, last, php_float(grade),
           php_float(score_raw) if score_raw is not None else STATUS_WORDS.get(status, status)]
    for i in range(questions):
        prefix = f"cmi.interactions_{i}."
        if qtext:
            row.append(moodle_s(tracks[prefix + "id"]) if prefix + "id" in tracks else "")
        if resp:
            element = prefix + "student_response"
            row.append(moodle_s(tracks[element]) if element in tracks else "")
        if right:
            patterns = []
            j = 0
            while f"{prefix}correct_responses_{j}.pattern" in tracks:
                patterns.append(moodle_s(tracks[f"{prefix}correct_responses_{j}.pattern"]))
                j += 1
            row.append(",".join(patterns))
        if result:
            row.append(moodle_s(tracks[prefix + "result"]) if prefix + "result" in tracks else "")
    return row


def interactions_report_headers(sco_title: str, questions: int, *, qtext: bool = False, resp: bool = True,
                                right: bool = False, result: bool = False) -> list[str]:
    headers = ["Name", "Email address", "Attempt", "Started on", "Last accessed on", "Score", sco_title]
    for i in range(questions):
        headers += ([f"Question {i}"] if qtext else []) + ([f"Response {i}"] if resp else []) + (
            [f"Right answer {i}"] if right else []) + ([f"Result {i}"] if result else [])
    return headers


def fputcsv(fields: Sequence[str], delimiter: str = "\t") -> str:
    """One line as PHP's fputcsv writes it (enclosure ", escape \\): a field is quoted when it has
    the delimiter, a quote, a backslash, a line break, a tab or a space."""
    out = []
    for value in fields:
        if any(c in value for c in (delimiter, '"', "\\", "\n", "\r", "\t", " ")):
            quoted, escaped = [], False
            for char in value:  # main/file.c php_fputcsv: a quote after a backslash is not doubled
                if char == "\\":
                    escaped = True
                elif not escaped and char == '"':
                    quoted.append('"')
                else:
                    escaped = False
                quoted.append(char)
            out.append('"' + "".join(quoted) + '"')
        else:
            out.append(value)
    return delimiter.join(out) + "\n"


def moodle_interactions_rows(attempt: Attempt, questions: int, zone: ZoneInfo = UTC,
                             **columns: bool) -> list[str]:
    """The Interactions report row of this attempt of the SCORM 1.2 package in Moodle."""
    return interactions_report_row(scorm12_tracks(attempt), questions, name=attempt.learner.name,
                                   email=attempt.learner.email, attempt=attempt.number,
                                   started=moodle_userdate(attempt.started, zone),
                                   last=moodle_userdate(attempt.ended, zone), **columns)


class MoodleInteractionsReport:
    """Writes the "text file" download of the Interactions report, one attempt at a time.

    ``questions``: Moodle's column count (get_scorm_question_count: the most interactions any
    attempt of the activity has); ``interaction_count`` finds it with a first pass."""

    def __init__(self, out: TextIO, course: Course, questions: int, zone: ZoneInfo = UTC,
                 **columns: bool) -> None:
        self.out, self.questions, self.zone, self.columns = out, questions, zone, columns
        out.write(fputcsv(interactions_report_headers(course.title, questions, **columns)))

    def write(self, attempt: Attempt) -> None:
        self.out.write(fputcsv(moodle_interactions_rows(attempt, self.questions, self.zone, **self.columns)))


def interaction_count(attempts: Iterable[Attempt]) -> int:
    return max((len(a.answers) for a in attempts), default=0)


# ---- CLI ----------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("course", type=Path, help="the course folder (course.yaml and scenes/)")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--attempts", type=int, default=1, help="attempts per learner")
    parser.add_argument("--xapi", type=Path, help="write the xAPI statements here, one JSON a line (Ralph's fs file)")
    parser.add_argument("--moodle", type=Path, help="write Moodle's Interactions report download (text file) here")
    parser.add_argument("--probabilities", type=Path, help="a YAML or JSON file overriding the default chances")
    parser.add_argument("--groups", default="", help="comma-separated group names, given to learners in turn")
    parser.add_argument("--start", default="2026-01-05T09:00:00+00:00", help="ISO date of the first possible start")
    args = parser.parse_args(argv)
    if args.learners < 1 or args.attempts < 1:
        fail("--learners and --attempts must be at least 1")
    if not (args.course / "course.yaml").is_file():
        fail(f"{args.course}: no course.yaml there; give a course folder such as content/professional-boundaries")
    try:
        start = datetime.fromisoformat(args.start)
    except ValueError:
        fail(f"--start {args.start!r} is not an ISO date; write e.g. 2026-01-05T09:00:00+00:00")
    if start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    course = _course_of(args.course)
    odds = load_probabilities(args.probabilities, course) if args.probabilities else default_probabilities(course)
    groups = [g.strip() for g in args.groups.split(",") if g.strip()]

    def run() -> Iterator[Attempt]:
        return simulate(course, args.learners, args.seed, odds, args.attempts, groups, start)

    written: list[Path] = []
    try:
        if args.xapi:
            writer = XapiWriter(course)
            partial = args.xapi.with_name(args.xapi.name + ".part")
            with partial.open("w", encoding="utf-8") as out:
                for attempt in run():
                    out.writelines(ralph_lines(writer.statements(attempt)))
            partial.replace(args.xapi)
            written.append(args.xapi)
        if args.moodle:
            questions = interaction_count(run())
            targets = {"": args.moodle} | {g: args.moodle.with_name(f"{args.moodle.stem}-{g}{args.moodle.suffix}")
                                          for g in groups}
            parts = {g: p.with_name(p.name + ".part") for g, p in targets.items()}
            files = {g: p.open("w", encoding="utf-8", newline="") for g, p in parts.items()}
            try:
                reports = {g: MoodleInteractionsReport(f, course, questions) for g, f in files.items()}
                for attempt in run():
                    reports[""].write(attempt)
                    if attempt.group:
                        reports[attempt.group].write(attempt)
            finally:
                for f in files.values():
                    f.close()
            for g, part in parts.items():
                part.replace(targets[g])
                written.append(targets[g])
    except OSError as error:
        fail(f"cannot write {error.filename}: {error.strerror}")
    print(f"{args.learners} learners x {args.attempts} attempts: " + ", ".join(map(str, written)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
