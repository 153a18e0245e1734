"""A Twine story as import-twine sees it, and reading one from a Twee 3 file."""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from scormbuild.content.files import MAX_SOURCE_BYTES, decode_source
from scormbuild.errors import ContentError, ErrorCollector, Location

# Passages that are not part of the story a learner walks through: the story's settings, and
# code, styles and text the story formats put around every passage.
SPECIAL = {"StoryTitle", "StoryData", "StoryInit", "UserScript", "UserStylesheet", "StoryCaption", "StoryMenu",
           "StoryBanner", "StorySubtitle", "StoryAuthor", "StoryInterface", "StoryShare", "PassageReady",
           "PassageDone", "PassageHeader", "PassageFooter"}
SPECIAL_TAGS = {"script", "stylesheet", "widget", "startup", "header", "footer", "debug-startup", "debug-header",
                "debug-footer", "Twine.image"}
INIT_NAMES = {"StoryInit"}  # SugarCube: run once when the story starts
INIT_TAGS = {"startup"}  # Harlowe: likewise

MAX_HEADER_CHARS = 1000  # a passage header line (`:: Name [tags] {metadata}`), or a passage name in HTML
MAX_TITLE_CHARS = 1000  # the story title (StoryTitle)
MAX_PASSAGES = 20_000  # story passages, each a scene file (as many as a course may have)
MAX_JSON_DEPTH = 32  # nested lists and objects in StoryData (Twine writes 2)
SHOWN_CHARS = 80  # how much of a passage name an error message shows

# Characters a story has no business holding: C0 controls except tab, LF and CR, DEL, the C1
# controls, and the two non-characters XML refuses. They would reach YAML only as escapes, and
# the XML of a package not at all.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# What ``one_line`` drops from a file name (which may hold anything but `/` and NUL, and lone
# surrogates where it is not UTF-8) or other text on its way into a title.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@dataclass
class Passage:
    name: str
    tags: list[str]
    text: str
    line: int  # of its header (Twee) or its element (HTML)
    body_line: int = 0  # the line of the first line of ``text``

    def line_at(self, offset: int) -> int:
        """The file's line of ``offset`` in ``text``."""
        return self.body_line + self.text.count("\n", 0, offset)


@dataclass
class Story:
    source: Path
    passages: list[Passage]  # the story's own passages, in file order
    title: str = ""
    start: str | None = None  # the start passage's name, when the file names one
    start_line: int = 1
    format: str = ""  # the story format: Harlowe, SugarCube, Chapbook … ("" when not said)
    init: list[Passage] = field(default_factory=list)  # StoryInit and `startup` passages
    skipped: list[Passage] = field(default_factory=list)  # code, styles, headers: not scenes


def shown(name: str) -> str:
    """A passage name as an error message shows it: at most SHOWN_CHARS characters."""
    return name if len(name) <= SHOWN_CHARS else name[:SHOWN_CHARS - 1] + "\u2026"


def one_line(text: str) -> str:
    """Text for a title or a choice: runs of whitespace (line breaks too) become one space,
    and characters that cannot go into a package are dropped."""
    return " ".join(UNWRITABLE.sub("", text).split())


