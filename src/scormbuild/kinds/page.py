"""A page: text (and pictures) to read, then Continue."""

from __future__ import annotations

from dataclasses import dataclass

from scormbuild.kinds.base import SceneKind
from scormbuild.model import Scene


@dataclass
class PageScene(Scene):
    pass


class Page(SceneKind):
    name = "page"
    order = 1
    doc = "Information to read; Continue leads on."
    model = PageScene
    leads_on = True


KIND = Page()
