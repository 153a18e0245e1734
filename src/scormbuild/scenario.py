"""Facts about the scenario graph: which scenes a learner can reach, finish from, and the main path."""

from __future__ import annotations

from scormbuild.kinds import kind_of
from scormbuild.model import Course
from scormbuild.variables import can_hold, ranges


def reachable_scenes(course: Course) -> set[str]:
    """Scenes some learner can get to: ways whose `if:` can never hold are not taken."""
    known = ranges(course)
    seen: set[str] = set()
    stack = [course.start]
    while stack:
        scene_id = stack.pop()
        if scene_id in seen or scene_id not in course.scenes:
            continue
        seen.add(scene_id)
        stack.extend(target for target, condition in course.scenes[scene_id].guarded_targets()
                     if condition is None or can_hold(condition, known))
    return seen


def main_path(course: Course) -> list[str]:
    """The scenes a learner meets when every decision is answered right: the
    steps the player counts ("step 3 of 9"). Feedback scenes reached only from
    a wrong choice are not steps."""
    path: list[str] = []
    scene_id: str | None = course.start
    while scene_id is not None and scene_id not in path and scene_id in course.scenes:
        path.append(scene_id)
        scene = course.scenes[scene_id]
        scene_id = kind_of(scene).main_next(scene, path)
    return path


def end_scenes(course: Course) -> set[str]:
    return {scene.id for scene in course.scenes.values() if kind_of(scene).ends_course}


def scenes_that_can_finish(course: Course) -> set[str]:
    """Scenes from which some path leads to an end scene."""
    leads_to: dict[str, set[str]] = {scene_id: set() for scene_id in course.scenes}
    for scene in course.scenes.values():
        for target, _ in scene.targets():
            leads_to.setdefault(target, set()).add(scene.id)
    done = end_scenes(course)
    stack = list(done)
    while stack:
        for earlier in leads_to.get(stack.pop(), ()):
            if earlier not in done:
                done.add(earlier)
                stack.append(earlier)
    return done
