"""A course as every command starts from it: its folder read, then its scenario graph checked."""

from __future__ import annotations

from pathlib import Path

from scormbuild.content.cache import SceneCache
from scormbuild.content.loader import CourseLoader
from scormbuild.lint import check_course
from scormbuild.model import Course


def load_course(root: Path, cache: SceneCache | None = None) -> Course:
    """Read and check a whole course; raises ContentError(s) on any problem.
    Scenes in ``cache`` whose file is unchanged are not parsed again."""
    course = CourseLoader(Path(root), cache).load()
    check_course(course)
    return course
