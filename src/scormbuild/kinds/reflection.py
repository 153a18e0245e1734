"""A reflection: the learner writes an answer, then compares it with model points."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scormbuild.content.fields import Fields, Key
from scormbuild.interactions import interaction_definition, interaction_id
from scormbuild.kinds.base import Inline, SceneKind
from scormbuild.messages import messages
from scormbuild.model import Course, Scene

SELF_CHECK = "self-check"
# The learner's own verdict after reading the model points; no answer is right or wrong.
SELF_CHECK_CHOICES = ("all", "some", "none")


@dataclass
class ReflectionScene(Scene):
    points: list[str] = field(default_factory=list)
    min_length: int = 1
    self_check: bool = True

    @property
    def self_check_id(self) -> str | None:
        """The interaction of "did your answer cover these points?", when the scene asks it."""
        return interaction_id(self.id, SELF_CHECK) if self.points and self.self_check else None


class Reflection(SceneKind):
    name = "reflection"
    order = 4
    doc = "A free-text answer, stored in the LMS, then model points to compare with."
    model = ReflectionScene
    keys = (
        Key("points", "texts", "Model points shown after the learner submits."),
        Key("min_length", "integer", "The fewest characters the learner must write.", default=1, low=1, high=4000),
        Key("self_check", "boolean", "After the model points, ask the learner whether their answer covered them "
            "(recorded, never scored). Needs `points`.", default=True),
    )
    leads_on = True
    graph_shape = "parallelogram"
    graph_fill = "#e6f4ea"

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        return ReflectionScene(**common, points=[inline(p) for p in values.get("points") or []],
                               min_length=values.get("min_length") or 1, self_check=values["self_check"])

    def player_data(self, scene: ReflectionScene) -> dict[str, Any]:
        return {"interactionId": interaction_id(scene.id), "minLength": scene.min_length,
                "selfCheckId": scene.self_check_id}

    def interactions(self, course: Course, scene: ReflectionScene) -> dict[str, dict[str, Any]]:
        definitions = {interaction_id(scene.id): interaction_definition(course, scene.title, "long-fill-in", self.name)}
        if scene.self_check_id is not None:
            t = messages(course.language)
            definitions[scene.self_check_id] = interaction_definition(
                course, f"{scene.title}: {t['self_check_question']}", "choice", self.name,
                choices=[(choice, t[f"self_check_{choice}"]) for choice in SELF_CHECK_CHOICES])
        return definitions


KIND = Reflection()
