"""Checks on the whole scenario graph, after every scene has loaded."""

from __future__ import annotations

import re

from scormbuild.content.fields import suggest
from scormbuild.errors import ContentError, ErrorCollector, Location
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


def main_path(course: Course) -> list[str]:
    """The scenes a learner meets when every decision is answered right: the
    steps the player counts ("step 3 of 9"). Feedback scenes reached only from
    a wrong choice are not steps."""
    path: list[str] = []
    scene_id: str | None = course.start
    while scene_id is not None and scene_id not in path and scene_id in course.scenes:
        path.append(scene_id)
        scene = course.scenes[scene_id]
        if isinstance(scene, DecisionScene):
            right = [c for c in scene.choices if c.correct] or scene.choices
            scene_id = right[0].goto
        elif isinstance(scene, FeedbackScene) and not scene.next:
            onward = [o.goto for o in scene.options if o.goto not in path]
            scene_id = onward[-1] if onward else None
        else:
            scene_id = scene.next
    return path


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


WCAG_AA_TEXT = 4.5
WHITE = "#ffffff"


def relative_luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme_warnings(course: Course) -> list[ContentError]:
    """Theme colours that fall below WCAG 2.1 AA contrast (4.5:1) where the player uses them."""
    theme = course.theme
    pairs = [
        ("primary", theme.primary, WHITE, "white button text on it, and links on the white page"),
        ("text", theme.text, WHITE, "the white page"),
        ("text", theme.text, theme.background, "the background"),
    ]
    warnings = []
    for key, colour, against, where in pairs:
        if colour and against:
            ratio = contrast_ratio(colour, against)
            if ratio < WCAG_AA_TEXT:
                warnings.append(ContentError(
                    theme.where(key) or course.location,
                    f"theme `{key}: {colour}` has a contrast of {ratio:.2f}:1 with {where}; WCAG 2.1 AA needs 4.5:1",
                    "choose a darker colour (or a lighter background)", "warning"))
    return warnings


OUTSIDE_REFERENCE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"]?)\s*(?:[a-z][a-z0-9+.-]*:|//)""", re.I)


def css_warnings(course: Course) -> list[ContentError]:
    """The theme's own CSS asking for something outside the package (the player makes no other request)."""
    css = course.theme.custom_css
    if css is None:
        return []
    from scormbuild.content.loader import MAX_SOURCE_BYTES, read_regular_file  # the loader imports this module

    text = read_regular_file(css.source, MAX_SOURCE_BYTES, "keep the course's CSS short").decode("utf-8", "replace")
    found = OUTSIDE_REFERENCE.search(text)
    if found is None:
        return []
    line = text[:found.start()].count("\n") + 1
    return [ContentError(Location(css.source, line), "the theme CSS loads something from another address",
                         "put fonts and pictures in the course folder and refer to them relatively: a package "
                         "makes no request outside itself", "warning")]


def course_warnings(course: Course) -> list[ContentError]:
    """Things that do not break a build but are probably mistakes."""
    warnings: list[ContentError] = theme_warnings(course) + css_warnings(course)
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
