"""xAPI activities for a course: the course itself and every interaction's definition.

The player embeds these so that its statements describe each decision, question
and reflection fully (interactionType, choices, correctResponsesPattern); the
JavaScript only fills in the learner's part. Each scene kind says what its
interactions are (``SceneKind.interactions``).
"""

from __future__ import annotations

import json
from typing import Any

from tincan import ActivityDefinition, LanguageMap

from scormbuild.interactions import INTERACTION_TYPE, SCENE_KIND_EXTENSION, interaction_id, interaction_iri
from scormbuild.kinds import kind_of
from scormbuild.model import Course
from scormbuild.player_types import XapiActivity, XapiCourseData

# INTERACTION_TYPE, SCENE_KIND_EXTENSION, interaction_id and interaction_iri are re-exported:
# the names standards and tests use.
__all__ = [
    "COURSE_TYPE",
    "INTERACTION_TYPE",
    "SCENE_KIND_EXTENSION",
    "course_activity",
    "interaction_definitions",
    "interaction_id",
    "interaction_iri",
    "player_xapi_data",
    "scene_base",
]

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"


def interaction_definitions(course: Course) -> dict[str, dict[str, Any]]:
    """Activity definition of every decision, quiz question and reflection, by interaction id."""
    definitions: dict[str, dict[str, Any]] = {}
    for scene in course.scene_list:
        definitions.update(kind_of(scene).interactions(course, scene))
    return definitions


def scene_base(course: Course) -> str:
    """What a scene's activity id (in `experienced` statements) is made of: this and the scene's id."""
    return f"{course.iri}/scenes/"


def course_activity(course: Course) -> XapiActivity:
    definition = ActivityDefinition(name=LanguageMap({course.language: course.title}), type=COURSE_TYPE)
    if course.description:
        definition.description = LanguageMap({course.language: course.description})
    return {"id": course.iri, "objectType": "Activity", "definition": json.loads(definition.to_json())}


def player_xapi_data(course: Course) -> XapiCourseData:
    """What the player needs to write statements about this course."""
    return {
        "course": course_activity(course),
        "interactionBase": interaction_iri(course, ""),
        "sceneBase": scene_base(course),
        "interactions": interaction_definitions(course),
    }
