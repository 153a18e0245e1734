"""Harlowe, SugarCube and Chapbook expressions in the course's terms.

Twine's story formats write conditions and assignments in three languages: Harlowe's
(`$x is 1`, `$x to it + 1`), SugarCube's TwineScript (`$x eq 1`, `$x += 1`, `$x to 1`) and
Chapbook's JavaScript (`x === 1`, bare names). The part of them a course can hold, whole
numbers and yes/no values compared and combined with `and`, `or`, `not`, is translated into
the condition syntax of README "Variables and conditions" and checked with the same parser
``validate`` uses; anything else (text values, lists, functions, visits) raises Unconvertible
with the reason, for the import's report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scormbuild.content.conditions import BUILT_IN, LITERALS, MAX_CONDITION_CHARS, MAX_NUMBER, parse_condition
from scormbuild.errors import ContentError, Location

NOWHERE = Location(Path("story"))  # where parse_condition's errors would be, which are only caught here
MAX_NAME_CHARS = 36  # a course variable may have 40; room for a `_2` when two names collide

# One token at a time, each pattern anchored where the last one ended: nothing to backtrack over.
TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`)
  | (?P<variable>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<temporary>_[A-Za-z][A-Za-z0-9_]*)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<operator>===|!==|==|!=|>=|<=|&&|\|\||\+=|-=|\*=|/=|\+\+|--|[<>=!+\-*/%(),;.\[\]{}?:])
""", re.VERBOSE)

COMPARISON_WORDS = {"is": "==", "eq": "==", "==": "==", "===": "==", "neq": "!=", "isnot": "!=", "!=": "!=",
                    "!==": "!=", "gt": ">", ">": ">", "gte": ">=", ">=": ">=", "lt": "<", "<": "<", "lte": "<=",
                    "<=": "<="}
LOGIC_WORDS = {"and": "and", "&&": "and", "or": "or", "||": "or", "not": "not", "!": "not"}


class Unconvertible(Exception):
    """A piece of a story that a course cannot hold; the message says what it is."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class Change:
    """A variable given a value (``set``) or a number added to it (``add``); ``value`` may be text,
    which a course cannot hold, but a variable only ever given one text is shown as that text."""

    name: str
    op: str
    value: int | bool | str


def tokens(text: str) -> list[Token]:
    found, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise Unconvertible(f"`{text[position]}` is not something import-twine can read")
        position = match.end()
        kind = match.lastgroup or ""
        if kind != "space":
            found.append(Token(kind, match.group()))
    return found


@dataclass
class Names:
    """Story variable names (`$toldManager`, `told`) and the course's (`toldmanager`): lowercase
    letters, digits and `_`, starting with a letter, not `score` or `passed`, each its own."""

    mapping: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    # Conditions already converted (stories repeat theirs): the course's text, or why it cannot be.
    conditions: dict[tuple[str, str], str | Unconvertible] = field(default_factory=dict)

    def course_name(self, story_name: str) -> str:
        story_name = story_name.removeprefix("$")
        if story_name in self.mapping:
            return self.mapping[story_name]
        base = re.sub(r"[^a-z0-9_]+", "_", story_name.lower()).strip("_")[:MAX_NAME_CHARS].strip("_")
        if not base or not base[0].isalpha():
            base = ("v_" + base)[:MAX_NAME_CHARS]
        if base in BUILT_IN or base in LITERALS:
            base = "story_" + base
        name, number = base, self.counters.get(base, 2)
        taken = set(self.mapping.values())
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        self.counters[base] = number
        self.mapping[story_name] = name
        return name


def _variable(token: Token, dialect: str, names: Names) -> str | None:
    """The course name of a token that reads a story variable, else None."""
    if token.kind == "variable":
        return names.course_name(token.text)
    if token.kind == "word" and dialect == "chapbook" and token.text not in LOGIC_WORDS and \
            token.text not in ("true", "false"):
        return names.course_name(token.text)
    return None


def convert_condition(text: str, dialect: str, names: Names) -> str:
    """A Harlowe/SugarCube/Chapbook condition as a course condition, e.g. `$trust gte 2` -> `trust >= 2`."""
    key = (text, dialect)
    if key not in names.conditions:
        try:
            names.conditions[key] = _convert_condition(text, dialect, names)
        except Unconvertible as problem:
            names.conditions[key] = problem
    result = names.conditions[key]
    if isinstance(result, Unconvertible):
        raise Unconvertible(str(result))
    return result


def _convert_condition(text: str, dialect: str, names: Names) -> str:
    if len(text) > MAX_CONDITION_CHARS:
        raise Unconvertible(f"the condition is longer than {MAX_CONDITION_CHARS} characters")
    items = tokens(text)
    if not items:
        raise Unconvertible("the condition is empty")
    out: list[str] = []
    index = 0
    while index < len(items):
        token = items[index]
        word = token.text
        name = _variable(token, dialect, names)
        if name is not None:
            out.append(name)
        elif token.kind == "number" and "." not in word:
            out.append(word)
        elif word in ("true", "false"):
            out.append(word)
        elif word == "is" and index + 1 < len(items) and items[index + 1].text == "not":
            out.append("!=")
            index += 1
        elif word in COMPARISON_WORDS:
            out.append(COMPARISON_WORDS[word])
        elif word in LOGIC_WORDS:
            out.append(LOGIC_WORDS[word])
        elif word in ("(", ")", "-"):
            out.append(word)
        elif token.kind == "string":
            raise Unconvertible("it compares text, and course variables are numbers or yes/no")
        elif token.kind == "temporary":
            raise Unconvertible(f"it reads the temporary variable `{word}`")
        else:
            raise Unconvertible(f"it uses `{word}`, which a course condition has no equivalent for")
        index += 1
    condition = " ".join(out).replace("( ", "(").replace(" )", ")").replace("- ", "-")
    try:
        parse_condition(condition, NOWHERE)
    except ContentError:
        raise Unconvertible("it is not a comparison or yes/no a course condition can hold") from None
    return condition


def _split(items: list[Token]) -> list[list[Token]]:
    """Assignments separated by top-level `,` or `;`."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in items:
        if token.text in ("(", "[", "{"):
            depth += 1
        elif token.text in (")", "]", "}"):
            depth -= 1
        if depth == 0 and token.text in (",", ";"):
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _number(items: list[Token]) -> int | None:
    text = "".join(token.text for token in items)
    if re.fullmatch(r"-?\d{1,7}", text) and abs(int(text)) <= MAX_NUMBER:
        return int(text)
    return None


