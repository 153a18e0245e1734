"""The declared keys of the author's YAML, and typed, self-checking access to them.

Like MkDocs' config options, every key is declared once (``Key``: its type,
default, bounds and the sentence the docs show), and the rest derives from the
declarations: the unknown-key check, the readers, the user guide's key reference and
the JSON Schema editors use. ``Fields.read`` validates every declared key of a
mapping and gathers every problem with the key's line, so one run of
`validate` reports all the mistakes in a file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scormbuild.content.yamlpos import PositionedDict
from scormbuild.errors import ContentError, ErrorCollector, Location, describe

IDENTIFIER = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")  # used with fullmatch: no trailing newline
MAX_TEXT_CHARS = 10_000  # one YAML text value (a title, a choice, a point); bodies are Markdown files
MAX_LIST_ITEMS = 500  # points, options, questions …: far more than a scene shows
# What XML (the manifests) cannot carry, and what a terminal would obey: C0 controls but tab and
# line breaks, DEL, lone surrogates (from YAML escapes) and the non-characters U+FFFE, U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
YES_NO_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})  # YAML 1.1 booleans, text in YAML 1.2
IDENTIFIER_HINT = "use 1-64 lowercase letters, digits and hyphens, e.g. `friend-request`"


def suggest(word: str, candidates: list[str] | set[str]) -> str:
    """A ' (did you mean `x`?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


# Keys an author may write for another one that is close in meaning, not in spelling.
ALIASES = {"goto": "next", "next": "goto", "feedback": "points", "answers": "options", "answer": "correct"}


def _alias(key: object, names: set[str]) -> str:
    alias = ALIASES.get(key) if isinstance(key, str) else None
    return f" (did you mean `{alias}`?)" if alias in names else ""


def require_mapping(value: Any, location: Location, what: str) -> PositionedDict:
    if not isinstance(value, PositionedDict):
        kind = "nothing" if value is None else type(value).__name__
        raise ContentError(location, f"{what} must be a set of `key: value` lines, not {kind}")
    return value


@dataclass(frozen=True)
class Key:
    """One key an author may write: declared once, read, documented and exported from here.

    ``type`` names the reader (``text``, ``identifier``, ``integer``, ``boolean``,
    ``texts``, ``items``, ``mapping``); ``items`` declares the keys of each item of an
    ``items`` list. ``reader`` replaces the standard reader for keys with their own
    grammar (a language tag, a colour); ``json`` adds to the key's JSON Schema."""

    name: str
    type: str
    doc: str
    default: Any = None
    required: bool = False
    low: int | None = None
    high: int | None = None
    example: str = "..."
    items: tuple[Key, ...] = ()
    reader: Callable[[Fields, Key], Any] | None = field(default=None, compare=False)
    json: tuple[tuple[str, Any], ...] = ()


def read_key(fields: Fields, key: Key) -> Any:
    """The value of one declared key (its default when absent); raises ContentError."""
    name = key.name
    if key.reader is not None:  # a key with its own grammar: read only when it is written (or required)
        return key.reader(fields, key) if key.required or fields.has(name) else key.default
    if key.type == "text":
        if key.required:
            return fields.text(name, None, example=key.example)
        return fields.text(name, "") if fields.has(name) else key.default
    if key.type == "identifier":
        return fields.identifier(name) if key.required or fields.has(name) else key.default
    if key.type == "integer":
        assert key.low is not None and key.high is not None
        return fields.integer(name, key.default, key.low, key.high)
    if key.type == "boolean":
        return fields.boolean(name, bool(key.default))
    if key.type == "texts":
        return fields.text_list(name)
    if key.type == "items":
        return fields.mapping_list(name, required=key.required)
    if key.type == "kind":  # read first, to choose the kind's keys
        return fields.data.get(name)
    if key.type == "mapping":
        if not fields.has(name):
            return None
        return require_mapping(fields.data[name], fields.where(name), f"`{name}`")
    raise ValueError(f"unknown key type {key.type}")


