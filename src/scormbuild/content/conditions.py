"""Conditions (`if:`) and changes (`set:`, `add:`) as authors write them, read into the model.

A condition is a short expression: `score >= 80`, `told_manager`, `not told_manager`,
`trust > 2 and told_manager`, `0 < trust < 3`. Python's own parser (``ast``) reads it, and only
a small, safe part of its grammar is let through: names, whole numbers, `true`/`false`,
comparisons, `and`, `or`, `not` and brackets. What the names mean (which variables exist, and
whether each is a number or a yes/no) is checked once the whole course is loaded
(``check_condition``), since course.yaml declares them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from scormbuild.content.fields import Fields, Key, require_mapping
from scormbuild.content.yamlpos import PositionedDict
from scormbuild.errors import ContentError, Location, describe
from scormbuild.model import Branch, Change, ChangeOp, Condition, ConditionTree

MAX_CONDITION_CHARS = 300
MAX_NUMBER = 999_999  # values stay short in saved progress (SCORM 1.2: 4,096 characters in all)
BUILT_IN = {"score": "number", "passed": "boolean"}  # names every course has
LITERALS = {"true": True, "false": False, "True": True, "False": False}
COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
CONDITION_HINT = ("write a comparison such as `score >= 80` or `trust > 2`, a yes/no variable such as `told_manager`, "
                  "joined with `and`, `or`, `not`")


def _problem(location: Location, text: str, message: str, hint: str = CONDITION_HINT) -> ContentError:
    return ContentError(location, f"`if: {describe(text, 80)}` {message}", hint)


NAME = re.compile(r"[a-z][a-z0-9_]*|[A-Z][a-z]+")  # variables, and True/False as Python writes them
NUMBER = re.compile(r"[0-9]+")


def parse_condition(text: str, location: Location) -> Condition:
    """A condition's text compiled, or a ContentError that says what is wrong with it."""
    if len(text) > MAX_CONDITION_CHARS:
        raise _problem(location, text, f"is longer than {MAX_CONDITION_CHARS} characters",
                       "split it: give the choice a simpler condition, or use a yes/no variable")
    if "#" in text:  # Python would read the rest as a comment, and the graph would show what is not checked
        raise _problem(location, text, "contains `#`")
    source = text.replace("&&", " and ").replace("||", " or ").strip()
    try:
        expression = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        hint = CONDITION_HINT
        if "=" in text and "==" not in text and not any(op in text for op in ("<=", ">=", "!=")):
            hint = "compare with `==` (two equals signs), e.g. `trust == 2`"
        raise _problem(location, text, "is not a condition scormbuild can read", hint) from None
    return Condition(text=text, tree=_compile(expression, source, location), location=location)


