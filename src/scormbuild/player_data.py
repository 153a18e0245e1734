"""The course as the player's JavaScript reads it (the JSON in index.html): the one
place where the Python model is projected for the player, with every id, key and
IRI the runtime needs computed here, never rebuilt in JavaScript.

The shape is declared for the JavaScript side in templates/assets/types.js and
checked there by TypeScript.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, cast

from scormbuild.content.conditions import MAX_NUMBER
from scormbuild.kinds import kind_of
from scormbuild.messages import catalog_tags, messages
from scormbuild.model import Change, ConditionTree, Course, Scene
from scormbuild.player_types import CourseData, MediaData, SceneData, VariableData
from scormbuild.scenario import main_path
from scormbuild.state_keys import state_key, state_key_length
from scormbuild.xapi_activities import player_xapi_data


def fingerprint(course: Course) -> str:
    """Changes whenever positionally saved progress (state.js S2) from another build would be misread."""
    shape = []
    for scene in course.scene_list:
        shape.append(":".join([scene.id, scene.kind, *kind_of(scene).state_shape(scene)]))
    if course.variables:  # saved in course order (S2): a course without variables keeps its fingerprint
        shape.append("variables:" + ":".join(f"{v.name}={v.type}" for v in course.variables.values()))
    return hashlib.sha256("\n".join(shape).encode()).hexdigest()[:8]


def legacy_fingerprint(course: Course) -> str:
    """The fingerprint of packages built before choices were part of it (their S2 states stay readable)."""
    shape = [f"{s.id}:{s.kind}:{len(getattr(s, 'questions', []))}" for s in course.scene_list]
    return hashlib.sha256("\n".join(shape).encode()).hexdigest()[:8]


def scene_data(scene: Scene) -> SceneData:
    """One scene as the player reads it: the common fields, then what its kind adds."""
    data: dict[str, Any] = {"id": scene.id, "kind": scene.kind, "title": scene.title, "next": scene.next,
                            "key": state_key("scene", scene.id)}
    data.update(kind_of(scene).player_data(scene))
    if scene.branches:
        data["branches"] = [{"when": list_tree(b.condition.tree), "goto": b.goto} for b in scene.branches]
    return cast(SceneData, data)


def list_tree(tree: ConditionTree) -> list[Any]:
    """A compiled condition as JSON arrays, as the player evaluates it (player.js ``holds``)."""
    return [list_tree(part) if isinstance(part, tuple) else part for part in tree]


def media_data(course: Course, scene: Scene) -> list[MediaData]:
    """A scene's video and audio as the player and its xAPI statements need them."""
    return [{"type": media.kind, "id": f"{course.iri}/scenes/{scene.id}/{media.kind}", "title": media.title,
             "requireComplete": media.require_complete} for media in scene.media]


def _key_lengths(scenes: list[SceneData], variables: list[VariableData]) -> tuple[int, int]:
    """Key lengths for saved progress: scenes, questions and variables apart (3+), each decision's
    choices apart (2+)."""
    questions = [q["key"] for scene in scenes for q in scene.get("questions", [])]
    choices = [[c["key"] for c in scene["choices"]] for scene in scenes if "choices" in scene]
    names = [v["key"] for v in variables]
    return state_key_length([[scene["key"] for scene in scenes], questions, names], 3), state_key_length(choices, 2)


def variable_data(course: Course) -> list[VariableData]:
    """The variables for the player: numbers always with both bounds (the player clamps to them,
    so that no saved value grows beyond a few characters); the saved-progress key changes with the
    type, so a value saved for a yes/no is never read as a number."""
    return [{"name": v.name, "type": v.type, "initial": v.initial,
             "min": None if v.type == "boolean" else (-MAX_NUMBER if v.low is None else v.low),
             "max": None if v.type == "boolean" else (MAX_NUMBER if v.high is None else v.high),
             "label": v.label, "key": state_key("variable", v.name, v.type)} for v in course.variables.values()]


def change_list(changes: Sequence[Change]) -> list[list[Any]]:
    """A button's `set:`/`add:` as the player reads them (data-sb-changes): [name, "set" | "add", value]."""
    return [[change.name, change.op, change.value] for change in changes]


def course_data(course: Course) -> CourseData:
    scenes = [scene_data(scene) for scene in course.scene_list]
    for data, scene in zip(scenes, course.scene_list, strict=True):
        if scene.media:
            data["media"] = media_data(course, scene)
    variables = variable_data(course)
    key_length, choice_key_length = _key_lengths(scenes, variables)
    return {
        "id": course.id, "title": course.title, "version": course.version, "language": course.language,
        "start": course.start, "passMark": course.pass_mark, "scoring": course.scoring,
        "fingerprint": fingerprint(course),
        "legacyFingerprint": legacy_fingerprint(course), "stateKeyLength": key_length,
        "choiceKeyLength": choice_key_length,
        "mainPath": main_path(course),
        "messages": {**messages(course.language), **course.texts},
        "languages": catalog_tags(),
        "reflectionMaxLength": REFLECTION_MAX_LENGTH,
        "scenes": scenes,
        "variables": variables,
        "xapi": player_xapi_data(course),
    }


# The longest reflection the player takes: its SCORM 2004 comment ({lang=..} + text) must stay
# within 4,000 characters, and a SCORM 1.2 cmi.comments block within 4,096.
REFLECTION_MAX_LENGTH = 3800


