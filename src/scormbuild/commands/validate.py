"""scormbuild validate: every problem in a content folder, without building.

Two outputs: text for people (``file:line:col: message`` and a hint, paths relative to the
working folder) and JSON for CI and editors. The JSON shape is a promise (docs/validate-in-ci.md, "Validate in
CI"): keys are only ever added, and ``format_version`` changes if one is renamed or removed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypedDict

from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors
from scormbuild.lint import course_warnings

JSON_FORMAT_VERSION = 1


class ProblemJson(TypedDict):
    """One problem in ``validate --format json``."""

    file: str  # relative to the course folder, with /; "." is the folder itself
    line: int  # 1-based
    column: int  # 1-based
    severity: Literal["error", "warning"]
    message: str
    hint: str  # "" when there is none


class Counts(TypedDict):
    errors: int
    warnings: int


class ReportJson(TypedDict):
    """The whole of ``validate --format json``."""

    format_version: int
    course: str  # the folder as given on the command line
    ok: bool  # the exit code is 0
    strict: bool
    counts: Counts
    errors: list[ProblemJson]
    warnings: list[ProblemJson]


@dataclass
class ValidationReport:
    course_dir: Path
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)

    def exit_code(self, strict: bool) -> int:
        """0: fine; 1: errors (or, with --strict, warnings)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def as_text(self, base: Path | None) -> str:
        lines = [problem.format(base) for problem in self.errors + self.warnings]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)

    def as_data(self, strict: bool) -> ReportJson:
        return {
            "format_version": JSON_FORMAT_VERSION,
            "course": printable(str(self.course_dir)),
            "ok": self.exit_code(strict) == 0,
            "strict": strict,
            "counts": {"errors": len(self.errors), "warnings": len(self.warnings)},
            "errors": [self.problem_data(problem) for problem in self.errors],
            "warnings": [self.problem_data(problem) for problem in self.warnings],
        }

    def as_json(self, strict: bool) -> str:
        return json.dumps(self.as_data(strict), indent=2)

    def problem_data(self, problem: ContentError) -> ProblemJson:
        location = problem.location
        return {"file": path_in_course(location.file, self.course_dir), "line": location.line,
                "column": location.col, "severity": "warning" if problem.severity == "warning" else "error",
                "message": printable(problem.message), "hint": printable(problem.hint)}


def path_in_course(file: Path, course_dir: Path) -> str:
    """``file`` relative to the course folder, written with ``/`` on every system, so that CI can
    join it to the folder it passed. Loading may hold a path as given or with links resolved,
    so both are tried; a file outside the folder keeps the path it was found by."""
    for base in absolute_forms(course_dir):
        for candidate in absolute_forms(file):
            if candidate.is_relative_to(base):
                return printable(candidate.relative_to(base).as_posix())
    return printable(file.as_posix())


def absolute_forms(path: Path) -> list[Path]:
    """``path`` made absolute as written, then with its links resolved (when they can be: a
    link that points to itself cannot)."""
    forms = [Path(os.path.abspath(path))]
    try:
        forms.append(path.resolve())
    except (OSError, RuntimeError):
        pass
    return forms


def printable(text: str) -> str:
    """Text that every JSON reader accepts: a file name that is not valid UTF-8 reaches Python
    with lone surrogates, which json.dumps would write as escapes that strict readers refuse."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def validate(content_dir: Path) -> ValidationReport:
    try:
        course = load_course(content_dir)
    except ContentErrors as errors:
        return ValidationReport(content_dir, errors=errors.errors)
    except ContentError as error:
        return ValidationReport(content_dir, errors=[error])
    return ValidationReport(content_dir, warnings=course_warnings(course))
