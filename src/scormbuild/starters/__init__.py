"""The courses `scormbuild new --template NAME` starts from, as data (the files are written by a
YAML emitter, commands/course_writer.py). One module per starter, each defining ``STARTER``."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

# name -> the line `scormbuild new --help` shows; the first is the default.
TEMPLATES = {
    "example": "one scene of every kind (page, decision, quiz ...); the default",
    "branching": "a branching decision scenario: consequences, try again",
    "compliance": "information pages, then a quiz with a pass mark of 80%",
    "dialogue": "characters talk; a choice sets a variable that picks the ending",
}
DEFAULT_TEMPLATE = next(iter(TEMPLATES))


@dataclass(frozen=True)
class StarterScene:
    """One scene file: its name in scenes/, its front matter and its Markdown body."""

    file: str
    front: dict[str, Any]
    body: str


@dataclass(frozen=True)
class Starter:
    """A course to start from. ``settings`` are the keys of course.yaml besides `id`, `title` and
    `iri`, which `new` fills in from the folder and `--title`."""

    scenes: tuple[StarterScene, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def load_starter(name: str) -> Starter:
    """The starter called ``name`` (a key of TEMPLATES)."""
    if name not in TEMPLATES:
        raise KeyError(name)
    starter: Starter = importlib.import_module(f"{__name__}.{name}").STARTER
    return starter
