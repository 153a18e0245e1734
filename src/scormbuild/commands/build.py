"""scormbuild build: content folder -> one zip per requested standard."""

from __future__ import annotations

import base64
import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from scormbuild.content.cache import remove_legacy_cache
from scormbuild.content.loader import load_course
from scormbuild.model import Course
from scormbuild.errors import ContentError, PackageError
from scormbuild.lint import course_warnings
from scormbuild.package import write_zips
from scormbuild.render import Player
from scormbuild.standards import STANDARDS, Standard


@dataclass(frozen=True)
class BuiltPackage:
    standard: Standard
    path: Path
    size: int


LRS_CONFIG_FILE = "lrs.json"


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


@contextmanager
def fewer_gc_pauses() -> Iterator[None]:
    """Let the cycle collector run less often while a build allocates its many small
    objects (Markdown tokens, YAML nodes), as mypy does: about a tenth off a big build.
    Objects alive before the build are frozen, so collections do not walk them again."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def build(content_dir: Path, formats: list[str], output_dir: Path, lrs: LrsConfig | None = None,
          warnings: list[ContentError] | None = None,
          progress: Callable[[str], None] = lambda step: None,
          strict_scorm12: bool = False) -> list[BuiltPackage]:
    """Write one zip per format; content warnings are appended to ``warnings``.

    Every package is rendered and validated before the first zip is written, so
    an error leaves ``output_dir`` as it was. ``progress`` is told each step.
    ``strict_scorm12`` writes SCORM 1.2 choice responses as single characters.
    """
    with fewer_gc_pauses():
        built = _build(content_dir, formats, output_dir, lrs, warnings, progress, strict_scorm12)
    remove_legacy_cache(output_dir)
    return built


def _build(content_dir: Path, formats: list[str], output_dir: Path, lrs: LrsConfig | None,
           warnings: list[ContentError] | None, progress: Callable[[str], None],
           strict_scorm12: bool) -> list[BuiltPackage]:
    progress("reading the content")
    course = load_course(content_dir)
    if warnings is not None:
        warnings.extend(course_warnings(course))
    planned: list[tuple[Standard, Path, dict[str, bytes]]] = []
    player = Player(course)
    for key in formats:
        progress(f"rendering {STANDARDS[key].label}")
        standard = STANDARDS[key]
        files = package_files(player, standard, lrs, strict_scorm12)
        path = output_dir / standard.zip_name(course)
        problems = standard.validate(files)
        if problems:  # a bug in scormbuild, but never ship an invalid package
            raise PackageError(path, problems)
        planned.append((standard, path, files))
    for _, path, _ in planned:
        progress(f"writing {path.name}")
    write_zips([(path, files) for _, path, files in planned])
    return [BuiltPackage(standard, path, path.stat().st_size) for standard, path, _ in planned]
