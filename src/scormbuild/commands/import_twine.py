"""scormbuild import-twine: a Twee 3 story becomes a content folder.

Passages become scenes: one with two or more links is a decision (its links
are the choices), one with a single link is a page leading on, one with none
is an end. Tags `page`, `decision`, `feedback` (links become the "what do you
want to do now?" options) and `end` override that. Which choice is right
cannot be said in Twine, so choices are written unscored; `scormbuild validate`
then points at each decision to review.

A story file is untrusted input. Every step here is linear in the size of the
file (no regular expression can backtrack over a line: headers, links and
macros are found with ``str.find``), the file is read only up to its size
limit and only if it is a regular file, and the result is written to a hidden
folder beside the target, checked exactly as `scormbuild validate` checks a
course, and only then renamed into place. So `import-twine` either writes a
course that validates or writes nothing and says where the story is wrong.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scormbuild.commands.course_writer import write_valid_course
from scormbuild.content.files import MAX_SOURCE_BYTES, decode_source
from scormbuild.errors import ContentError, ContentErrors, ErrorCollector, Location, require_new_folder
from scormbuild.kinds.decision import MAX_CHOICES

SPECIAL = {"StoryTitle", "StoryData", "StoryInit", "UserScript", "UserStylesheet"}

MAX_HEADER_CHARS = 1000  # a passage header line (`:: Name [tags] {metadata}`)
MAX_TITLE_CHARS = 1000  # the story title (StoryTitle)
MAX_PASSAGES = 20_000  # story passages, each a scene file (as many as a course may have)
MAX_JSON_DEPTH = 32  # nested lists and objects in StoryData (Twine writes 2)
SHOWN_CHARS = 80  # how much of a passage name an error message shows

# Characters a Twee file has no business holding: C0 controls except tab, LF and CR, DEL, the
# C1 controls, and the two non-characters XML refuses. They would reach YAML only as escapes,
# and the XML of a package not at all.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# What ``one_line`` drops from a file name (which may hold anything but `/` and NUL, and lone
# surrogates where it is not UTF-8) or other text on its way into a title.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Where a Harlowe (macro: ...) starts.
HARLOWE_START = re.compile(r"\(\w+:")


@dataclass
class Passage:
    name: str
    tags: list[str]
    text: str
    line: int
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, target)
    body_line: int = 0  # the line of the first line of ``text``


def shown(name: str) -> str:
    """A passage name as an error message shows it: at most SHOWN_CHARS characters."""
    return name if len(name) <= SHOWN_CHARS else name[:SHOWN_CHARS - 1] + "\u2026"


def one_line(text: str) -> str:
    """Text for a title or a choice: runs of whitespace (line breaks too) become one space,
    and characters that cannot go into a package are dropped."""
    return " ".join(UNWRITABLE.sub("", text).split())


# -- reading ---------------------------------------------------------------------------------


def read_story(path: Path) -> str:
    """The story's text: a regular file, at most MAX_SOURCE_BYTES, UTF-8, no control characters."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ContentError(Location(path), "this is not a regular file",
                               "give the .twee file that Twine exported (Twine: Build > Export as Twee)")
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
                           "remove it; a Twee file holds only text, tabs and line breaks")
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


def parse_link(inner: str) -> tuple[str, str]:
    """Twine's link forms: [[Target]], [[Label|Target]], [[Label->Target]], [[Target<-Label]]."""
    if "|" in inner:
        label, target = inner.split("|", 1)
    elif "->" in inner:
        label, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, label = inner.split("<-", 1)
    else:
        label = target = inner
    return label.strip(), target.strip()


def link_spans(text: str) -> list[tuple[int, int, str]]:
    """Every `[[...]]` in ``text`` as (start, end, inner), in linear time.

    The same matches as the pattern ``\\[\\[(.+?)\\]\\]`` (a link never spans lines), but
    a `[[` that no `]]` closes on its line ends the search on that line at once, where the
    pattern would scan to the end of the line from every one of them."""
    spans: list[tuple[int, int, str]] = []
    position, line_end = 0, -1
    while True:
        start = text.find("[[", position)
        if start == -1:
            return spans
        if start > line_end:
            line_end = text.find("\n", start)
            line_end = len(text) if line_end == -1 else line_end
        close = text.find("]]", start + 3, line_end)
        if close == -1:  # no later `[[` on this line can be closed either
            position = line_end + 1
            continue
        spans.append((start, close + 2, text[start + 2:close]))
        position = close + 2


def strip_macros(text: str) -> str:
    """Text without SugarCube `<<macros>>` and Harlowe `(macro: ...)`, in linear time.

    The same result as ``re.sub(r"<<.*?>>|\\(\\w+:.*?\\)", "", text)``, without its cost: that
    pattern scans to the end of the line from every `<<` that nothing closes."""
    return "\n".join(_strip_line(line) if "<<" in line or "(" in line else line for line in text.split("\n"))


