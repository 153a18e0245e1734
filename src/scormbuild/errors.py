"""The one family of errors a user of scormbuild is meant to see, every class of it.

Every problem with a user's input becomes a ScormbuildError. A ContentError knows where it
is (file, line, column) and what to do about it and prints as ``file:line:col: message``;
the others print as ``command: message``. They are click exceptions (as MkDocs' are), so
the CLI never catches them by hand: click calls ``show()`` and exits 1. Anything else is
a bug in scormbuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

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


class ScormbuildError(click.ClickException):
    """Base of every error meant for the user rather than for a traceback; exit code 1."""

    exit_code = 1
    # Set by the CLI for the commands that write all or nothing (build, new, graph, import-twine).
    nothing_written = False

    def format(self, base: Path | None = None) -> str:
        """The text shown to the user; paths relative to ``base`` where possible."""
        return str(self)

    def problem_count(self) -> int:
        return 1

    def show(self, file: object = None) -> None:
        """The error as the CLI prints it on stderr: ``format()`` relative to the working
        folder, then a red ``error: N problem(s).`` line."""
        suffix = "; nothing was written." if self.nothing_written else "."
        click.echo(self.format(Path.cwd()), file=file, err=True, color=self.show_color)  # type: ignore[arg-type]
        click.secho(f"error: {self.problem_count()} problem(s){suffix}", file=file, err=True,  # type: ignore[arg-type]
                    fg="red", color=self.show_color)


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

    def problem_count(self) -> int:
        return len(self.errors)


class PackageError(ScormbuildError):
    """A built package (zip) that is broken or does not validate."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems

    def format(self, base: Path | None = None) -> str:
        return "\n".join(f"{self.path}: {problem}" for problem in self.problems)

    def problem_count(self) -> int:
        return len(self.problems)


class CommandError(ScormbuildError):
    """A problem not tied to a place in a file, shown as ``command: message``."""

    command = ""

    def format(self, base: Path | None = None) -> str:
        return f"{self.command}: {self}"


class NewError(CommandError):
    command = "new"


class GraphError(CommandError):
    command = "graph"


class ReportError(CommandError):
    command = "report"


class StrictError(CommandError):
    """``build --strict`` refusing a course that has warnings (they were shown before it)."""

    command = "build"

    def __init__(self, warnings: int) -> None:
        super().__init__(f"{warnings} warning(s), and --strict makes warnings errors")
        self.warnings = warnings

    def problem_count(self) -> int:
        return self.warnings


class UsageError(CommandError):
    """A command line that cannot be carried out as given, such as a target folder that is
    in use. Exit code 1 like every scormbuild error (click keeps 2 for a command line it
    cannot parse)."""

    def __init__(self, command: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.command = command
        self.hint = hint

    def format(self, base: Path | None = None) -> str:
        text = super().format(base)
        return f"{text}\n    hint: {self.hint}" if self.hint else text


def require_new_folder(command: str, target: Path) -> None:
    """Raise UsageError unless ``target`` does not exist or is an empty folder: `new` and
    `import-twine` never overwrite files."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(command, f"the folder {describe(str(target), 200)} already exists and is not empty",
                         f"choose a new folder; scormbuild {command} never overwrites files")


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
