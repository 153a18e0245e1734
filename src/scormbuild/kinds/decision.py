"""A decision: the learner picks one of several choices; each can lead elsewhere and score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scormbuild.content.conditions import CHANGE_KEYS, CONDITION_KEY, read_changes
from scormbuild.content.fields import Fields, Key
from scormbuild.content.images import BUTTON_IMAGE_KEYS, button_image
from scormbuild.errors import ContentError
from scormbuild.interactions import interaction_definition, interaction_id
from scormbuild.kinds.base import Edge, Inline, SceneKind, default_id, failed, unique_ids
from scormbuild.kinds.dialogue import SPEECH_KEYS, read_speech
from scormbuild.model import Choice, Condition, Course, Image, Scene, SpeechLine
from scormbuild.state_keys import state_key

MAX_CHOICES = 35  # the saved state keeps a decision's first choice in one base-36 character

CHOICE_KEYS = (
    Key("id", "identifier", "The choice's id in the LMS's records. Default: a, b, c …"),
    Key("text", "text", "What the learner can choose.", required=True, example="Accept the request"),
    Key("correct", "boolean", "`true` for a right choice (it counts towards the pass mark).", default=False),
    Key("score", "integer", "Points for this choice. Default: 1 if it is right, else 0.", low=0, high=1000),
    Key("goto", "identifier", "The scene this choice leads to. Default: the scene's `next:`."),
    *BUTTON_IMAGE_KEYS,
    CONDITION_KEY,
    *CHANGE_KEYS,
)


@dataclass
class DecisionScene(Scene):
    choices: list[Choice] = field(default_factory=list)
    lines: list[SpeechLine] = field(default_factory=list)  # `speech:`, shown after the body

    def speech(self) -> list[SpeechLine]:
        return self.lines

    def images(self) -> list[Image]:
        return super().images() + [c.image for c in self.choices if c.image]

    @property
    def max_score(self) -> int:
        return max((choice.score for choice in self.choices), default=0)

    def targets(self) -> list[tuple[str, Any]]:
        return [(c.goto, c.location) for c in self.choices if c.goto] + super().targets()

    def guarded_targets(self) -> list[tuple[str, Condition | None]]:
        own = [(c.goto, c.condition) for c in self.choices if c.goto and not c.follows_next]
        return own + super().guarded_targets()

    def choices_and_options(self) -> list[Choice]:
        return list(self.choices)

    def follows_branches(self) -> bool:
        return any(c.follows_next for c in self.choices)


class Decision(SceneKind):
    name = "decision"
    order = 2
    doc = ("Choices that branch the scenario; each becomes an interaction in the LMS "
           "(what was offered, chosen, right or wrong).")
    model = DecisionScene
    keys = (Key("choices", "items", f"2 to {MAX_CHOICES} choices.", required=True, items=CHOICE_KEYS,
                json=(("minItems", 2), ("maxItems", MAX_CHOICES))),
            Key("speech", "items", "Lines spoken before the choices, shown after the body in speech bubbles "
                "(as in a `dialogue`).", items=SPEECH_KEYS))
    graph_shape = "diamond"
    graph_fill = "#fff4d6"

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        items = values.get("choices") or []
        if "choices" in values:
            fields.check(len(items) >= 2, "choices", "a decision needs at least two choices")
            fields.check(len(items) <= MAX_CHOICES, "choices", f"a decision can have at most {MAX_CHOICES} choices",
                         "split it into two decisions")
        choices = [choice for index, item in enumerate(items[:MAX_CHOICES])
                   if (choice := self.choice(Fields(item, CHOICE_KEYS, "a choice", fields.errors, fields.context),
                                             index, common["next"], failed(fields, values, "next")))]
        unique_ids([(c.id, c.location) for c in choices], "choice", fields)
        return DecisionScene(**common, choices=choices, lines=read_speech(fields, values.get("speech") or [], inline))

    @staticmethod
    def choice(fields: Fields, index: int, scene_next: str | None, next_failed: bool = False) -> Choice | None:
        """One choice; ``next_failed``: the scene's `next:` has a problem (reported), so a choice
        without `goto:` is not also said to lead nowhere."""
        values = fields.read()
        picture = button_image(fields, values)
        goto = values.get("goto") or scene_next
        if "goto" in values and goto is None and not next_failed:
            fields.report(ContentError(fields.where(), "this choice leads nowhere",
                                       "add `goto: <scene id>` to the choice, or `next:` to the scene"))
        if not fields.complete(values) or goto is None:
            return None
        correct = values["correct"]
        return Choice(id=values["id"] or default_id(index, "c"), text=values["text"], goto=goto,
                      location=fields.where("goto"),  # where a wrong target is best reported
                      correct=correct, score=values["score"] if values["score"] is not None else (1 if correct else 0),
                      **picture, condition=values["if"], changes=read_changes(values), follows_next=not values["goto"])

    def player_data(self, scene: DecisionScene) -> dict[str, Any]:
        # A choice without `goto:` of its own goes where Continue would: the player tries the branches.
        return {"interactionId": interaction_id(scene.id), "maxScore": scene.max_score,
                "choices": [{"id": c.id, "goto": None if c.follows_next and scene.branches else c.goto,
                             "correct": c.correct, "score": c.score,
                             "key": state_key("choice", scene.id, c.id)} for c in scene.choices]}

    def interactions(self, course: Course, scene: DecisionScene) -> dict[str, dict[str, Any]]:
        right = [c.id for c in scene.choices if c.correct]
        # A decision takes one choice: each right choice is a correct response of its own.
        return {interaction_id(scene.id): interaction_definition(
            course, scene.title, "choice", self.name, correct=right or None,
            choices=[(c.id, c.text) for c in scene.choices])}

    def state_shape(self, scene: DecisionScene) -> list[str]:
        return [c.id for c in scene.choices]

    def main_next(self, scene: DecisionScene, path: list[str]) -> str | None:
        right = [c for c in scene.choices if c.correct] or scene.choices
        return right[0].goto

    def edges(self, scene: DecisionScene) -> list[Edge]:
        scored = any(c.correct for c in scene.choices)
        edges = [Edge(c.goto or "", c.id, c.correct, scored, condition=c.condition.text if c.condition else "")
                 for c in scene.choices if not (c.follows_next and scene.branches)]
        if any(c.follows_next for c in scene.choices) and scene.branches:
            edges += super().edges(scene)
        return edges

    def warnings(self, scene: DecisionScene, course: Course) -> list[ContentError]:
        if course.pass_mark is None or any(c.correct for c in scene.choices):
            return []
        return [ContentError(scene.location,
                             f"decision `{scene.id}` has no right choice, so it does not count towards the pass mark",
                             "mark the right choice with `correct: true`, or ignore this for an opinion question",
                             "warning")]


KIND = Decision()
