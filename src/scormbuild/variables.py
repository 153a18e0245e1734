"""What the course's variables can be, and whether a condition can ever hold (for `lint`).

Each variable's possible values are over-estimated from what the course can do to it: a yes/no
can be its initial value or any value a `set:` gives it; a number can be its initial value or a
value `set:` gives, and can go down without end when an `add:` takes away, or up when one adds
(a learner may take a choice again), within its `min`/`max`. A condition is then tried with a
few values of each name it reads, those around every number it is compared with: a condition
that is false for all of them can never hold; one true for all of them always holds. Since the
values are over-estimated, "never" and "always" are certain; a condition the course cannot
actually satisfy for another reason may go unnoticed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scormbuild.model import Condition, ConditionTree, Course

MAX_TRIES = 20_000  # value combinations tried per condition; beyond, it is assumed it can hold


@dataclass(frozen=True)
class Range:
    """The values a name can take: a set of yes/no, or whole numbers from ``low`` to ``high``."""

    booleans: frozenset[bool] = frozenset()
    low: float = 0
    high: float = 0
    number: bool = True
    points: frozenset[int] = frozenset()  # values it is known to take (initial, set)


def ranges(course: Course) -> dict[str, Range]:
    """Every name a condition can read, with the values it can take in this course."""
    changes = [change for scene in course.scenes.values() for button in scene.choices_and_options()
               for change in button.changes]
    found: dict[str, Range] = {"score": Range(low=0, high=100, points=frozenset({0, 100})),
                               "passed": Range(booleans=frozenset({False, course.pass_mark is not None}),
                                               number=False)}
    for name, variable in course.variables.items():
        mine = [change for change in changes if change.name == name]
        if variable.type == "boolean":
            values = {bool(variable.initial)} | {bool(c.value) for c in mine if c.op == "set"}
            found[name] = Range(booleans=frozenset(values), number=False)
            continue
        points = [int(variable.initial)] + [int(c.value) for c in mine if c.op == "set"]
        low: float = min(points)
        high: float = max(points)
        if any(c.op == "add" and int(c.value) < 0 for c in mine):
            low = -math.inf
        if any(c.op == "add" and int(c.value) > 0 for c in mine):
            high = math.inf
        if variable.low is not None:
            low = max(low, variable.low)
        if variable.high is not None:
            high = min(high, variable.high)
        found[name] = Range(low=low, high=high, points=frozenset(p for p in points if low <= p <= high)
                            or frozenset({int(variable.initial)}))
    return found


def _numbers(tree: ConditionTree) -> Iterable[int]:
    if tree[0] == "lit" and not isinstance(tree[1], bool):
        yield int(tree[1])
    elif tree[0] not in ("var", "lit", "score", "passed"):
        for part in tree[1:]:
            yield from _numbers(part)


def _name(tree: ConditionTree) -> str | None:
    return str(tree[1]) if tree[0] == "var" else (str(tree[0]) if tree[0] in ("score", "passed") else None)


def _names(tree: ConditionTree) -> set[str]:
    name = _name(tree)
    if name is not None:
        return {name}
    if tree[0] == "lit":
        return set()
    return set().union(*(_names(part) for part in tree[1:]))


def _candidates(span: Range, numbers: list[int]) -> Sequence[object]:
    if not span.number:
        return sorted(span.booleans)
    picks = {span.low, span.high}
    for number in numbers:
        picks.update((number - 1, number, number + 1))
    return sorted(int(p) for p in picks if span.low <= p <= span.high and math.isfinite(p))


def evaluate(tree: ConditionTree, values: dict[str, object]) -> object:
    """The value of ``tree`` with ``values`` for its names (as the player computes it)."""
    head = tree[0]
    if head == "lit":
        return tree[1]
    name = _name(tree)
    if name is not None:
        return values[name]
    if head == "and":
        return all(evaluate(part, values) for part in tree[1:])
    if head == "or":
        return any(evaluate(part, values) for part in tree[1:])
    if head == "not":
        return not evaluate(tree[1], values)
    left, right = evaluate(tree[1], values), evaluate(tree[2], values)
    return {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,  # type: ignore[operator]
            ">": left > right, ">=": left >= right}[head]  # type: ignore[operator]


def outcomes(condition: Condition, known: dict[str, Range]) -> set[bool]:
    """The results ``condition`` can have in this course: {True}, {False} or both ({True, False}
    also when there are too many values to try, or a name is unknown: `validate` reports those)."""
    names = sorted(_names(condition.tree))
    if any(name not in known for name in names):
        return {True, False}
    numbers = list(_numbers(condition.tree)) + [p for name in names for p in known[name].points]
    choices = [_candidates(known[name], numbers) for name in names]
    if math.prod(len(c) for c in choices) > MAX_TRIES:
        return {True, False}
    seen: set[bool] = set()
    for combination in itertools.product(*choices):
        seen.add(bool(evaluate(condition.tree, dict(zip(names, combination, strict=True)))))
        if len(seen) == 2:
            break
    return seen


def can_hold(condition: Condition | None, known: dict[str, Range]) -> bool:
    return condition is None or True in outcomes(condition, known)
