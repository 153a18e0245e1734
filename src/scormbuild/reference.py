"""The authors' reference, derived from the declared keys: the user guide's key reference and
the JSON Schema files editors use for completion and inline errors.

``python -m scormbuild.reference`` rewrites both; a test fails when they are stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from scormbuild.content.fields import IDENTIFIER, MAX_LIST_ITEMS, MAX_TEXT_CHARS, Key
from scormbuild.content.settings import COURSE_KEYS
from scormbuild.kinds import COMMON_KEYS, KINDS

BEGIN = "<!-- generated from the declared keys: python -m scormbuild.reference -->"
END = "<!-- end of generated keys -->"
SCHEMA_FILES = {"scene.schema.json": "scene", "course.schema.json": "course"}
TYPE_WORDS = {"text": "text", "identifier": "id", "integer": "whole number", "boolean": "true/false",
              "texts": "list of texts", "items": "list", "mapping": "settings", "kind": "kind"}


def _default(key: Key) -> str:
    if key.type == "integer" and key.low is not None:
        bounds = f"{key.low}–{key.high}"
        return f"{bounds}, default {key.default}" if key.default is not None else bounds
    if key.default is not None and key.default != "":
        return f"default `{str(key.default).lower() if isinstance(key.default, bool) else key.default}`"
    return "required" if key.required else ""


def _rows(keys: tuple[Key, ...], prefix: str = "") -> list[str]:
    rows = []
    for key in keys:
        facts = ", ".join(part for part in (TYPE_WORDS[key.type], _default(key)) if part)
        rows.append(f"| `{prefix}{key.name}` | {facts} | {key.doc} |")
        rows += _rows(key.items, f"{prefix}{key.name}{'.' if key.type == 'mapping' else '[].'}")
    return rows


def markdown() -> str:
    """The guide's key reference: the kinds, then each kind's keys (including those of list items)."""
    lines = ["| kind | what it is |", "|---|---|"]
    lines += [f"| `{kind.name}` | {kind.doc} |" for kind in KINDS.values()]
    lines += ["", "Every scene:", "", "| key | type | what it does |", "|---|---|---|", *_rows(COMMON_KEYS)]
    for kind in KINDS.values():
        if kind.keys:
            lines += ["", f"`{kind.name}` scenes also take:", "", "| key | type | what it does |", "|---|---|---|",
                      *_rows(kind.keys)]
    lines += ["", "`course.yaml`:", "", "| key | type | what it does |", "|---|---|---|", *_rows(COURSE_KEYS)]
    return "\n".join(lines)


def _property(key: Key) -> dict[str, Any]:
    prop: dict[str, Any] = {"description": re.sub(r"`", "", key.doc)}
    if key.type == "text":
        prop.update(type=["string", "number"], maxLength=MAX_TEXT_CHARS)
    elif key.type == "identifier":  # an optional one may be written empty (`next:`), as the loader accepts
        prop.update(type="string" if key.required else ["string", "null"], pattern=f"^{IDENTIFIER.pattern}$")
    elif key.type == "integer":
        prop.update(type="integer", minimum=key.low, maximum=key.high)
    elif key.type == "boolean":
        prop.update(type="boolean")
    elif key.type == "texts":
        prop.update(type="array", maxItems=MAX_LIST_ITEMS,
                    items={"type": ["string", "number"], "maxLength": MAX_TEXT_CHARS})
    elif key.type == "items":
        prop.update(type="array", maxItems=MAX_LIST_ITEMS, items=_object(key.items))
    elif key.type == "mapping":
        prop.update(_object(key.items))
    if key.default is not None:
        prop["default"] = key.default
    prop.update(dict(key.json))
    return prop


def _object(keys: tuple[Key, ...], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    properties = {key.name: _property(key) for key in keys if key.type != "kind"}
    properties.update(extra or {})
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [key.name for key in keys if key.required]
    if required:
        schema["required"] = required
    return schema


def json_schema(which: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scene's front matter or of course.yaml."""
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if which == "course":
        return {**head, "title": "scormbuild course.yaml", **_object(COURSE_KEYS)}
    variants = [{"title": f"{kind.name} scene",
                 **_object(kind.all_keys(), {"kind": {"const": kind.name, "description": kind.doc}})}
                for kind in KINDS.values()]
    return {**head, "title": "scormbuild scene front matter", "type": "object",
            "required": ["kind", "title"], "properties": {"kind": {"enum": list(KINDS)}}, "oneOf": variants}


def schema_text(which: str) -> str:
    return json.dumps(json_schema(which), indent=2, ensure_ascii=False) + "\n"


def readme_with_reference(readme: str) -> str:
    start, stop = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + markdown() + "\n" + readme[stop:]


def main(root: Path) -> None:
    """Write the editor schemas (the guide's key reference is made from ``markdown()`` when it is built)."""
    for name, which in SCHEMA_FILES.items():
        (root / "editor" / name).parent.mkdir(exist_ok=True)
        (root / "editor" / name).write_text(schema_text(which), "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