def _value(target: str, items: list[Token], dialect: str, names: Names) -> Change:
    """``target`` given the expression ``items``: a number, yes/no or text, or itself plus a number."""
    if len(items) == 1 and items[0].text in ("true", "false"):
        return Change(target, "set", items[0].text == "true")
    if len(items) == 1 and items[0].kind == "string":
        return Change(target, "set", items[0].text[1:-1])
    number = _number(items)
    if number is not None:
        return Change(target, "set", number)

    def is_self(token: Token) -> bool:
        return token.text == "it" or _variable(token, dialect, names) == target

    if len(items) >= 3 and is_self(items[0]) and items[1].text in ("+", "-"):
        amount = _number(items[2:])
        if amount is not None:
            return Change(target, "add", amount if items[1].text == "+" else -amount)
    if len(items) >= 3 and is_self(items[-1]) and items[-2].text == "+":
        amount = _number(items[:-2])
        if amount is not None:
            return Change(target, "add", amount)
    shown = " ".join(token.text for token in items)
    raise Unconvertible(f"`{shown[:60]}` is not a whole number, yes/no or text, nor the variable plus a number")


def convert_assignments(text: str, dialect: str, names: Names, put: bool = False) -> list[Change]:
    """`$x to 1, $y to it + 1` (Harlowe `set:`), `$x = 1; $y += 2` (SugarCube), `1 into $x`
    (Harlowe `put:`, with ``put``) as Changes."""
    if len(text) > MAX_CONDITION_CHARS:
        raise Unconvertible(f"it is longer than {MAX_CONDITION_CHARS} characters")
    changes = []
    for part in _split(tokens(text)):
        if put:
            words = [token.text for token in part]
            if "into" not in words:
                raise Unconvertible("it has no `into`")
            at = words.index("into")
            part = part[at + 1:] + [Token("operator", "to")] + part[:at]
        if len(part) < 2:
            raise Unconvertible("it is not an assignment such as `$x to 1`")
        target = _variable(part[0], dialect, names)
        if target is None:
            if part[0].kind == "temporary":
                raise Unconvertible(f"it sets the temporary variable `{part[0].text}`")
            raise Unconvertible(f"`{part[0].text}` is not a story variable")
        operator, rest = part[1].text, part[2:]
        if operator in ("to", "=") and rest:
            changes.append(_value(target, rest, dialect, names))
        elif operator in ("+=", "-=") and _number(rest) is not None:
            amount = _number(rest) or 0
            changes.append(Change(target, "add", amount if operator == "+=" else -amount))
        elif operator in ("++", "--") and not rest:
            changes.append(Change(target, "add", 1 if operator == "++" else -1))
        else:
            raise Unconvertible(f"`{' '.join(t.text for t in part)[:60]}` is not an assignment a course can hold")
    if not changes:
        raise Unconvertible("it assigns nothing")
    return changes


def compose(first: dict[str, Change], then: list[Change]) -> dict[str, Change]:
    """The changes of ``first`` followed by ``then``, one per variable: a set followed by an add is
    a set of the sum; an add followed by a set is the set; two adds are one add of both."""
    result = dict(first)
    for change in then:
        before = result.get(change.name)
        if change.op == "set" or before is None:
            result[change.name] = change
        elif before.op == "add" and isinstance(before.value, int) and isinstance(change.value, int):
            result[change.name] = Change(change.name, "add", before.value + change.value)
        elif isinstance(before.value, int) and not isinstance(before.value, bool) and isinstance(change.value, int):
            result[change.name] = Change(change.name, "set", before.value + change.value)
        else:
            result[change.name] = change  # adding to text or yes/no: reported when types are checked
    return result
