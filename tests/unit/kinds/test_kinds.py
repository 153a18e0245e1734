"""The scene-kind registry: a kind is one object, and nothing else in the code names a kind."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import Any

import pytest
from support.coursekit import write_course

from scormbuild.commands.build import build
from scormbuild.commands.graph import scenario_graph
from scormbuild.commands.validate_package import validate_package
from scormbuild.content.fields import Fields, Key
from scormbuild.course import load_course
from scormbuild.kinds import KINDS, SceneKind
from scormbuild.kinds.base import Inline
from scormbuild.model import Scene
from scormbuild.reference import json_schema, markdown
from scormbuild.scenario import main_path

LINE_KEYS = (Key("speaker", "text", "Who speaks.", required=True), Key("text", "text", "What they say.", required=True))


@dataclass
class ChatScene(Scene):
    lines: list[tuple[str, str]] = field(default_factory=list)


class Chat(SceneKind):
    """A kind that exists only in this test, to show what adding a kind takes."""

    name = "chat"
    order = 99
    doc = "People speaking, line by line."
    model = ChatScene
    keys = (Key("lines", "items", "What is said.", required=True, items=LINE_KEYS),)
    leads_on = True
    graph_shape = "ellipse"
    graph_fill = "#fdeee6"

    @property
    def template(self) -> str:
        return "scenes/page.html.j2"  # a real kind has its own templates/scenes/chat.html.j2

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        lines = []
        for item in values.get("lines") or []:
            line = Fields(item, LINE_KEYS, "a line", fields.errors).read()
            if {"speaker", "text"} <= line.keys():
                lines.append((line["speaker"], inline(line["text"])))
        return ChatScene(**common, lines=lines)


@pytest.fixture
def chat_kind(monkeypatch):
    monkeypatch.setitem(KINDS, "chat", Chat())


CHAT = """---
kind: chat
title: Jenny calls
lines:
  - speaker: Jenny
    text: Hi, it is *me*!
---
"""
END = "---\nkind: end\ntitle: Done\n---\n"


def test_a_kind_added_to_the_registry_works_through_every_command(chat_kind, tmp_path):
    course_dir = write_course(tmp_path / "c", {"01-call.md": CHAT, "02-end.md": END})
    course = load_course(course_dir)
    assert course.scenes["call"].lines == [("Jenny", "Hi, it is <em>me</em>!")]
    assert course.scenes["call"].next == "end"  # it leads on, as declared
    assert main_path(course) == ["call", "end"]
    assert 'shape=ellipse' in scenario_graph(course).source
    assert "| `chat` | People speaking, line by line. |" in markdown()
    assert any(v["properties"]["kind"].get("const") == "chat" for v in json_schema("scene")["oneOf"])
    packages = build(course_dir, list(("scorm12", "scorm2004", "xapi", "cmi5")), tmp_path / "dist")
    assert [validate_package(p.path).key for p in packages] == ["scorm12", "scorm2004", "xapi", "cmi5"]
    with zipfile.ZipFile(packages[0].path) as archive:
        assert 'class="scene scene-chat" id="scene-call"' in archive.read("index.html").decode()


def test_a_registered_kind_reports_its_mistakes_like_the_others(chat_kind, tmp_path):
    course_dir = write_course(tmp_path / "c", {"01-call.md": CHAT.replace("speaker: Jenny", "speker: Jenny"),
                                               "02-end.md": END})
    with pytest.raises(Exception) as info:
        load_course(course_dir)
    text = info.value.format()
    assert "unknown key `speker` in a line (did you mean `speaker`?)" in text
    assert "a line needs `speaker`" in text
