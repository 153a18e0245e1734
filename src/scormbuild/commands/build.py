"""scormbuild build: content folder -> one zip per requested standard."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scormbuild.content.loader import load_course
from scormbuild.errors import PackageError
from scormbuild.package import zip_bytes_to
from scormbuild.render import render_player
from scormbuild.standards import STANDARDS, Standard


@dataclass(frozen=True)
class BuiltPackage:
    standard: Standard
    path: Path
    size: int


def package_files(course, standard: Standard) -> dict[str, bytes]:  # noqa: ANN001 - Course
    """Every file of one standard's package, validated before anything is written."""
    files = render_player(course, standard.runtime_scripts)
    files.update(standard.package_files(course, sorted(files)))
    return files


def build(content_dir: Path, formats: list[str], output_dir: Path) -> list[BuiltPackage]:
    course = load_course(content_dir)
    planned: list[tuple[Standard, Path, dict[str, bytes]]] = []
    for key in formats:
        standard = STANDARDS[key]
        files = package_files(course, standard)
        path = output_dir / standard.zip_name(course)
        problems = standard.validate(files)
        if problems:  # a bug in scormbuild, but never ship an invalid package
            raise PackageError(path, problems)
        planned.append((standard, path, files))
    built = []
    for standard, path, files in planned:
        zip_bytes_to(path, files)
        built.append(BuiltPackage(standard, path, path.stat().st_size))
    return built
