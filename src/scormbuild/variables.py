"""The course's variables as `validate` and `lint` see them: conditions and changes checked against
course.yaml's declarations, the values each variable can take, and whether a condition can ever hold.

Each variable's possible values are over-estimated from what the course can do to it: a yes/no
can be its initial value or any value a `set:` gives it; a number can be its initial value or a
value `set:` gives, and can go down without end when an `add:` takes away, or up when one adds
(a learner may take a choice again), within its `min`/`max`. A condition is then tried with a
few values of each name it reads, those around every number it is compared with: between two of
those numbers, a name compared only with numbers gives the same result, so a condition false for
all of them can never hold, and one true for all of them always holds. A condition that compares
two names with each other (`b > a`) is not judged. Since the values are over-estimated, "never"
and "always" are certain; a condition the course cannot satisfy for another reason, such as the
order of its scenes, goes unnoticed.
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from scormbuild.content.conditions import BUILT_IN
from scormbuild.content.fields import suggest
from scormbuild.errors import ErrorCollector, describe
from scormbuild.model import Change, Condition, ConditionTree, Course, Variable

MAX_TRIES = 2_000  # value combinations tried per condition; beyond, it is assumed it can hold either way
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


# ---- checks that need the course's variables -------------------------------------------------------

def _type_of(node: ConditionTree, variables: dict[str, Variable], condition: Condition,
             errors: ErrorCollector) -> str | None:
    """"number" or "boolean" (None: a problem, reported) of one node, checking what is below it."""
    head = node[0]
    shown = describe(condition.text, 80)
    if head == "lit":
        return "boolean" if isinstance(node[1], bool) else "number"
    if head in BUILT_IN:
        return BUILT_IN[head]
    if head == "var":
        name = node[1]
        if name not in variables:
            errors.report(condition.location, f"`if: {shown}` reads `{describe(name, 40)}`, which is not a "
                          f"variable{suggest(name, set(variables) | set(BUILT_IN))}",
                          "declare it under `variables:` in course.yaml, e.g. `" + name + ": 0`")
            return None
        return variables[name].type
    if head in ("and", "or", "not"):
        for part in node[1:]:
            if _type_of(part, variables, condition, errors) == "number":
                errors.report(condition.location, f"`if: {shown}` uses a number as yes or no",
                              "compare it, e.g. `trust > 0`")
        return "boolean"
    left = _type_of(node[1], variables, condition, errors)
    right = _type_of(node[2], variables, condition, errors)
    if left and right and left != right:
        errors.report(condition.location, f"`if: {shown}` compares a number with a yes/no",
                      "compare numbers with numbers, and yes/no variables with `true` or `false`")
    elif left == "boolean" and head not in ("==", "!="):
        errors.report(condition.location, f"`if: {shown}` uses `{head}` with a yes/no",
                      "a yes/no can only be `==` or `!=` to another, or used alone: `told_manager`")
    return "boolean"


def check_condition(condition: Condition, variables: dict[str, Variable], errors: ErrorCollector) -> None:
    """Report unknown names and mixed types in ``condition``; a condition must be a yes or no."""
    if _type_of(condition.tree, variables, condition, errors) == "number":
        errors.report(condition.location, f"`if: {describe(condition.text, 80)}` is a number, not a yes or no",
                      "compare it, e.g. `trust > 0`")


def check_change(change: Change, variables: dict[str, Variable], errors: ErrorCollector) -> None:
    """A `set:` or `add:` names a declared variable, with a value of its type within its bounds."""
    variable = variables.get(change.name)
    if variable is None:
        errors.report(change.location, f"`{change.op}: {describe(change.name, 40)}` is not a variable"
                      f"{suggest(change.name, set(variables))}",
                      f"declare it under `variables:` in course.yaml, e.g. `{change.name}: 0`")
    elif variable.type == "boolean" and change.op == "add":
        errors.report(change.location, f"`add: {change.name}` adds to a yes/no",
                      f"write `set: {{{change.name}: true}}`")
    elif (variable.type == "boolean") != isinstance(change.value, bool):
        errors.report(change.location, f"`set: {change.name}` gives {describe(change.value)} to a "
                      f"{'yes/no' if variable.type == 'boolean' else 'number'}",
                      "write `true` or `false`" if variable.type == "boolean" else "write a whole number")
    elif change.op == "set" and not isinstance(change.value, bool) and not _within(int(change.value), variable):
        errors.report(change.location, f"`set: {change.name}` gives {change.value:,}, outside its `min`/`max` "
                      f"({_bounds(variable)})", "give a value within them, or change `min`/`max` in course.yaml")


def _within(value: int, variable: Variable) -> bool:
    return (variable.low is None or value >= variable.low) and (variable.high is None or value <= variable.high)


def _bounds(variable: Variable) -> str:
    low = "no min" if variable.low is None else f"min {variable.low:,}"
    return f"{low}, {'no max' if variable.high is None else f'max {variable.high:,}'}"


# ---- what values a name can take ---------------------------------------------------------------------

@dataclass(frozen=True)
class Range:
    """The values a name can take: a set of yes/no, or whole numbers from ``low`` to ``high``."""

    booleans: frozenset[bool] = frozenset()
    low: float = 0
    high: float = 0
    number: bool = True
    points: frozenset[int] = frozenset()  # values it is known to take (initial, set)


_RANGES: weakref.WeakKeyDictionary[Course, dict[str, Range]] = weakref.WeakKeyDictionary()


def ranges(course: Course) -> dict[str, Range]:
    """Every name a condition can read, with the values it can take in this course (worked out
    once per loaded course: `validate` asks for them several times)."""
    known = _RANGES.get(course)
    if known is None:
        known = _RANGES[course] = _ranges(course)
    return known


def _ranges(course: Course) -> dict[str, Range]:
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


# ---- can a condition hold? ----------------------------------------------------------------------------

def _name(tree: ConditionTree) -> str | None:
    return str(tree[1]) if tree[0] == "var" else (str(tree[0]) if tree[0] in BUILT_IN else None)


def _numbers(tree: ConditionTree) -> Iterable[int]:
    if tree[0] == "lit" and not isinstance(tree[1], bool):
        yield int(tree[1])
    elif tree[0] not in ("var", "lit", *BUILT_IN):
        for part in tree[1:]:
            yield from _numbers(part)


def _compares_two_names(tree: ConditionTree) -> bool:
    if tree[0] in COMPARISONS:
        return _name(tree[1]) is not None and _name(tree[2]) is not None
    return tree[0] in ("and", "or", "not") and any(_compares_two_names(part) for part in tree[1:])


def _candidates(span: Range, numbers: Sequence[int]) -> Sequence[object]:
    if not span.number:
        return sorted(span.booleans)
    picks = {span.low, span.high, *span.points}
    for number in numbers:
        picks.update((number - 1, number, number + 1))
    return sorted(int(p) for p in picks if span.low <= p <= span.high and math.isfinite(p))


def evaluate(tree: ConditionTree, values: dict[str, object]) -> object:
    """The value of ``tree`` with ``values`` for its names (as player.js computes it)."""
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
    also when it cannot tell: two names compared, too many values to try, or a name unknown)."""
    names = tuple(sorted(condition.names()))
    if any(name not in known for name in names):
        return {True, False}
    return set(_outcomes(condition.tree, tuple(known[name] for name in names), names))


@lru_cache(maxsize=4096)
def _outcomes(tree: ConditionTree, spans: tuple[Range, ...], names: tuple[str, ...]) -> frozenset[bool]:
    if _compares_two_names(tree):
        return frozenset({True, False})
    numbers = list(_numbers(tree))
    choices = [_candidates(span, numbers) for span in spans]
    if math.prod(len(c) for c in choices) > MAX_TRIES:
        return frozenset({True, False})
    seen: set[bool] = set()
    for combination in itertools.product(*choices):
        seen.add(bool(evaluate(tree, dict(zip(names, combination, strict=True)))))
        if len(seen) == 2:
            break
    return frozenset(seen)


def can_hold(condition: Condition | None, known: dict[str, Range]) -> bool:
    return condition is None or True in outcomes(condition, known)
