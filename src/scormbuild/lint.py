"""Checks on a loaded course: errors that need the whole scenario graph, and warnings."""

from __future__ import annotations

import re

from scormbuild.content.files import MAX_SOURCE_BYTES, read_regular_file
from scormbuild.content.loader import report_links_to_nowhere
from scormbuild.errors import ContentError, ErrorCollector, Location
from scormbuild.kinds import KINDS, kind_of
from scormbuild.model import Condition, Course, Scene
from scormbuild.scenario import end_scenes, reachable_scenes, scenes_that_can_finish
from scormbuild.theme import WCAG_AA_TEXT, WHITE, contrast_ratio
from scormbuild.variables import check_change, check_condition, outcomes, ranges


def check_course(course: Course) -> None:
    """Raise ContentErrors for links to missing scenes and other graph errors."""
    errors = ErrorCollector()
    ids = set(course.scenes)
    for scene in course.scenes.values():
        report_links_to_nowhere(scene, ids, errors)
        kind_of(scene).check(scene, course, errors)
        check_variables_of(scene, course, errors)
    if not end_scenes(course):
        ending = [kind.name for kind in KINDS.values() if kind.ends_course]
        errors.report(course.location, "the course has no end scene", f"add a scene with `kind: {ending[0]}`")
    errors.raise_if_any()
    reachable = reachable_scenes(course)
    finishing = scenes_that_can_finish(course)
    for scene in course.scenes.values():
        if scene.id in reachable and scene.id not in finishing:
            errors.report(scene.location, f"learners who reach `{scene.id}` can never get to an end scene",
                          "give it (or a scene after it) a way to an end scene, e.g. `next:` or another option")
    errors.raise_if_any()


def conditions_of(scene: Scene) -> list[Condition]:
    """Every `if:` of a scene: its branches', its buttons' and its speech lines'."""
    return ([b.condition for b in scene.branches] + [c.condition for c in scene.choices_and_options() if c.condition]
            + [line.condition for line in scene.speech() if line.condition])


def check_variables_of(scene: Scene, course: Course, errors: ErrorCollector) -> None:
    """Conditions and changes name declared variables, with their type; branches have a way otherwise."""
    buttons = scene.choices_and_options()
    for condition in conditions_of(scene):
        check_condition(condition, course.variables, errors)
    for change in (change for button in buttons for change in button.changes):
        check_change(change, course.variables, errors)
    if scene.branches and not scene.follows_branches():
        errors.report(scene.branches[0].location, f"the `branches:` of `{scene.id}` are never followed: "
                      + ("it has options, not Continue" if scene.kind == "feedback"
                         else "every choice has its own `goto:`"),
                      "remove them, or remove `goto:` from the choices that should follow them"
                      if scene.kind != "feedback" else "remove them, or give each option its own `if:`")
    elif scene.branches and not scene.next:
        errors.report(scene.branches[0].location, f"scene `{scene.id}` has `branches:` but no `next:`",
                      "add `next: <scene id>`: where Continue leads when no branch's condition holds")


def condition_warnings(course: Course) -> list[ContentError]:
    """Conditions that can never hold or always hold, buttons that may all be hidden, variables unused."""
    known = ranges(course)
    warnings = []
    used: set[str] = set()
    for scene in course.scenes.values():
        buttons = scene.choices_and_options()
        not_last = {id(b.condition) for b in scene.branches[:-1]}
        for condition in conditions_of(scene):
            used |= condition.names()
            results = outcomes(condition, known)
            if "passed" in condition.names() and course.pass_mark is None:
                warnings.append(ContentError(condition.location, f"`if: {condition.text}` reads `passed`, but the "
                                             "course has no `pass_mark`: `passed` is always false",
                                             "add `pass_mark:` to course.yaml, or compare `score` instead",
                                             "warning"))
            elif results == {False}:
                warnings.append(ContentError(condition.location, f"`if: {condition.text}` can never hold: nothing in "
                                             "the course gives its variables such values",
                                             "check the numbers, `min`/`max`, and the `set:`/`add:` of the choices",
                                             "warning"))
            elif results == {True} and id(condition) in not_last:
                warnings.append(ContentError(condition.location, f"`if: {condition.text}` always holds, so the "
                                             "branches after it are never taken", "reorder or correct them",
                                             "warning"))
        guarded = [c.condition for c in buttons if c.condition]
        if buttons and len(guarded) == len(buttons):
            everything = Condition(" or ".join(c.text for c in guarded), ("or", *(c.tree for c in guarded)),
                                   scene.location)
            if False in outcomes(everything, known):
                warnings.append(ContentError(scene.location, f"every button of `{scene.id}` has an `if:`, and "
                                             "learners may reach it when none holds: they would be stuck",
                                             "give one button no `if:`", "warning"))
    for name, variable in course.variables.items():
        if name not in used and not variable.label:
            warnings.append(ContentError(variable.location, f"variable `{name}` is neither read by a condition nor "
                                         "shown (`label:`)", "use it in an `if:`, give it a `label:`, or remove it",
                                         "warning"))
    return warnings


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


