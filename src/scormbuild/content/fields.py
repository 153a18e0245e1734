"""Typed, self-checking access to one YAML mapping of the author's.

Like MkDocs' config options: each accessor validates its value and raises a
ContentError that points at the key's line and says what to write instead.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from scormbuild.content.yamlpos import PositionedDict
from scormbuild.errors import ContentError, Location

IDENTIFIER = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
IDENTIFIER_HINT = "use 1-64 lowercase letters, digits and hyphens, e.g. `friend-request`"


def suggest(word: str, candidates: list[str] | set[str]) -> str:
    """A ' (did you mean `x`?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def require_mapping(value: Any, location: Location, what: str) -> PositionedDict:
    if not isinstance(value, PositionedDict):
        kind = "nothing" if value is None else type(value).__name__
        raise ContentError(location, f"{what} must be a set of `key: value` lines, not {kind}")
    return value


class Fields:
    """Reads the keys of one mapping, refusing keys it does not know."""

    def __init__(self, data: PositionedDict, allowed: set[str], what: str) -> None:
        self.data = data
        self.what = what
        for key in data:
            if key not in allowed:
                raise ContentError(
                    data.where(key),
                    f"unknown key `{key}` in {what}{suggest(key, allowed)}",
                    "allowed keys: " + ", ".join(sorted(allowed)),
                )

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
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ContentError(self.where(key), f"`{key}` must be text, not {type(value).__name__}",
                               "put the text on the same line, in quotes if it contains a colon")
        text = str(value).strip()
        if not text and default is None:
            raise ContentError(self.where(key), f"`{key}` is empty", f"write something after `{key}:`")
        return text

    def matching(self, key: str, pattern: re.Pattern[str], default: str | None, problem: str, hint: str) -> str:
        """Text that must match ``pattern``; ``problem`` may use {key} and {value}."""
        value = self.text(key, default, example="...")
        if not pattern.match(value):
            raise ContentError(self.where(key), problem.format(key=key, value=value), hint)
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
            raise ContentError(self.where(key), f"`{key}` must be a whole number from {low} to {high}, not {value!r}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise ContentError(self.where(key), f"`{key}` must be `true` or `false`, not {value!r}")
        return value

    def text_list(self, key: str) -> list[str]:
        if not self.has(key):
            return []
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            raise ContentError(self.where(key), f"`{key}` must be a list of texts, one per line starting with `- `")
        return [str(v).strip() for v in value]

    def mapping_list(self, key: str, required: bool = False) -> list[PositionedDict]:
        if not self.has(key):
            if required:
                raise self._missing(key, "(a list of items, each starting with `- `)")
            return []
        value = self.data[key]
        if not isinstance(value, list):
            raise ContentError(self.where(key), f"`{key}` must be a list of items, each starting with `- `")
        return [require_mapping(item, self.where(key), f"each item of `{key}`") for item in value]
