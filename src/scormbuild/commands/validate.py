"""scormbuild validate: every problem in a content folder, without building."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors
from scormbuild.lint import course_warnings


@dataclass
class ValidationReport:
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)

    def exit_code(self, strict: bool) -> int:
        """0: fine; 1: errors (or, with --strict, warnings)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def as_text(self, base: Path | None) -> str:
        lines = [problem.format(base) for problem in self.errors + self.warnings]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)

    def as_json(self, base: Path | None) -> str:
        return json.dumps({"ok": not self.errors, "errors": [e.as_dict(base) for e in self.errors],
                           "warnings": [w.as_dict(base) for w in self.warnings]}, indent=2)


def validate(content_dir: Path) -> ValidationReport:
    try:
        course = load_course(content_dir)
    except ContentErrors as errors:
        return ValidationReport(errors=errors.errors)
    except ContentError as error:
        return ValidationReport(errors=[error])
    return ValidationReport(warnings=course_warnings(course))
