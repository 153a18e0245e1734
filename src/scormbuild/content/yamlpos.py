"""YAML parsing that remembers where every mapping and key came from.

Authors need errors that point at a line, so mappings are loaded as
PositionedDict, which carries the line of the mapping and of each key.

Plain values are read with YAML 1.2's core schema, not PyYAML's YAML 1.1:
only `true`/`false` are yes/no values (`Yes`, `No`, `on`, `off`, `y`, `n` are
text, so a choice "No" is the text "No"), `1:30` is text rather than 90, `010`
is 10 rather than 8, `0o17` and `0x1F` are numbers, and dates are text. Of
YAML 1.1 only the merge key `<<` is still recognised, to refuse it.

A plain text that goes on over several lines is joined into one line by YAML;
when one of its lines starts with `- `, the author almost always meant a new
list item indented one step too far, and the two items silently became one.
Each such line is a warning with its line, in the document's ``PositionedDict.warnings``.

Course files are untrusted: nesting deeper than MAX_DEPTH is refused before
libyaml composes it (its composer recurses in C and overflows the stack at a
few tens of thousands of levels), YAML merge keys (`<<`, which copy mappings)
are refused, aliases stay shared objects, and values no constructor accepts
(`!!timestamp 2024-13-45`, a 5,000-digit number) are errors with their line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from scormbuild.errors import ContentError, Location, describe

MAX_DEPTH = 64  # nested lists and mappings; course files need fewer than 8


class PositionedDict(dict[str, Any]):
    """A dict from YAML that knows its own location and the line of each key.

    The mapping of a whole document also carries the document's ``warnings``
    (list items merged by their indentation)."""

    location: Location
    key_lines: dict[str, int]
    key_columns: dict[str, int]
    warnings: tuple[ContentError, ...] = ()

    def where(self, key: str | None = None) -> Location:
        """The location of ``key`` (its line and column) if it is present, else of the mapping itself."""
        if key is not None and key in self.key_lines:
            return Location(self.location.file, self.key_lines[key], getattr(self, "key_columns", {}).get(key, 1))
        return self.location


# libyaml's parser when PyYAML has it (several times faster on big courses); same marks, same errors.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PositionedLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    source_file: Path = Path("<string>")
    line_offset: int = 0
    # Replaces PyYAML's YAML 1.1 resolvers (the class would otherwise share them with yaml.SafeLoader).
    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


# YAML 1.2 core schema (spec 1.2.2, 10.3.2): (tag, pattern of the whole plain value, its possible first characters).
CORE_SCHEMA = (
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", list("-+.0123456789")),
    ("tag:yaml.org,2002:merge", r"<<", ["<"]),  # not YAML 1.2: kept so that `<<` is refused with a hint
)
for _tag, _pattern, _first in CORE_SCHEMA:
    _PositionedLoader.add_implicit_resolver(_tag, re.compile(rf"(?:{_pattern})\Z"), _first)


def _construct_core_int(loader: _PositionedLoader, node: yaml.ScalarNode) -> int:
    """A YAML 1.2 integer: `010` is ten (1.1 read it as octal), `0o17` octal, `0x1F` hexadecimal."""
    text = str(loader.construct_scalar(node))
    digits = text.lstrip("+-")
    base = {"0o": 8, "0x": 16}.get(digits[:2].lower(), 10)
    number = int(digits[2:] if base != 10 else digits, base)
    return -number if text.startswith("-") else number


_PositionedLoader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a new line
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Converter:
    """Turns libyaml's composed node tree into Python values, mappings as PositionedDict.

    Text, lists and mappings (nearly everything in course files) are built
    directly, which is several times faster than PyYAML's generic constructor;
    every other tag (numbers, booleans, dates, sets …) goes to that constructor.
    A node reached twice through an alias becomes one shared object, as in PyYAML.
    """

    def __init__(self, loader: _PositionedLoader, text: str = "") -> None:
        self.loader = loader
        self.text = text
        self.done: dict[int, Any] = {}
        self.warnings: list[ContentError] = []
        self.lines: list[str] | None = None

    def value(self, node: yaml.Node) -> Any:
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            if not node.style and node.end_mark.line != node.start_mark.line:  # plain: None, or "" (libyaml)
                self.check_merged_items(node)
            return node.value
        if id(node) in self.done:
            return self.done[id(node)]
        if node.tag == _MAP and isinstance(node, yaml.MappingNode):
            return self.mapping(node)
        if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.done[id(node)] = items
            items.extend(self.value(item) for item in node.value)
            return items
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError, TypeError) as exc:  # e.g. `2024-13-45`, a 5,000-digit number
            raise ContentError(self.where(node), f"`{describe(node.value, 40)}` cannot be read as {_kind(node)}: "
                               f"{describe(str(exc), 80)}", "put it in quotes if it is meant as text") from None
        self.done[id(node)] = value
        return value

    def check_merged_items(self, node: yaml.ScalarNode) -> None:
        """Warn of each line of a plain text over several lines that starts with `- `: YAML made it
        part of the text above (`- a` then `  - b` is one item, "a - b"), where a list item was meant."""
        if self.lines is None:  # split once: a file may hold thousands of wrapped texts
            self.lines = _LINE_BREAK.split(self.text)
        lines = self.lines[node.start_mark.line + 1:node.end_mark.line + 1]
        for number, line in enumerate(lines, start=node.start_mark.line + 2 + self.loader.line_offset):
            content = line.lstrip(" ")
            if content == "-" or content.startswith("- "):
                column = len(line) - len(content) + 1
                self.warnings.append(ContentError(
                    Location(self.loader.source_file, number, column),
                    "this line starts with `- ` but is indented more than the item it follows (line "
                    f"{node.start_mark.line + 1 + self.loader.line_offset}), so YAML reads it as more of that "
                    "item's text: the two are shown as one",
                    "to make it an item of its own, start its `- ` in the same column as the other items; "
                    "if it belongs to the text, put the whole text in quotes", "warning"))

    def where(self, node: yaml.Node) -> Location:
        loader = self.loader
        return Location(loader.source_file, node.start_mark.line + 1 + loader.line_offset, node.start_mark.column + 1)

    def mapping(self, node: yaml.MappingNode) -> PositionedDict:
        loader = self.loader
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ContentError(self.where(key_node), "YAML merge keys (`<<`) are not supported in course files",
                                   "write the keys out where they are needed")
        mapping = PositionedDict()
        self.done[id(node)] = mapping
        mapping.location = Location(loader.source_file, node.start_mark.line + 1 + loader.line_offset,
                                    node.start_mark.column + 1)
        mapping.key_lines = {}
        mapping.key_columns = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            line = key_node.start_mark.line + 1 + loader.line_offset
            if not isinstance(key, str):
                raise ContentError(
                    Location(loader.source_file, line, key_node.start_mark.column + 1),
                    f"a key must be text, not {describe(key)}",
                    "write keys as plain words, e.g. `title:`",
                )
            if key in mapping:
                raise ContentError(
                    Location(loader.source_file, line, key_node.start_mark.column + 1),
                    f"`{key}` is given twice",
                    f"keep one `{key}:` (the first is on line {mapping.key_lines[key]})",
                )
            mapping[key] = self.value(value_node)
            mapping.key_lines[key] = line
            mapping.key_columns[key] = key_node.start_mark.column + 1
        return mapping


def _construct_mapping(loader: _PositionedLoader, node: yaml.MappingNode) -> PositionedDict:
    """Mappings inside other tags (e.g. a !!set or !!omap) that PyYAML's constructor builds."""
    return _Converter(loader).mapping(node)


_PositionedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# A value in quotes followed by more text on its line: `key: 'Grace's kitchen'` or `- "a" b`.
_QUOTE_CLOSED_EARLY = re.compile(r"""^\s*(?:-\s+)?(?:[\w-]+:\s+)?(['"])(?:(?!\1).)*\1[^\s#:,\]}]""")


def _quote_closed_early(text: str) -> tuple[int, str] | None:
    """The first line (1-based) whose quoted value ends before the text does, and its quote."""
    for number, line in enumerate(text.splitlines(), start=1):
        found = _QUOTE_CLOSED_EARLY.match(line)
        if found and not line.rstrip().endswith(found.group(1) * 2):
            return number, found.group(1)
    return None


def parse_yaml(text: str, source_file: Path, line_offset: int = 0) -> Any:
    """Parse YAML text; syntax errors become ContentError with the right line.

    ``line_offset`` is added to every line, for YAML embedded in a larger file
    (a scene's front matter).
    """

    check_depth(text, source_file, line_offset)
    loader = _PositionedLoader(text)
    loader.source_file = source_file
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        converter = _Converter(loader, text)
        value = converter.value(node)
        if converter.warnings and isinstance(value, PositionedDict):
            value.warnings = tuple(converter.warnings)
        return value
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.line >= text.count("\n"):
            mark = exc.context_mark  # it failed at the very end: what was left open is the useful place
        line = (mark.line + 1 if mark else 1) + line_offset
        col = mark.column + 1 if mark else 1
        problem = describe(exc.problem or exc.context or "invalid YAML", 200)
        hint = "check indentation and quote text that contains a colon followed by a space"
        marked_line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
        if "tab" in problem or "\t" in marked_line[:len(marked_line) - len(marked_line.lstrip())]:
            hint = "replace the tab with spaces: YAML indents with spaces only"
        closed_early = _quote_closed_early(text)
        if closed_early is not None:  # `title: 'Grace's kitchen'`: the quote ends at the apostrophe
            number, quote = closed_early
            line, col = number + line_offset, 1
            hint = ("inside single quotes, write an apostrophe twice (`'Grace''s kitchen'`), or use double quotes"
                    if quote == "'" else 'inside double quotes, write \\" for a quotation mark, or use single quotes')
        raise ContentError(Location(source_file, line, col), f"YAML syntax error: {problem}", hint) from None
    except yaml.YAMLError as exc:
        raise ContentError(Location(source_file, 1 + line_offset, 1),
                           f"YAML error: {describe(str(exc), 200)}") from None
    finally:
        loader.dispose()