def read_text(path: Path, hint: str) -> str:
    """A story file's text: a regular file, at most MAX_SOURCE_BYTES, UTF-8, no control characters."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ContentError(Location(path), "this is not a regular file", hint)
        with path.open("rb") as stream:
            data = stream.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise ContentError(Location(path), f"cannot read file: {exc.strerror}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise ContentError(Location(path), f"file is larger than {MAX_SOURCE_BYTES // 1024 // 1024} MB",
                           "split the story into smaller stories")
    text = decode_source(path, data)
    bad = FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ContentError(Location(path, line), f"the file contains the control character U+{ord(bad.group()):04X}",
                           "remove it; a story holds only text, tabs and line breaks")
    return text


def parse_header(line: str, path: Path, number: int) -> tuple[str, list[str]]:
    """`:: Name [tags] {metadata}` in one left-to-right pass (never a backtracking pattern).

    In the name, a backslash makes the next character literal (`\\[`, `\\{`, `\\\\`); an
    unescaped `[` starts the tags and `{` the metadata, which is not used."""
    if len(line) > MAX_HEADER_CHARS:
        raise ContentError(Location(path, number),
                           f"this passage header is {len(line):,} characters long; the limit is {MAX_HEADER_CHARS:,}",
                           "shorten the passage name (it becomes the scene's title)")
    name: list[str] = []
    index, end = 2, len(line)
    while index < end:
        char = line[index]
        if char == "\\" and index + 1 < end:
            name.append(line[index + 1])
            index += 2
            continue
        if char in "[{":
            break
        name.append(char)
        index += 1
    rest = line[index:]
    tags: list[str] = []
    if rest.startswith("["):
        close = rest.find("]")
        if close == -1:
            raise ContentError(Location(path, number), "the tags of this passage header are not closed with `]`",
                               "write it as `:: Passage name [tag another-tag]`; write `\\[` for a [ in the name")
        tags = rest[1:close].split()
        rest = rest[close + 1:].lstrip()
    if rest.startswith("{"):
        if not rest.rstrip().endswith("}"):
            raise ContentError(Location(path, number), "the metadata of this passage header is not closed with `}`",
                               "write it as `:: Passage name [tags] {\"position\":\"100,100\"}`, or leave it out")
        rest = ""
    if rest.strip():
        raise ContentError(Location(path, number), "this passage header cannot be read",
                           "write it as `:: Passage name [optional tags] {optional metadata}`; "
                           "write `\\[` or `\\{` for those characters in a name")
    text = "".join(name).strip()
    if not text:
        raise ContentError(Location(path, number), "this passage has no name",
                           "write a name after `::`, e.g. `:: The request`")
    return text, tags


def _json_too_deep(text: str, limit: int) -> bool:
    """Whether JSON text nests lists and objects more than ``limit`` deep (strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def story_data(passage: Passage, path: Path) -> dict[str, object]:
    """StoryData's JSON object (Twine 2: ifid, format, start …)."""
    where = Location(path, passage.line)
    if _json_too_deep(passage.text, MAX_JSON_DEPTH):
        raise ContentError(where, f"StoryData nests lists and objects more than {MAX_JSON_DEPTH} levels deep",
                           "StoryData is a flat JSON object such as {\"ifid\": \"...\", \"start\": \"First passage\"}")
    try:
        data = json.loads(passage.text or "{}")
    except json.JSONDecodeError as exc:
        raise ContentError(Location(path, passage.body_line + exc.lineno - 1),
                           f"StoryData is not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError):  # e.g. a number of more than 4,300 digits
        raise ContentError(where, "StoryData is not JSON that can be read") from None
    if not isinstance(data, dict):
        kind = {list: "a list", str: "text", bool: "true or false", type(None): "null"}.get(type(data), "a number")
        raise ContentError(where, f"StoryData must be a JSON object, not {kind}",
                           "write it as {\"ifid\": \"...\", \"start\": \"First passage\"}")
    if data.get("start") is not None and not isinstance(data["start"], str):
        raise ContentError(where, "StoryData's `start` must be the name of a passage, in quotes",
                           "write e.g. \"start\": \"The request\"")
    return data


def check_title(title: str, path: Path, line: int) -> str:
    if len(title) > MAX_TITLE_CHARS:
        raise ContentError(Location(path, line), f"the story title is {len(title):,} characters long; "
                           f"the limit is {MAX_TITLE_CHARS:,}", "shorten the story's name")
    return title


def make_story(path: Path, passages: list[Passage], **settings: object) -> Story:
    """A Story from all of a file's passages: names checked, special passages set apart."""
    errors = ErrorCollector()
    first_line: dict[str, int] = {}
    for passage in passages:
        if passage.name in first_line:
            errors.report(Location(path, passage.line), f"two passages are named `{shown(passage.name)}`",
                          f"the other one is on line {first_line[passage.name]}; give each passage its own name "
                          "(links find passages by name)")
        else:
            first_line[passage.name] = passage.line
    errors.raise_if_any()
    story = Story(path, [], **settings)  # type: ignore[arg-type]
    for passage in passages:
        if passage.name in INIT_NAMES or INIT_TAGS & set(passage.tags):
            story.init.append(passage)
        elif passage.name in SPECIAL or SPECIAL_TAGS & set(passage.tags):
            story.skipped.append(passage)
        else:
            story.passages.append(passage)
    if len(story.passages) > MAX_PASSAGES:
        raise ContentError(Location(path, story.passages[MAX_PASSAGES].line),
                           f"the story has {len(story.passages):,} passages; import-twine converts at most "
                           f"{MAX_PASSAGES:,}", "split the story into several stories, each a course")
    if not story.passages:
        raise ContentError(Location(path, 1), "no story passages found",
                           "a Twee file has passages that begin with `:: Name`")
    return story


def parse_twee(path: Path, text: str) -> Story:
    """The story in ``text``, the content of the Twee file ``path``."""
    passages: list[Passage] = []
    current: Passage | None = None
    body: list[str] = []

    def finish() -> None:
        if current is not None:
            # Leading blank lines are dropped; body_line follows the first line kept.
            blank = next((index for index, kept in enumerate(body) if kept.strip()), len(body))
            current.body_line += blank
            current.text = "\n".join(body[blank:]).strip()
            passages.append(current)

    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.startswith("::"):
            finish()
            name, tags = parse_header(line, path, number)
            current, body = Passage(name, tags, "", number, body_line=number + 1), []
        elif current is not None:
            body.append(line)
    finish()
    if len([p for p in passages if p.name not in SPECIAL]) > MAX_PASSAGES:
        story_passages = [p for p in passages if p.name not in SPECIAL]
        raise ContentError(Location(path, story_passages[MAX_PASSAGES].line),
                           f"the story has {len(story_passages):,} passages; import-twine converts at most "
                           f"{MAX_PASSAGES:,}", "split the story into several stories, each a course")
    settings: dict[str, object] = {}
    for passage in passages:
        if passage.name == "StoryTitle":
            settings["title"] = check_title(one_line(passage.text), path, passage.line)
        elif passage.name == "StoryData":
            data = story_data(passage, path)
            if data.get("start"):
                settings["start"], settings["start_line"] = str(data["start"]), passage.line
            if isinstance(data.get("format"), str):
                settings["format"] = str(data["format"])
    return make_story(path, passages, **settings)