def _strip_line(line: str) -> str:
    """One line of ``strip_macros``. Whether a `<<` at a point can be closed is known from the last
    `>>` of the line (likewise `(name:` and the last `)`); and once the first one after a point
    cannot, no later one can. So each kind of macro is searched for from left to right only once."""
    last_angle, last_paren = line.rfind(">>"), line.rfind(")")
    pieces: list[str] = []
    position = 0
    angle = paren = colon_end = -2  # -2: not searched from ``position`` yet; -1: none that closes
    while True:
        if angle == -2 or 0 <= angle < position:
            angle = line.find("<<", position)
            if angle != -1 and angle + 2 > last_angle:
                angle = -1
        if paren == -2 or 0 <= paren < position:
            found = HARLOWE_START.search(line, position)
            paren, colon_end = (found.start(), found.end()) if found and found.end() <= last_paren else (-1, -1)
        if angle == -1 and paren == -1:
            break
        if paren == -1 or 0 <= angle < paren:
            start, end = angle, line.find(">>", angle + 2) + 2
        else:
            start, end = paren, line.find(")", colon_end) + 1
        pieces.append(line[position:start])
        position = end
    pieces.append(line[position:])
    return "".join(pieces)


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


def parse_twee(path: Path) -> tuple[dict[str, str], list[Passage]]:
    text = read_story(path)
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
    story = [p for p in passages if p.name not in SPECIAL]
    if len(story) > MAX_PASSAGES:
        raise ContentError(Location(path, story[MAX_PASSAGES].line),
                           f"the story has {len(story):,} passages; import-twine converts at most {MAX_PASSAGES:,}",
                           "split the story into several stories, each a course")

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

    meta: dict[str, str] = {}
    for passage in passages:
        if passage.name == "StoryTitle":
            title = one_line(passage.text)
            if len(title) > MAX_TITLE_CHARS:
                raise ContentError(Location(path, passage.line),
                                   f"the story title is {len(title):,} characters long; "
                                   f"the limit is {MAX_TITLE_CHARS:,}",
                                   "shorten the text of the StoryTitle passage")
            meta["title"] = title
        elif passage.name == "StoryData":
            start = story_data(passage, path).get("start")
            if start:
                meta["start"] = str(start)
                meta["start_line"] = str(passage.line)
    if not story:
        raise ContentError(Location(path, 1), "no story passages found",
                           "a Twee file has passages that begin with `:: Name`")
    for passage in story:
        passage.links = [parse_link(inner) for _, _, inner in link_spans(passage.text)]
    return meta, story


# -- converting ------------------------------------------------------------------------------


def slug(name: str, taken: set[str], counters: dict[str, int] | None = None, fallback: str = "scene") -> str:
    """A unique scene id (1-64 of a-z, 0-9 and inner hyphens) from a passage name.

    ``counters`` remembers the next number to try for each base, so that many names with
    the same base (`a!`, `a?`, `a.` …) cost one step each, not one per earlier name."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or fallback
    if base not in taken:
        taken.add(base)
        return base
    counters = {} if counters is None else counters
    number = counters.get(base, 2)
    while True:
        suffix = f"-{number}"
        candidate = base[:64 - len(suffix)].rstrip("-") + suffix
        number += 1
        if candidate not in taken:
            break
    counters[base] = number
    taken.add(candidate)
    return candidate


def _kind(passage: Passage) -> str:
    for tag in ("end", "page", "decision", "feedback"):
        if tag in passage.tags:
            return tag
    return "decision" if len(passage.links) >= 2 else ("page" if passage.links else "end")


def _body(passage: Passage, kind: str) -> str:
    """Passage text without its links (they become choices), and without Twine macros."""
    pieces, kept_from = [], 0
    for start, end, inner in link_spans(passage.text):
        pieces.append(passage.text[kept_from:start])
        if kind not in ("decision", "feedback"):
            pieces.append(parse_link(inner)[0])
        kept_from = end
    pieces.append(passage.text[kept_from:])
    text = strip_macros("".join(pieces))  # SugarCube <<macros>>, Harlowe (macros:)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _targets(passage: Passage, kind: str) -> list[str]:
    """The passages a learner can go to from this one, once it is a scene of ``kind``."""
    if kind in ("decision", "feedback"):
        return [target for _, target in passage.links]
    if kind == "page":
        return [passage.links[0][1]] if passage.links else []
    return []


def check_story(source: Path, meta: dict[str, str], passages: list[Passage], kinds: dict[str, str]) -> str:
    """Every problem that would make the course fail `validate`, said in Twine's terms,
    with the passage's line. Returns the name of the start passage."""
    errors = ErrorCollector()
    names = {p.name for p in passages}
    for passage in passages:
        where, name, kind = Location(source, passage.line), shown(passage.name), kinds[passage.name]
        for _, destination in passage.links:
            if destination not in names:
                errors.report(where, f"passage `{name}` links to `{shown(destination)}`, which is not a passage",
                              "add that passage or correct the link")
        count = len(passage.links)
        if kind == "decision" and count < 2:
            errors.report(where, f"passage `{name}` is tagged `decision` but has {count} link(s); "
                                 f"a decision needs two or more",
                          "add a link for each choice, or remove the tag")
        if kind == "decision" and count > MAX_CHOICES:
            errors.report(where, f"passage `{name}` has {count} links; "
                                 f"a decision can have at most {MAX_CHOICES} choices",
                          "split it into two passages")
        if kind == "feedback" and not count:
            errors.report(where, f"feedback passage `{name}` has no links",
                          "add at least one link, e.g. [[Try again->Start]]")
        if kind == "page" and not count:
            errors.report(where, f"passage `{name}` is tagged `page` but has no link to go on with",
                          "add a link to the passage that comes next, or tag it `end`")
    start = meta.get("start") or passages[0].name
    if start not in names:
        errors.report(Location(source, int(meta.get("start_line", 1))),
                      f"StoryData's start passage `{shown(start)}` does not exist",
                      "name a passage of the story (not StoryTitle or StoryData) as `start`")
    errors.raise_if_any()

    ends = [p.name for p in passages if kinds[p.name] == "end"]
    if not ends:
        raise ContentError(Location(source, 1), "the story has no ending: every passage links on",
                           "add a passage without links, or tag the last passage `end`")
    by_name = {p.name: p for p in passages}
    leads_to: dict[str, set[str]] = {name: set() for name in names}
    reachable, stack = {start}, [start]
    while stack:
        passage = by_name[stack.pop()]
        for target in _targets(passage, kinds[passage.name]):
            leads_to[target].add(passage.name)
            if target not in reachable:
                reachable.add(target)
                stack.append(target)
    finishing, stack = set(ends), list(ends)
    while stack:
        for earlier in leads_to[stack.pop()]:
            if earlier not in finishing:
                finishing.add(earlier)
                stack.append(earlier)
    for passage in passages:
        if passage.name in reachable and passage.name not in finishing:
            errors.report(Location(source, passage.line),
                          f"learners who reach passage `{shown(passage.name)}` can never get to an ending",
                          "link it (or a passage after it) to a passage without links, or tag one `end`")
    errors.raise_if_any()
    return start


