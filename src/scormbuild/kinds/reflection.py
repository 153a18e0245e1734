"""A reflection: the learner writes an answer, then compares it with model points."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scormbuild.content.fields import Fields, Key
from scormbuild.interactions import interaction_definition, interaction_id
from scormbuild.kinds.base import Inline, SceneKind
from scormbuild.model import Course, Scene


@dataclass
class ReflectionScene(Scene):
    points: list[str] = field(default_factory=list)
    min_length: int = 1


class Reflection(SceneKind):
    name = "reflection"
    order = 4
    doc = "A free-text answer, stored in the LMS, then model points to compare with."
    model = ReflectionScene
    keys = (
        Key("points", "texts", "Model points shown after the learner submits."),
        Key("min_length", "integer", "The fewest characters the learner must write.", default=1, low=1, high=4000),
    )
    leads_on = True
    graph_shape = "parallelogram"
    graph_fill = "#e6f4ea"

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        return ReflectionScene(**common, points=[inline(p) for p in values.get("points") or []],
                               min_length=values.get("min_length") or 1)

    def player_data(self, scene: ReflectionScene) -> dict[str, Any]:
        return {"interactionId": interaction_id(scene.id), "minLength": scene.min_length}

    def interactions(self, course: Course, scene: ReflectionScene) -> dict[str, dict[str, Any]]:
        return {interaction_id(scene.id): interaction_definition(course, scene.title, "long-fill-in", self.name)}


KIND = Reflection()
