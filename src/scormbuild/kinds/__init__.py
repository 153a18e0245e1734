"""The scene kinds: one module per kind, each with a ``KIND`` (see ``kinds.base``).

The registry is found, not listed: a new kind is a new module here (plus its
template and its player script), and nothing else in the code changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from scormbuild.kinds.base import COMMON_KEYS, Edge, SceneKind

__all__ = ["COMMON_KEYS", "Edge", "KINDS", "SCENE_KINDS", "SceneKind", "kind_of"]


def _discover() -> dict[str, SceneKind]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            found.append(importlib.import_module(f"{__name__}.{module.name}").KIND)
    return {kind.name: kind for kind in sorted(found, key=lambda kind: kind.order)}


KINDS: dict[str, SceneKind] = _discover()
SCENE_KINDS: tuple[str, ...] = tuple(KINDS)


def kind_of(scene: Any) -> SceneKind:
    return KINDS[scene.kind]
