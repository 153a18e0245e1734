"""The one family of errors a user of scormbuild is meant to see.

Every problem with a user's input becomes a ContentError that knows where it
is (file, line, column) and what to do about it; the CLI prints these as
``file:line:col: message`` and exits 1. Anything else is a bug in scormbuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


_CONTROL = dict.fromkeys([*range(0, 32), 127, *range(0x80, 0xA0)], "\ufffd")  # a message is one line


def describe(value: object, limit: int = 60) -> str:
    """A value as an error message may show it: text shortened to ``limit`` characters with its
    control characters replaced, anything else by its type. Never the repr of an unbounded value
    (a few YAML aliases can make one of gigabytes)."""
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, (int, float)):
        text = repr(value) if not isinstance(value, int) or value.bit_length() < 64 else "a very large number"
        return text
    if isinstance(value, str):
        shown = value if len(value) <= limit else value[:limit - 1] + "\u2026"
        return shown.translate(_CONTROL)
    kind = {dict: "a mapping", list: "a list", tuple: "a list", set: "a set", bytes: "binary data"}
    return next((name for cls, name in kind.items() if isinstance(value, cls)), type(value).__name__)


@dataclass(frozen=True)
class Location:
    """A position in a source file; line and column are 1-based."""

    file: Path
    line: int = 1
    col: int = 1

    def display(self, base: Path | None = None) -> str:
        path = self.file
        if base is not None:
            try:
                path = self.file.relative_to(base)
            except ValueError:
                pass
        return f"{str(path).translate(_CONTROL)}:{self.line}:{self.col}"  # a file name can hold escapes too


class ScormbuildError(Exception):
    """Base of every error meant for the user rather than for a traceback."""

    def format(self, base: Path | None = None) -> str:
        """The text shown to the user; paths relative to ``base`` where possible."""
        return str(self)


class ContentError(ScormbuildError):
    """One problem in a course's source files."""

    def __init__(self, location: Location, message: str, hint: str = "", severity: str = "error") -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.hint = hint
        self.severity = severity  # "error" stops a build; "warning" is shown and the build goes on

    def format(self, base: Path | None = None) -> str:
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.location.display(base)}: {label}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()

    def as_dict(self, base: Path | None = None) -> dict[str, object]:
        path = self.location.display(base).rsplit(":", 2)[0]
        return {"file": path, "line": self.location.line, "col": self.location.col, "severity": self.severity,
                "message": self.message, "hint": self.hint}


class ContentErrors(ScormbuildError):
    """Several content problems, reported together so authors can fix them in one go."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the course")
        self.errors = sorted(
            errors, key=lambda e: (str(e.location.file), e.location.line, e.location.col)
        )

    def format(self, base: Path | None = None) -> str:
        return "\n".join(error.format(base) for error in self.errors)


class PackageError(ScormbuildError):
    """A built package (zip) that is broken or does not validate."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems

    def format(self, base: Path | None = None) -> str:
        return "\n".join(f"{self.path}: {problem}" for problem in self.problems)


class ErrorCollector:
    """Gathers ContentErrors so that loading can go on past the first one."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []

    def add(self, error: ContentError) -> None:
        self.errors.append(error)

    def report(self, location: Location, message: str, hint: str = "") -> None:
        self.add(ContentError(location, message, hint))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(self.errors)
