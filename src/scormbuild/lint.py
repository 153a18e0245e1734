"""Checks on the whole scenario graph, after every scene has loaded."""

from __future__ import annotations

from scormbuild.content.fields import suggest
from scormbuild.errors import ErrorCollector
from scormbuild.model import Course, EndScene, ReflectionScene, FeedbackScene


def reachable_scenes(course: Course) -> set[str]:
    seen: set[str] = set()
    stack = [course.start]
    while stack:
        scene_id = stack.pop()
        if scene_id in seen or scene_id not in course.scenes:
            continue
        seen.add(scene_id)
        stack.extend(target for target, _ in course.scenes[scene_id].targets())
    return seen


def check_course(course: Course) -> None:
    """Raise ContentErrors for links to missing scenes and other graph errors."""
    errors = ErrorCollector()
    ids = set(course.scenes)
    for scene in course.scenes.values():
        for target, location in scene.targets():
            if target not in ids:
                errors.report(location, f"scene `{target}` does not exist{suggest(target, ids)}",
                              "point to the id of an existing scene (the file name without its leading number)")
        if isinstance(scene, FeedbackScene) and scene.reflection:
            other = course.scenes.get(scene.reflection)
            if not isinstance(other, ReflectionScene):
                errors.report(scene.location, f"`reflection: {scene.reflection}` is not a reflection scene{suggest(scene.reflection, ids)}",
                              "name the reflection scene whose answer the feedback copy should include")
    if not any(isinstance(scene, EndScene) for scene in course.scenes.values()):
        errors.report(course.location, "the course has no end scene", "add a scene with `kind: end`")
    errors.raise_if_any()
