"""The course source as the report needs it: each interaction with its scene, its text,
its options and its right answer, and which interaction can follow which.

Built from the same xAPI activity definitions the player sends (each scene kind says
what its interactions are), so the report reads ids exactly as they were written.
"""

from __future__ import annotations

import html
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scormbuild.course import load_course
from scormbuild.interactions import SCENE_KIND_EXTENSION, interaction_iri
from scormbuild.kinds import kind_of
from scormbuild.model import Course
from scormbuild.xapi_activities import scene_base

_TAG = re.compile(r"<[^>]*>")


def plain(text: str) -> str:
    """Rendered inline HTML (a model point) as plain text."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _text(language_map: Any, language: str) -> str:
    if not isinstance(language_map, dict) or not language_map:
        return ""
    value = language_map.get(language, next(iter(language_map.values())))
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Option:
    """A choice of a decision or question (for matching: a prompt or an answer)."""

    id: str
    text: str
    correct: bool | None  # None: the interaction has no right answer


@dataclass(frozen=True)
class Interaction:
    id: str
    scene: str
    scene_title: str
    kind: str  # the scene kind: decision, quiz, reflection, ...
    type: str  # xAPI interactionType: choice, true-false, fill-in, long-fill-in, matching, sequencing
    title: str
    options: tuple[Option, ...] = ()
    targets: tuple[Option, ...] = ()  # matching: what the prompts (options) are matched with
    correct: tuple[str, ...] = ()  # xAPI correct response patterns
    points: tuple[str, ...] = ()  # a reflection's model points, as plain text
    order: int = 0  # position in the course

    @property
    def scored(self) -> bool:
        return bool(self.correct)

    def option_text(self, option_id: str) -> str:
        return next((o.text for o in self.options + self.targets if o.id == option_id), option_id)


@dataclass
class CourseMap:
    course: Course
    interactions: dict[str, Interaction]
    scene_titles: dict[str, str]
    scene_kinds: dict[str, str]
    # interaction id -> the interactions a learner may answer next (through scenes without one)
    following: dict[str, set[str]] = field(default_factory=dict)
    first: set[str] = field(default_factory=set)  # the interactions a learner may answer first

    def __post_init__(self) -> None:
        self._interaction_base = interaction_iri(self.course, "")
        self._scene_base = scene_base(self.course)

    def interaction_of(self, iri: str) -> str:
        """The interaction id of an xAPI object id (the last part when it is not under this course)."""
        return _id_below(iri, self._interaction_base)

    def scene_of(self, iri: str) -> str:
        """The scene id of an `experienced` statement's object id (the last part when not under this course)."""
        return _id_below(iri, self._scene_base)


def _id_below(iri: str, base: str) -> str:
    return iri.removeprefix(base) if iri.startswith(base) else iri.rsplit("/", 1)[-1]


def course_map(course: Course) -> CourseMap:
    language = course.language
    interactions: dict[str, Interaction] = {}
    by_scene: dict[str, list[str]] = {}
    for scene in course.scene_list:
        points = tuple(plain(p) for p in getattr(scene, "points", []) or [])
        for ident, definition in kind_of(scene).interactions(course, scene).items():
            correct = tuple(definition.get("correctResponsesPattern") or ())
            right = set()
            for pattern in correct:
                right.update(pattern.split("[,]"))

            def options(key: str, scored: bool, definition: dict[str, Any] = definition,
                        right: set[str] = right) -> tuple[Option, ...]:
                return tuple(Option(c["id"], _text(c.get("description"), language),
                                    (c["id"] in right) if scored else None) for c in definition.get(key) or ())

            itype = definition["interactionType"]
            matching = itype == "matching"
            interactions[ident] = Interaction(
                ident, scene.id, scene.title, definition["extensions"].get(SCENE_KIND_EXTENSION, scene.kind), itype,
                _text(definition.get("name"), language),
                options("source", False) if matching else options("choices", bool(correct) and itype == "choice"),
                options("target", False) if matching else (), correct,
                points if itype == "long-fill-in" else (), len(interactions))
            by_scene.setdefault(scene.id, []).append(ident)
    following, first = _following(course, by_scene)
    return CourseMap(course, interactions, {s.id: s.title for s in course.scene_list},
                     {s.id: s.kind for s in course.scene_list}, following, first)


def _following(course: Course, by_scene: dict[str, list[str]]) -> tuple[dict[str, set[str]], set[str]]:
    """For each interaction, the interactions that may be answered next; and those that may come first.

    Within a scene, interactions follow one another in order, or, where its kind says so (a quiz),
    in any order; the scene may be taken again. After a scene, every scene it leads to is followed
    until one with interactions."""
    successors = {s.id: {edge.target for edge in kind_of(s).edges(s) if edge.target} for s in course.scene_list}
    in_order = {s.id: kind_of(s).interactions_in_order for s in course.scene_list}

    def entry(scene_id: str) -> set[str]:
        """The interactions a learner may answer first in a scene."""
        idents = by_scene[scene_id]
        return {idents[0]} if in_order[scene_id] else set(idents)

    def next_interactions(scene_id: str) -> set[str]:
        found: set[str] = set()
        seen = {scene_id}
        queue = deque(successors.get(scene_id, ()))
        while queue:
            current = queue.popleft()
            if current in seen or current not in successors:
                continue
            seen.add(current)
            if by_scene.get(current):
                found |= entry(current)
            else:
                queue.extend(successors[current])
        return found

    following: dict[str, set[str]] = {}
    for scene_id, idents in by_scene.items():
        after_scene = next_interactions(scene_id) | entry(scene_id)  # the scene again (a retry)
        for index, ident in enumerate(idents):
            # a learner may leave before the scene's last interaction
            within = set(idents[index + 1:index + 2]) if in_order[scene_id] else set(idents)
            following[ident] = within | after_scene
    start = course.start
    first = entry(start) if by_scene.get(start) else next_interactions(start)
    return following, first


def load_course_map(content_dir: Path) -> CourseMap:
    return course_map(load_course(content_dir))
