"""The end: the learner's result and answers; reaching it completes the course."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scormbuild.content.fields import Fields
from scormbuild.kinds.base import Inline, SceneKind
from scormbuild.model import Scene


@dataclass
class EndScene(Scene):
    pass


class End(SceneKind):
    name = "end"
    order = 6
    doc = "Completes the course and shows the result and the learner's answers; a course needs at least one."
    model = EndScene
    ends_course = True
    graph_shape = "doubleoctagon"  # a circle grows with its label: the trial found the end "huge"
    graph_fill = "#dfe7ef"

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        fields.check(not common["next"], "next", "an end scene cannot have `next:`", "remove the line")
        fields.check(not common["branches"], "branches", "an end scene cannot have `branches:`",
                     "remove them: the course ends here")
        return EndScene(**{**common, "next": None, "branches": ()})


KIND = End()