def _compile(node: ast.expr, text: str, location: Location) -> ConditionTree:
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        return (op, *(_compile(value, text, location) for value in node.values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ("not", _compile(node.operand, text, location))
    if isinstance(node, ast.Compare):
        for comparison in node.ops:
            if type(comparison) not in COMPARISONS:
                raise _problem(location, text, f"uses `{type(comparison).__name__}`, which scormbuild does not know",
                               "compare with ==, !=, <, <=, > or >=")
        operands = [_operand(node.left, text, location)] + [_operand(c, text, location) for c in node.comparators]
        parts = []
        for index, comparison in enumerate(node.ops):
            parts.append((COMPARISONS[type(comparison)], operands[index], operands[index + 1]))
        return parts[0] if len(parts) == 1 else ("and", *parts)
    return _operand(node, text, location)


def _operand(node: ast.expr, text: str, location: Location) -> ConditionTree:
    written = ast.get_source_segment(text, node) or ""
    if isinstance(node, ast.Name) and NAME.fullmatch(written):  # (Python would also take 𝕒 for a)
        if node.id in LITERALS:
            return ("lit", LITERALS[node.id])
        return (node.id,) if node.id in BUILT_IN else ("var", node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return ("lit", node.value)
    negative = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    number = node.operand if negative and isinstance(node, ast.UnaryOp) else node
    if (isinstance(number, ast.Constant) and type(number.value) is int
            and NUMBER.fullmatch(ast.get_source_segment(text, number) or "")):  # not 0x10, 0b1, 1_000
        if number.value > MAX_NUMBER:
            raise _problem(location, text, f"compares with {number.value:,}; numbers go from -{MAX_NUMBER:,} to "
                           f"{MAX_NUMBER:,}", "use a smaller number")
        return ("lit", -number.value if negative else number.value)
    if isinstance(node, (ast.BoolOp, ast.Compare)) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        return _compile(node, text, location)
    shown = written or type(node).__name__
    raise _problem(location, text, f"contains `{describe(shown, 40)}`, which is not a variable, a whole number, "
                   "`true` or `false`")


def condition_reader(fields: Fields, key: Key) -> Condition:
    """A Key reader for `if:` (YAML's `true` and `false` are conditions too: always, never)."""
    value = fields.data.get(key.name)
    text = str(value).lower() if isinstance(value, bool) else fields.text(key.name, example=key.example)
    return parse_condition(text, fields.where(key.name))


def changes_reader(op: ChangeOp) -> Callable[[Fields, Key], tuple[Change, ...]]:
    """A Key reader for `set:` (``op`` "set": a value for each variable) or `add:` ("add": a whole number)."""
    def read(fields: Fields, key: Key) -> tuple[Change, ...]:
        data: PositionedDict = require_mapping(fields.data[key.name], fields.where(key.name), f"`{key.name}`")
        changes = []
        for name, value in data.items():
            where = data.where(name)
            if not isinstance(name, str):
                raise ContentError(where, f"`{key.name}` names `{describe(name, 40)}`, which is not a variable name")
            allowed = (int,) if op == "add" else (int, bool)
            if not isinstance(value, allowed) or (op == "add" and isinstance(value, bool)):
                hint = ("write a whole number, negative to take away, e.g. `trust: -1`" if op == "add"
                        else "write a whole number, or `true` or `false`")
                raise ContentError(where, f"`{key.name}.{describe(name, 40)}` is {describe(value)}", hint)
            if not isinstance(value, bool) and abs(value) > MAX_NUMBER:
                raise ContentError(where, f"`{key.name}.{name}` is {value:,}; numbers go from -{MAX_NUMBER:,} to "
                                   f"{MAX_NUMBER:,}")
            changes.append(Change(name=name, op=op, value=value, location=where))
        return tuple(changes)
    return read


CONDITION_KEY = Key("if", "text", "A condition (see Variables and conditions): the button is offered only while it "
                    "holds.", reader=condition_reader, example="score >= 80")
CHANGE_KEYS = (
    Key("set", "mapping", "Variables given a value when the learner takes it, e.g. `told_manager: true`.",
        reader=changes_reader("set"), json=(("additionalProperties", {"type": ["integer", "boolean"]}),)),
    Key("add", "mapping", "Numbers added to variables when the learner takes it (negative to take away), e.g. "
        "`trust: 1`.", reader=changes_reader("add"), json=(("additionalProperties", {"type": "integer"}),)),
)
BRANCH_KEYS = (
    Key("if", "text", "The condition.", required=True, reader=condition_reader, example="score >= 80"),
    Key("goto", "identifier", "The scene Continue leads to while it holds.", required=True),
)
BRANCHES_KEY = Key("branches", "items", "Where Continue leads instead of `next:` while a condition holds: the first "
                   "branch whose `if:` holds is taken (see Variables and conditions).", items=BRANCH_KEYS)


def read_changes(values: dict[str, Any]) -> tuple[Change, ...]:
    """A choice's `set:` and `add:`, in that order."""
    return tuple(values.get("set") or ()) + tuple(values.get("add") or ())


def read_branches(fields: Fields, items: list[PositionedDict]) -> tuple[Branch, ...]:
    branches = []
    for item in items:
        branch = Fields(item, BRANCH_KEYS, "a branch", fields.errors)
        values = branch.read()
        if branch.complete(values):
            branches.append(Branch(condition=values["if"], goto=values["goto"], location=branch.where("goto")))
    return tuple(branches)
