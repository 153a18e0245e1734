"""The Python↔JS contract: the player data's shape is declared twice, as TypedDicts
(src/scormbuild/player_types.py) and as JSDoc typedefs (templates/assets/types.js, which tsc checks
the player against). Here the two declarations are compared key by key, and what a build emits
is checked against them."""

from __future__ import annotations

import re
import typing

import pytest
from support.coursekit import run
from support.paths import ROOT, SAMPLE

from scormbuild import player_types
from scormbuild.course import load_course
from scormbuild.player_data import course_data

TYPES_JS = ROOT / "templates" / "assets" / "types.js"
ADDED_BY_THE_PLAYER = {"SceneData": {"index"}}  # the player numbers the scenes itself
TYPEDEF = re.compile(r"/\*\*(?:(?!\*/).)*?@typedef \{object\} (\w+)(.*?)\*/", re.S)
PROPERTY = re.compile(r"@property \{[^}]*\}\s+(\[?)(\w+)")


def js_typedefs() -> dict[str, dict[str, bool]]:
    """Each object typedef of types.js: property name → optional."""
    text = TYPES_JS.read_text("utf-8")
    return {name: {prop: bool(optional) for optional, prop in PROPERTY.findall(body)}
            for name, body in TYPEDEF.findall(text)}


PY_TYPES = [name for name, value in vars(player_types).items()
            if isinstance(value, type) and typing.is_typeddict(value) and not name.startswith("_")]


@pytest.mark.parametrize("name", PY_TYPES)
def test_each_python_type_has_the_same_keys_as_its_js_typedef(name):
    js = js_typedefs()
    assert name in js, f"types.js has no @typedef {{object}} {name}"
    typed = getattr(player_types, name)
    python = {key: key in typed.__optional_keys__ for key in typed.__annotations__}
    expected = {key: optional for key, optional in js[name].items() if key not in ADDED_BY_THE_PLAYER.get(name, set())}
    assert set(python) == set(expected), (name, set(python) ^ set(expected))
    if name == "SceneData":  # what one kind adds is optional on both sides
        assert python == expected


def _check(value: object, typed: type, where: str) -> None:
    hints = typing.get_type_hints(typed)
    assert isinstance(value, dict), where
    missing = typed.__required_keys__ - value.keys()
    extra = value.keys() - hints.keys()
    assert not missing and not extra, (where, missing, extra)
    for key, item in value.items():
        hint = hints[key]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if typing.is_typeddict(hint):
            _check(item, hint, f"{where}.{key}")
        elif origin is list and args and typing.is_typeddict(args[0]):
            for index, element in enumerate(item):
                _check(element, args[0], f"{where}.{key}[{index}]")


def test_the_sample_course_data_matches_the_declared_types():
    _check(course_data(load_course(SAMPLE)), player_types.CourseData, "course")


def test_a_starter_course_with_every_kind_matches_the_declared_types(tmp_path):
    assert run("new", str(tmp_path / "starter")).returncode == 0
    _check(course_data(load_course(tmp_path / "starter")), player_types.CourseData, "course")
