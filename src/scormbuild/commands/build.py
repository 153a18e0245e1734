"""scormbuild build: content folder -> one zip per requested standard."""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from scormbuild.content.cache import remove_legacy_cache
from scormbuild.course import load_course
from scormbuild.errors import PackageError, StrictError
from scormbuild.lint import course_warnings
from scormbuild.model import Course
from scormbuild.package import write_zips
from scormbuild.render import Player
from scormbuild.standards import STANDARDS, Standard
from scormbuild.standards.base import LRS_CONFIG_FILE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuiltPackage:
    standard: Standard
    path: Path
    size: int


@dataclass(frozen=True)
class LrsConfig:
    """An LRS baked into SCORM packages at build time. Every learner can read it:
    the key must be a write-only (statements/write) credential."""

    endpoint: str
    key: str
    secret: str

    def as_file(self) -> bytes:
        auth = "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        return json.dumps({"endpoint": self.endpoint, "auth": auth}, indent=2).encode() + b"\n"


def package_files(course: Course | Player, standard: Standard, lrs: LrsConfig | None = None,
                  strict_scorm12: bool = False) -> dict[str, bytes]:
    """Every file of one standard's package (give a Player to reuse one rendering for several)."""
    player = course if isinstance(course, Player) else Player(course)
    course = player.course
    files = player.files(standard.runtime_scripts, standard.runtime_config(strict_scorm12))
    if lrs is not None and standard.reads_lrs_config:
        files[LRS_CONFIG_FILE] = lrs.as_file()
    files.update(standard.package_files(course, sorted(files)))
    return files


class CountHandler(logging.Handler):
    """Counts the records it sees (as MkDocs counts warnings for --strict)."""

    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def build(content_dir: Path, formats: list[str], output_dir: Path, lrs: LrsConfig | None = None,
          strict: bool = False, strict_scorm12: bool = False) -> list[BuiltPackage]:
    """Write one zip per format.

    Each step is logged as INFO, and each content warning as a WARNING whose record carries
    the ContentError as ``record.problem``, on the ``scormbuild`` logger. Every package is
    rendered and validated before the first zip is written, so an error leaves ``output_dir``
    as it was; with ``strict``, so does any warning logged (StrictError). ``strict_scorm12``
    writes SCORM 1.2 choice responses as single characters.
    """
    warnings = CountHandler()
    logging.getLogger("scormbuild").addHandler(warnings)
    try:
        built = _build(content_dir, formats, output_dir, lrs, strict_scorm12, warnings if strict else None)
    finally:
        logging.getLogger("scormbuild").removeHandler(warnings)
    remove_legacy_cache(output_dir)
    return built


def _build(content_dir: Path, formats: list[str], output_dir: Path, lrs: LrsConfig | None,
           strict_scorm12: bool, strict_warnings: CountHandler | None) -> list[BuiltPackage]:
    log.info("reading the content")
    course = load_course(content_dir)
    for warning in course_warnings(course):
        log.warning("%s", warning, extra={"problem": warning})
    planned: list[tuple[Standard, Path, dict[str, bytes]]] = []
    player = Player(course)
    for key in formats:
        standard = STANDARDS[key]
        log.info("rendering %s", standard.label)
        files = package_files(player, standard, lrs, strict_scorm12)
        path = output_dir / standard.zip_name(course)
        problems = standard.validate(files)
        if problems:  # a bug in scormbuild, but never ship an invalid package
            raise PackageError(path, problems)
        planned.append((standard, path, files))
    if strict_warnings is not None and strict_warnings.count:
        raise StrictError(strict_warnings.count)
    log.info("writing %d zip(s)", len(planned))
    write_zips([(path, files) for _, path, files in planned])
    return [BuiltPackage(standard, path, path.stat().st_size) for standard, path, _ in planned]
