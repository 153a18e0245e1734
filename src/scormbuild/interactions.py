"""How an interaction (a decision, a question, a reflection) is named and described in xAPI.

The ids are made here once; the player gets them precomputed (``interactionId``
in its data) and SCORM uses the same ones, so the LMS and the LRS agree.
The definitions are written as xAPI JSON directly: TinCanPython validates every
attribute it is given, which made building them a tenth of a big course's build
time; the tests build the same definitions with TinCanPython and require
identical JSON, so the library stays the judge.
"""

from __future__ import annotations

from typing import Any

from scormbuild.model import Course

INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
SCENE_KIND_EXTENSION = "urn:scormbuild:extension:scene-kind"


def interaction_id(scene_id: str, question_id: str | None = None) -> str:
    """The id the player and SCORM use for an interaction; xAPI puts it under the course IRI."""
    return scene_id if question_id is None else f"{scene_id}_{question_id}"


def interaction_iri(course: Course, identifier: str) -> str:
    return f"{course.iri}/interactions/{identifier}"


def interaction_definition(course: Course, name: str, interaction: str, kind: str, description: str = "",
                           correct: list[str] | None = None,
                           choices: list[tuple[str, str]] | None = None,
                           source: list[tuple[str, str]] | None = None,
                           target: list[tuple[str, str]] | None = None) -> dict[str, Any]:
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
    if source:  # matching: the prompts and the answers they are matched with
        definition["source"] = [{"id": cid, "description": {language: text}} for cid, text in source]
    if target:
        definition["target"] = [{"id": cid, "description": {language: text}} for cid, text in target]
    return definition