def import_twine(source: Path, target: Path) -> list[Path]:
    require_new_folder("import-twine", target)
    meta, passages = parse_twee(source)
    kinds = {p.name: _kind(p) for p in passages}
    start = check_story(source, meta, passages, kinds)
    taken: set[str] = set()
    counters: dict[str, int] = {}
    ids = {p.name: slug(p.name, taken, counters) for p in passages}

    title = meta.get("title") or one_line(source.stem) or "Imported story"
    course = {"id": slug(title, set(), fallback="course"), "title": title, "version": "1.0.0", "language": "en",
              "start": ids[start]}
    files: dict[str, str] = {
        "course.yaml": "# Imported from " + one_line(source.name) + " by scormbuild import-twine\n" + _yaml(course)}
    from_passage: dict[str, Passage] = {}
    width = len(str(len(passages)))
    for number, passage in enumerate(passages, start=1):
        kind = kinds[passage.name]
        front: dict[str, object] = {"id": ids[passage.name], "kind": kind, "title": one_line(passage.name)}
        if kind == "decision":
            front["choices"] = [{"text": _label(label, dest), "goto": ids[dest]} for label, dest in passage.links]
        elif kind == "feedback":
            front["options"] = [{"text": _label(label, dest), "goto": ids[dest]} for label, dest in passage.links]
        elif kind == "page":
            front["next"] = ids[passage.links[0][1]]
        name = f"scenes/{number:0{width}d}-{ids[passage.name]}.md"
        files[name] = "---\n" + _yaml(front) + "---\n" + _body(passage, kind)
        from_passage[name] = passage
    return _write_checked(source, target, files, from_passage)


def _label(label: str, target: str) -> str:
    """A choice's text: the link's label, else the name of the passage it leads to."""
    return one_line(label) or one_line(target)


# libyaml's emitter when PyYAML has it: the same text, several times faster on big stories.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _yaml(data: Mapping[str, object]) -> str:
    # No line folding: a folded line of a long title could read `---` and end the front matter.
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=2**31 - 1)


def _write_checked(source: Path, target: Path, files: dict[str, str], from_passage: dict[str, Passage]) -> list[Path]:
    """Write the course with write_valid_course; each error is reported at its passage's line."""
    return write_valid_course(target, files, "import", refuse=lambda problems, written: ContentErrors(
        [_in_story(source, written, problem, from_passage) for problem in problems]))


def _in_story(source: Path, work: Path, problem: ContentError, from_passage: dict[str, Passage]) -> ContentError:
    """A problem found in the converted course, placed at the passage it came from."""
    try:
        name = problem.location.file.relative_to(work).as_posix()
    except ValueError:
        name = ""
    passage = from_passage.get(name)
    if passage is None:
        return ContentError(Location(source, 1), f"the imported course would not validate: {problem.message}",
                            problem.hint)
    return ContentError(Location(source, passage.line),
                        f"passage `{shown(passage.name)}` would not validate as a scene: {problem.message}",
                        problem.hint)
