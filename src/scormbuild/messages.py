"""The player's interface texts: one message catalog per language (templates/messages/<tag>.json).

Kinds read them too (the words of an xAPI definition's choices), so this module imports
nothing of scormbuild's."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

TEMPLATES_DIR = Path(str(resources.files("scormbuild.templates")))
CATALOG_DIR = TEMPLATES_DIR / "messages"


@cache
def _catalog(tag: str) -> dict[str, str]:
    catalog: dict[str, str] = json.loads((CATALOG_DIR / f"{tag}.json").read_text("utf-8"))
    return catalog


def catalog_tags() -> list[str]:
    return sorted(path.stem for path in CATALOG_DIR.glob("*.json"))


def messages(language: str) -> dict[str, str]:
    """The player's texts for a language, falling back to English."""
    for tag in (language, language.split("-")[0]):
        if tag.lower() in catalog_tags():
            return {**_catalog("en"), **_catalog(tag.lower())}
    return dict(_catalog("en"))