class Fields:
    """Reads the declared keys of one mapping, refusing keys it does not know.

    Problems are gathered in ``errors``: ``read`` goes on past a bad key, so that a file's
    mistakes are all reported in one run."""

    def __init__(self, data: PositionedDict, keys: tuple[Key, ...], what: str,
                 errors: ErrorCollector, context: Any = None) -> None:
        self.data = data
        self.what = what
        self.keys = keys
        self.context = context  # what custom readers need (the course folder, for local files)
        names = {key.name for key in keys}
        self.errors = errors
        for key in data:
            if key not in names:
                self.report(ContentError(
                    data.where(key),
                    f"unknown key `{describe(key, 40)}` in {what}{suggest(key[:100], names) or _alias(key, names)}",
                    "allowed keys: " + ", ".join(sorted(names)),
                ))

    def report(self, error: ContentError) -> None:
        self.errors.add(error)

    def read(self) -> dict[str, Any]:
        """Every declared key's value; a key with a problem is reported and left out."""
        values: dict[str, Any] = {}
        for key in self.keys:
            try:
                values[key.name] = read_key(self, key)
            except ContentError as error:
                self.report(error)
        return values

    def complete(self, values: dict[str, Any]) -> bool:
        """Whether ``read`` gave a value for every declared key (no problem with any of them)."""
        return all(key.name in values for key in self.keys)

    def check(self, condition: bool, key: str | None, message: str, hint: str = "") -> bool:
        """Report ``message`` at ``key`` unless ``condition``; returns ``condition``."""
        if not condition:
            self.report(ContentError(self.where(key), message, hint))
        return condition

    def where(self, key: str | None = None) -> Location:
        return self.data.where(key)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def _missing(self, key: str, example: str) -> ContentError:
        return ContentError(self.where(), f"{self.what} needs `{key}`", f"add a line like `{key}: {example}`")

    def text(self, key: str, default: str | None = None, example: str = "...") -> str:
        if not self.has(key):
            if default is None:
                raise self._missing(key, example)
            return default
        value = self.data[key]
        if isinstance(value, bool):
            raise ContentError(self.where(key), f"`{key}` must be text, not {describe(value)}",
                               f'YAML reads a bare `{describe(value)}` as a yes/no value: write it in quotes, '
                               f'e.g. `{key}: "{describe(value)}"`')
        if not isinstance(value, (str, int, float)):
            raise ContentError(self.where(key), f"`{key}` must be text, not {describe(value)}",
                               "put the text on the same line, in quotes if it contains a colon")
        text = self._checked(key, str(value).strip())
        if not text and default is None:
            raise ContentError(self.where(key), f"`{key}` is empty", f"write something after `{key}:`")
        return text

    def _checked(self, key: str, text: str) -> str:
        """Text within MAX_TEXT_CHARS and without characters XML or a terminal cannot take."""
        if len(text) > MAX_TEXT_CHARS:
            raise ContentError(self.where(key),
                               f"`{key}` is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}",
                               "shorten it, or move long text into the scene's Markdown body")
        bad = FORBIDDEN.search(text)
        if bad:
            raise ContentError(self.where(key), f"`{key}` contains the control character U+{ord(bad.group()):04X}",
                               "remove it (it may come from a YAML escape such as \\x01 or from a copied text)")
        return text

    def matching(self, key: str, pattern: re.Pattern[str], default: str | None, problem: str, hint: str) -> str:
        """Text that must match ``pattern`` entirely; ``problem`` may use {key} and {value}."""
        value = self.text(key, default, example="...")
        if not pattern.fullmatch(value):
            raise ContentError(self.where(key), problem.format(key=key, value=describe(value)), hint)
        return value

    def identifier(self, key: str, default: str | None = None) -> str:
        return self.matching(key, IDENTIFIER, default, "`{key}` is `{value}`, which is not a valid identifier",
                             IDENTIFIER_HINT)

    def optional_identifier(self, key: str) -> str | None:
        return self.identifier(key) if self.has(key) else None

    def integer(self, key: str, default: int | None, low: int, high: int) -> int | None:
        if not self.has(key):
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ContentError(self.where(key),
                               f"`{key}` must be a whole number from {low} to {high}, not {describe(value)}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            said_yes_or_no = isinstance(value, str) and value.lower() in YES_NO_WORDS
            raise ContentError(self.where(key), f"`{key}` must be `true` or `false`, not {describe(value)}",
                               "write `true` for yes and `false` for no (`yes`, `no`, `on`, `off` are text in "
                               "YAML 1.2, which scormbuild reads)" if said_yes_or_no else "")
        return value

    def text_list(self, key: str) -> list[str]:
        if not self.has(key):
            return []
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                                  for v in value):
            raise ContentError(self.where(key), f"`{key}` must be a list of texts, one per line starting with `- `")
        self._count(key, value)
        return [self._checked(key, str(v).strip()) for v in value]

    def _count(self, key: str, items: list[Any]) -> None:
        if len(items) > MAX_LIST_ITEMS:
            raise ContentError(self.where(key), f"`{key}` has {len(items):,} items; the limit is {MAX_LIST_ITEMS}",
                               "split the scene into several")

    def mapping_list(self, key: str, required: bool = False) -> list[PositionedDict]:
        if not self.has(key):
            if required:
                raise self._missing(key, "(a list of items, each starting with `- `)")
            return []
        value = self.data[key]
        if not isinstance(value, list):
            raise ContentError(self.where(key), f"`{key}` must be a list of items, each starting with `- `")
        self._count(key, value)
        return [require_mapping(item, self.where(key), f"each item of `{key}`") for item in value]


def one_of(name: str, allowed: tuple[str, ...]) -> Callable[[Fields, Key], str]:
    """A Key reader for a word from ``allowed``."""
    def read(fields: Fields, key: Key) -> str:
        value = fields.text(key.name)
        if value not in allowed:
            raise ContentError(fields.where(key.name), f"`{name}` is `{describe(value, 40)}`"
                               f"{suggest(value[:40], set(allowed))}", "use one of: " + ", ".join(allowed))
        return value
    return read
