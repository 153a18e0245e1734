"""Checks on the whole scenario graph, after every scene has loaded."""

from __future__ import annotations

from scormbuild.content.fields import suggest
from scormbuild.errors import ContentError, ErrorCollector
from scormbuild.model import Course, DecisionScene, EndScene, FeedbackScene, ReflectionScene


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
    reachable = reachable_scenes(course)
    finishing = scenes_that_can_finish(course)
    for scene in course.scenes.values():
        if scene.id in reachable and scene.id not in finishing:
            errors.report(scene.location, f"learners who reach `{scene.id}` can never get to an end scene",
                          "give it (or a scene after it) a way to an end scene, e.g. `next:` or another option")
    errors.raise_if_any()


def scenes_that_can_finish(course: Course) -> set[str]:
    """Scenes from which some path leads to an end scene."""
    leads_to: dict[str, set[str]] = {scene_id: set() for scene_id in course.scenes}
    for scene in course.scenes.values():
        for target, _ in scene.targets():
            leads_to.setdefault(target, set()).add(scene.id)
    done = {s.id for s in course.scenes.values() if isinstance(s, EndScene)}
    stack = list(done)
    while stack:
        for earlier in leads_to.get(stack.pop(), ()):
            if earlier not in done:
                done.add(earlier)
                stack.append(earlier)
    return done


def course_warnings(course: Course) -> list[ContentError]:
    """Things that do not break a build but are probably mistakes."""
    warnings: list[ContentError] = []
    reachable = reachable_scenes(course)
    for scene in course.scenes.values():
        if scene.id not in reachable:
            warnings.append(ContentError(scene.location, f"scene `{scene.id}` can never be reached from `{course.start}`",
                                         "link to it from another scene (`next:`, `goto:`), or delete it", "warning"))
        if course.pass_mark is not None and isinstance(scene, DecisionScene) and not any(c.correct for c in scene.choices):
            warnings.append(ContentError(scene.location, f"decision `{scene.id}` has no right choice, so it does not count towards the pass mark",
                                         "mark the right choice with `correct: true`, or ignore this for an opinion question",
                                         "warning"))
    return warnings