def _kind(node: yaml.Node) -> str:
    return {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
            "tag:yaml.org,2002:timestamp": "a date"}.get(node.tag, "a value")


_FLOW = re.compile(r"[\[\]{}]")
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.MULTILINE)


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth, in linear time: each level needs a bracket, one more
    column of indentation, or a compact `- `/`? ` on the line."""
    flow = deepest = 0
    if "[" in text or "{" in text:
        for bracket in _FLOW.findall(text):  # brackets inside quotes count too: a bound, not the depth
            flow = flow + 1 if bracket in "[{" else max(flow - 1, 0)
            deepest = max(deepest, flow)
    block = max((len(m.group()) for m in _BLOCK_PREFIX.finditer(text)), default=0)
    return deepest + block


def check_depth(text: str, source_file: Path, line_offset: int = 0) -> None:
    """Refuse nesting deeper than MAX_DEPTH before anything recursive sees the text."""
    if _depth_bound(text) <= MAX_DEPTH:
        return
    def too_deep(mark: Any) -> ContentError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return ContentError(Location(source_file, line + line_offset, col),
                            f"lists and mappings nested more than {MAX_DEPTH} levels deep",
                            "course files need only a few levels: check for a runaway `[` or `{`")

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):  # libyaml's parser is not recursive
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_deep(event.start_mark)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        if isinstance(exc, yaml.MarkedYAMLError) and "nesting depth" in str(exc.problem):
            raise too_deep(exc.problem_mark) from None  # libyaml's own limit, met while it scans ahead
        return  # another error (syntax, a character YAML refuses): composing reports it with its line
