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
from typing import Any

from scormbuild.content.fields import Fields, Key, require_mapping, suggest
from scormbuild.content.yamlpos import PositionedDict
from scormbuild.errors import ContentError, ErrorCollector, Location, describe
from scormbuild.model import Branch, Change, Condition, ConditionTree, Variable

MAX_CONDITION_CHARS = 300
MAX_NUMBER = 999_999  # values stay short in saved progress (SCORM 1.2: 4,096 characters in all)
BUILT_IN = {"score": "number", "passed": "boolean"}  # names every course has
LITERALS = {"true": True, "false": False, "True": True, "False": False}
COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
CONDITION_HINT = ("write a comparison such as `score >= 80` or `trust > 2`, a yes/no variable such as `told_manager`, "
                  "joined with `and`, `or`, `not`")


def _problem(location: Location, text: str, message: str, hint: str = CONDITION_HINT) -> ContentError:
    return ContentError(location, f"`if: {describe(text, 80)}` {message}", hint)


def parse_condition(text: str, location: Location) -> Condition:
    """A condition's text compiled, or a ContentError that says what is wrong with it."""
    if len(text) > MAX_CONDITION_CHARS:
        raise _problem(location, text, f"is longer than {MAX_CONDITION_CHARS} characters",
                       "split it: give the choice a simpler condition, or use a yes/no variable")
    source = text.replace("&&", " and ").replace("||", " or ")
    try:
        expression = ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        hint = CONDITION_HINT
        if "=" in text and "==" not in text and not any(op in text for op in ("<=", ">=", "!=")):
            hint = "compare with `==` (two equals signs), e.g. `trust == 2`"
        raise _problem(location, text, "is not a condition scormbuild can read", hint) from None
    return Condition(text=text, tree=_compile(expression, text, location), location=location)


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
    if isinstance(node, ast.Name):
        if node.id in LITERALS:
            return ("lit", LITERALS[node.id])
        return (node.id,) if node.id in BUILT_IN else ("var", node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int)):
        return ("lit", node.value)
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) is int):
        return ("lit", -node.operand.value)
    if isinstance(node, (ast.BoolOp, ast.Compare)) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        return _compile(node, text, location)
    shown = ast.get_source_segment(text, node) or type(node).__name__
    raise _problem(location, text, f"contains `{describe(shown, 40)}`, which is not a variable, a whole number, "
                   "`true` or `false`")


def condition_reader(fields: Fields, key: Key) -> Condition:
    """A Key reader for `if:`."""
    return parse_condition(fields.text(key.name), fields.where(key.name))


def changes_reader(op: str) -> Any:
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


# ---- checks that need the course's variables ----------------------------------------------------

def _type_of(node: ConditionTree, variables: dict[str, Variable], condition: Condition,
             errors: ErrorCollector) -> str | None:
    """"number" or "boolean" (None: a problem, reported) of one node, checking what is below it."""
    head = node[0]
    if head == "lit":
        return "boolean" if isinstance(node[1], bool) else "number"
    if head in BUILT_IN:
        return BUILT_IN[head]
    if head == "var":
        name = node[1]
        if name not in variables:
            known = set(variables) | set(BUILT_IN)
            errors.report(condition.location, f"`if: {describe(condition.text, 80)}` reads `{describe(name, 40)}`, "
                          f"which is not a variable{suggest(name, known)}",
                          "declare it under `variables:` in course.yaml, e.g. `" + name + ": 0`")
            return None
        return variables[name].type
    if head in ("and", "or", "not"):
        for part in node[1:]:
            kind = _type_of(part, variables, condition, errors)
            if kind == "number":
                errors.report(condition.location, f"`if: {describe(condition.text, 80)}` uses a number as yes or no",
                              "compare it, e.g. `trust > 0`")
        return "boolean"
    left = _type_of(node[1], variables, condition, errors)
    right = _type_of(node[2], variables, condition, errors)
    if left and right and left != right:
        errors.report(condition.location, f"`if: {describe(condition.text, 80)}` compares a number with a yes/no",
                      "compare numbers with numbers, and yes/no variables with `true` or `false`")
    elif left == "boolean" and head not in ("==", "!="):
        errors.report(condition.location, f"`if: {describe(condition.text, 80)}` uses `{head}` with a yes/no",
                      "a yes/no can only be `==` or `!=` to another, or used alone: `told_manager`")
    return "boolean"


def check_condition(condition: Condition, variables: dict[str, Variable], errors: ErrorCollector) -> None:
    """Report unknown names and mixed types in ``condition``; a condition must be a yes or no."""
    if _type_of(condition.tree, variables, condition, errors) == "number":
        errors.report(condition.location, f"`if: {describe(condition.text, 80)}` is a number, not a yes or no",
                      "compare it, e.g. `trust > 0`")


def check_change(change: Change, variables: dict[str, Variable], errors: ErrorCollector) -> None:
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
