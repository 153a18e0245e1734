"""xAPI activities for a course.

The player embeds these definitions so that its statements describe each
decision, question and reflection fully (interactionType, choices,
correctResponsesPattern); the JavaScript only fills in the learner's part.

The interaction definitions are written as the xAPI JSON objects directly:
TinCanPython validates every attribute it is given, which made building them
a tenth of a big course's build time. The tests build the same definitions
with TinCanPython and require identical JSON, so the library stays the judge.
"""

from __future__ import annotations

import json
from typing import Any

from tincan import ActivityDefinition, LanguageMap

from scormbuild.model import Course, DecisionScene, QuizScene, ReflectionScene

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
SCENE_KIND_EXTENSION = "urn:scormbuild:extension:scene-kind"


def interaction_id(scene_id: str, question_id: str | None = None) -> str:
    """The id the player and SCORM use for an interaction; xAPI puts it under the course IRI."""
    return scene_id if question_id is None else f"{scene_id}_{question_id}"


def scene_iri(course: Course, scene_id: str) -> str:
    return f"{course.iri}/scenes/{scene_id}"


def interaction_iri(course: Course, identifier: str) -> str:
    return f"{course.iri}/interactions/{identifier}"


def _text(course: Course, value: str) -> LanguageMap:
    return LanguageMap({course.language: value})


def _definition(course: Course, name: str, interaction: str, kind: str, description: str = "",
                correct: list[str] | None = None, choices: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """One interaction's activity definition, as xAPI JSON."""
    language = course.language
    definition: dict[str, Any] = {
        "name": {language: name},
        "type": INTERACTION_TYPE,
        "interactionType": interaction,
        "extensions": {SCENE_KIND_EXTENSION: kind},
    }
    if description:
        definition["description"] = {language: description}
    if correct is not None:
        definition["correctResponsesPattern"] = correct
    if choices:
        definition["choices"] = [{"id": cid, "description": {language: text}} for cid, text in choices]
    return definition


def interaction_definitions(course: Course) -> dict[str, dict[str, Any]]:
    """Activity definition of every decision, quiz question and reflection, by interaction id."""
    definitions: dict[str, dict[str, Any]] = {}
    for scene in course.scene_list:
        if isinstance(scene, DecisionScene):
            right = [c.id for c in scene.choices if c.correct]
            definitions[interaction_id(scene.id)] = _definition(
                # A decision takes one choice: each right choice is a correct response of its own.
                course, scene.title, "choice", "decision", correct=right or None,
                choices=[(c.id, c.text) for c in scene.choices])
        elif isinstance(scene, ReflectionScene):
            definitions[interaction_id(scene.id)] = _definition(course, scene.title, "long-fill-in", "reflection")
        elif isinstance(scene, QuizScene):
            for question in scene.questions:
                if question.kind == "true-false":
                    definitions[interaction_id(scene.id, question.id)] = _definition(
                        course, question.text, "true-false", "quiz", description=scene.title,
                        correct=[question.correct_ids[0]])
                else:
                    definitions[interaction_id(scene.id, question.id)] = _definition(
                        course, question.text, "choice", "quiz", description=scene.title,
                        correct=["[,]".join(question.correct_ids)],
                        choices=[(o.id, o.text) for o in question.options])
    return definitions


def course_activity(course: Course) -> dict[str, Any]:
    definition = ActivityDefinition(name=_text(course, course.title), type=COURSE_TYPE)
    if course.description:
        definition.description = _text(course, course.description)
    return {"id": course.iri, "objectType": "Activity", "definition": json.loads(definition.to_json())}


def player_xapi_data(course: Course) -> dict[str, Any]:
    """What the player needs to write statements about this course."""
    return {
        "course": course_activity(course),
        "interactionBase": f"{course.iri}/interactions/",
        "sceneBase": f"{course.iri}/scenes/",
        "interactions": interaction_definitions(course),
    }
