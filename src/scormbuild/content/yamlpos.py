"""YAML parsing that remembers where every mapping and key came from.

Authors need errors that point at a line, so mappings are loaded as
PositionedDict, which carries the line of the mapping and of each key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scormbuild.errors import ContentError, Location


class PositionedDict(dict):
    """A dict from YAML that knows its own location and the line of each key."""

    location: Location
    key_lines: dict[str, int]

    def where(self, key: str | None = None) -> Location:
        """The location of ``key`` if it is present, else of the mapping itself."""
        if key is not None and key in self.key_lines:
            return Location(self.location.file, self.key_lines[key], 1)
        return self.location


# libyaml's parser when PyYAML has it (several times faster on big courses); same marks, same errors.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PositionedLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    source_file: Path = Path("<string>")
    line_offset: int = 0


def _construct_mapping(loader: _PositionedLoader, node: yaml.MappingNode) -> PositionedDict:
    loader.flatten_mapping(node)
    mapping = PositionedDict()
    mapping.location = Location(
        loader.source_file, node.start_mark.line + 1 + loader.line_offset, node.start_mark.column + 1
    )
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if not isinstance(key, str):
            raise ContentError(
                Location(loader.source_file, line, key_node.start_mark.column + 1),
                f"a key must be text, not {key!r}",
                "write keys as plain words, e.g. `title:`",
            )
        if key in mapping:
            raise ContentError(
                Location(loader.source_file, line, key_node.start_mark.column + 1),
                f"`{key}` is given twice",
                f"keep one `{key}:` (the first is on line {mapping.key_lines[key]})",
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_PositionedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, source_file: Path, line_offset: int = 0) -> Any:
    """Parse YAML text; syntax errors become ContentError with the right line.

    ``line_offset`` is added to every line, for YAML embedded in a larger file
    (a scene's front matter).
    """

    loader = _PositionedLoader(text)
    loader.source_file = source_file
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.line >= text.count("\n"):
            mark = exc.context_mark  # it failed at the very end: what was left open is the useful place
        line = (mark.line + 1 if mark else 1) + line_offset
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(
            Location(source_file, line, col),
            f"YAML syntax error: {problem}",
            "check indentation and quote text that contains a colon followed by a space",
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(Location(source_file, 1 + line_offset, 1), f"YAML error: {exc}") from None
    finally:
        loader.dispose()