def character_warnings(course: Course) -> list[ContentError]:
    """Character colours below 4.5:1 with white: each colours its character's name on a white bubble."""
    return [ContentError(person.location, f"character `{person.id}`'s colour {person.colour} has a contrast of "
                         f"{ratio:.2f}:1 with white; WCAG 2.1 AA needs 4.5:1", "choose a darker colour", "warning")
            for person in course.characters.values()
            if person.colour and (ratio := contrast_ratio(person.colour, WHITE)) < WCAG_AA_TEXT]


OUTSIDE_REFERENCE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"]?)\s*(?:[a-z][a-z0-9+.-]*:|//)""", re.I)


def css_warnings(course: Course) -> list[ContentError]:
    """The theme's own CSS asking for something outside the package (the player makes no other request)."""
    css = course.theme.custom_css
    if css is None:
        return []
    text = read_regular_file(css.source, MAX_SOURCE_BYTES, "keep the course's CSS short").decode("utf-8", "replace")
    found = OUTSIDE_REFERENCE.search(text)
    if found is None:
        return []
    line = text[:found.start()].count("\n") + 1
    return [ContentError(Location(css.source, line), "the theme CSS loads something from another address",
                         "put fonts and pictures in the course folder and refer to them relatively: a package "
                         "makes no request outside itself", "warning")]


# A media element of raw HTML whose src or poster is a local path (not packaged: the player would miss it).
RAW_LOCAL_MEDIA = re.compile(
    r"""<(video|audio|source|track)\b[^>]*?\s(?:src|poster)\s*=\s*["']?(?![a-z][a-z0-9+.-]*:|//|#)([^"'\s>]+)""",
    re.I)


RAW_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
HAS_ALT = re.compile(r"\salt\s*=", re.I)
ESCAPED_MEDIA = re.compile(r"&lt;(video|audio)\b", re.I)


def raw_html_warnings(course: Course) -> list[ContentError]:
    """What the trial found silently wrong in a body's HTML: a raw <img> without alt text, and a
    <video> or <audio> written without `raw_html: true`, which learners see as text."""
    warnings = []
    for scene in course.scenes.values():
        if "<img" in scene.body_html and any(not HAS_ALT.search(tag) for tag in RAW_IMAGE.findall(scene.body_html)):
            warnings.append(ContentError(scene.location, "an <img> in the body's HTML has no alt text",
                                         "add alt=\"…\" describing the picture (alt=\"\" if it is only decoration), "
                                         "or use Markdown: ![a description](media/picture.png)", "warning"))
        escaped = ESCAPED_MEDIA.search(scene.body_html)
        if escaped:
            tag = escaped.group(1).lower()
            warnings.append(ContentError(scene.location, f"the body's <{tag}> is shown to learners as text",
                                         f"use `{tag}:` in the front matter (see the user guide: Pictures, video "
                                         "and audio)", "warning"))
    return warnings


def media_warnings(course: Course) -> list[ContentError]:
    """Media the package does not hold: `external: true` sources, and raw HTML media with local files."""
    warnings = []
    for scene in course.scenes.values():
        for media in scene.media:
            if media.external:
                warnings.append(ContentError(
                    media.location, f"`{media.kind}` is loaded from {media.src}: the package makes requests outside "
                    "itself (learners offline or behind a firewall will not get it)",
                    "copy the file into the course folder and drop `external: true` to package it", "warning"))
        found = RAW_LOCAL_MEDIA.search(scene.body_html) if "<" in scene.body_html else None
        if found:
            warnings.append(ContentError(
                scene.location, f"the body's HTML <{found.group(1).lower()}> refers to `{found.group(2)}`, which is "
                "not packaged", "use `video:` or `audio:` in the front matter instead (see the user guide: "
                "Pictures, video and audio)", "warning"))
    return warnings


def course_warnings(course: Course) -> list[ContentError]:
    """Things that do not break a build but are probably mistakes."""
    warnings: list[ContentError] = (theme_warnings(course) + character_warnings(course) + css_warnings(course)
                                    + media_warnings(course) + raw_html_warnings(course)
                                    + condition_warnings(course))
    warnings += [*course.yaml_warnings, *(w for scene in course.scenes.values() for w in scene.yaml_warnings)]
    reachable = reachable_scenes(course)
    for scene in course.scenes.values():
        if scene.id not in reachable:
            linked = any(scene.id == target for other in course.scenes.values() if other.id in reachable
                         for target, _ in other.targets())
            warnings.append(ContentError(scene.location,
                                         f"scene `{scene.id}` can never be reached from `{course.start}`"
                                         + (": every way to it has an `if:` that can never hold" if linked else ""),
                                         "link to it from another scene (`next:`, `goto:`), or delete it"
                                         if not linked else "correct the conditions on the way to it", "warning"))
        warnings += kind_of(scene).warnings(scene, course)
    return warnings
