"""Feedback after a choice: points to consider, a downloadable copy, and options to go on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scormbuild.content.conditions import CHANGE_KEYS, CONDITION_KEY, read_changes
from scormbuild.content.fields import Fields, Key, suggest
from scormbuild.content.images import BUTTON_IMAGE_KEYS, button_image
from scormbuild.errors import ErrorCollector
from scormbuild.kinds.base import Edge, Inline, SceneKind, default_id, failed, unique_ids
from scormbuild.model import Choice, Condition, Course, Image, Scene

OPTION_KEYS = (
    Key("id", "identifier", "The option's id. Default: a, b, c …"),
    Key("text", "text", "The option's button text.", required=True, example="Try again"),
    Key("goto", "identifier", "The scene it leads to.", required=True),
    *BUTTON_IMAGE_KEYS,
    CONDITION_KEY,
    *CHANGE_KEYS,
)


@dataclass
class FeedbackScene(Scene):
    points: list[str] = field(default_factory=list)  # inline HTML, escaped
    download: bool = False
    reflection: str | None = None  # id of a reflection scene whose text the copy includes
    options: list[Choice] = field(default_factory=list)
    options_prompt: str | None = None  # None: the interface language's "What do you want to do now?"

    def targets(self) -> list[tuple[str, Any]]:
        return [(c.goto, c.location) for c in self.options if c.goto] + super().targets()

    def guarded_targets(self) -> list[tuple[str, Condition | None]]:
        return [(c.goto, c.condition) for c in self.options if c.goto] + super().guarded_targets()

    def choices_and_options(self) -> list[Choice]:
        return list(self.options)

    def follows_branches(self) -> bool:
        return not self.options  # with options, the scene shows them instead of Continue

    def images(self) -> list[Image]:
        return super().images() + [o.image for o in self.options if o.image]


class Feedback(SceneKind):
    name = "feedback"
    order = 3
    doc = "What a choice leads to: points to consider, an optional downloadable copy, options such as “Try again”."
    model = FeedbackScene
    keys = (
        Key("points", "texts", "Points to consider, one per line starting with `- ` (Markdown allowed)."),
        Key("download", "boolean", "`true` offers the learner a copy of this feedback (with their reflection).",
            default=False),
        Key("reflection", "identifier", "The id of a reflection scene whose answer the copy includes."),
        Key("options", "items", "Buttons that lead on, e.g. back to the decision.", items=OPTION_KEYS),
        Key("options_prompt", "text", "The heading above the options. Default: “What do you want to do now?” "
            "in the course's language."),
    )
    graph_shape = "note"
    graph_fill = "#f3e8fb"

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        options = []
        for index, item in enumerate(values.get("options") or []):
            option = Fields(item, OPTION_KEYS, "an option", fields.errors, fields.context)
            read = option.read()
            picture = button_image(option, read)
            if option.complete(read):
                options.append(Choice(id=read["id"] or default_id(index, "o"), text=read["text"], goto=read["goto"],
                                      location=option.where("goto"), condition=read["if"],
                                      changes=read_changes(read), **picture))
        unique_ids([(o.id, o.location) for o in options], "option", fields)
        if "options" in values and not failed(fields, values, "next"):
            fields.check(bool(values["options"]) or bool(common["next"]), None,
                         "a feedback scene needs `options:` or `next:`",
                         "add options such as `- text: Try again` with `goto: <scene id>`")
        return FeedbackScene(**common, points=[inline(p) for p in values.get("points") or []],
                             download=values.get("download", False), reflection=values.get("reflection"),
                             options=options, options_prompt=values.get("options_prompt"))

    def player_data(self, scene: FeedbackScene) -> dict[str, Any]:
        return {"reflection": scene.reflection}

    def main_next(self, scene: FeedbackScene, path: list[str]) -> str | None:
        if scene.next:
            return scene.next
        onward = [o.goto for o in scene.options if o.goto not in path]
        return onward[-1] if onward else None

    def edges(self, scene: FeedbackScene) -> list[Edge]:
        return [Edge(o.goto or "", o.text, optional=True, condition=o.condition.text if o.condition else "")
                for o in scene.options] + super().edges(scene)

    def check(self, scene: FeedbackScene, course: Course, errors: ErrorCollector) -> None:
        if scene.reflection and getattr(course.scenes.get(scene.reflection), "kind", None) != "reflection":
            reflections = {other.id for other in course.scenes.values() if other.kind == "reflection"}
            errors.report(scene.location, f"`reflection: {scene.reflection}` is not a reflection scene"
                          f"{suggest(scene.reflection, reflections)}",
                          "name the reflection scene whose answer the feedback copy should include")


KIND = Feedback()
