"""A dialogue: people speak, line by line, in speech bubbles; Continue leads on, like a page.

The speech lines (``SPEECH_KEYS``, ``read_speech``, ``check_speakers``) are shared with the
decision's `speech:`, and their markup with it (templates/scenes/_speech.html.j2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scormbuild.content.conditions import CONDITION_KEY
from scormbuild.content.fields import Fields, Key, suggest
from scormbuild.content.yamlpos import PositionedDict
from scormbuild.errors import ErrorCollector
from scormbuild.kinds.base import Inline, SceneKind
from scormbuild.model import Character, Scene, SpeechLine

SPEECH_KEYS = (
    Key("speaker", "identifier", "The id of one of the course's `characters:`. Without it the line is narration."),
    Key("text", "text", "What is said (Markdown: emphasis, links).", required=True, example="Hi, it's Jenny!"),
    replace(CONDITION_KEY, doc="A condition (see Variables and conditions): the line is shown only while it holds."),
)


def read_speech(fields: Fields, items: list[PositionedDict], inline: Inline) -> list[SpeechLine]:
    """The lines of a `lines:` or `speech:` list (problems go to the collector of ``fields``)."""
    lines = []
    for item in items:
        line = Fields(item, SPEECH_KEYS, "a line", fields.errors)
        values = line.read()
        if line.complete(values):
            lines.append(SpeechLine(values["speaker"], inline(values["text"]), line.where("speaker"), values["if"]))
    return lines


def check_speakers(lines: list[SpeechLine], characters: Mapping[str, Character], errors: ErrorCollector) -> None:
    """Every speaker must be one of the course's characters (scenes are read, and cached, without course.yaml,
    so the loader checks this once both are read)."""
    for line in lines:
        if line.speaker is not None and line.speaker not in characters:
            known = set(characters)
            errors.report(line.location, f"there is no character `{line.speaker}`{suggest(line.speaker, known)}",
                          "declare them under `characters:` in course.yaml" if not known else
                          "use the id of a character from course.yaml: " + ", ".join(sorted(known)))


@dataclass
class DialogueScene(Scene):
    lines: list[SpeechLine] = field(default_factory=list)

    def speech(self) -> list[SpeechLine]:
        return self.lines


class Dialogue(SceneKind):
    name = "dialogue"
    order = 2  # beside decision: kinds of equal order keep their modules' order
    doc = "People speaking, line by line, in speech bubbles with their names and portraits; Continue leads on."
    model = DialogueScene
    keys = (Key("lines", "items", "What is said, in order.", required=True, items=SPEECH_KEYS),)
    leads_on = True
    graph_shape = "cds"  # a speech-bubble-like arrow
    graph_fill = "#e8f4ec"

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        items = values.get("lines") or []
        if "lines" in values:
            fields.check(bool(items), "lines", "a dialogue needs at least one line",
                         "add lines like `- speaker: jenny` and `text: ...`")
        return DialogueScene(**common, lines=read_speech(fields, items, inline))


KIND = Dialogue()
