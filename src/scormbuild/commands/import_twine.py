"""scormbuild import-twine: a Twee 3 story becomes a content folder.

Passages become scenes: one with two or more links is a decision (its links
are the choices), one with a single link is a page leading on, one with none
is an end. Tags `page`, `decision`, `feedback` (links become the "what do you
want to do now?" options) and `end` override that. Which choice is right
cannot be said in Twine, so choices are written unscored; `scormbuild validate`
then points at each decision to review.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scormbuild.content.loader import read_source
from scormbuild.errors import ContentError, ErrorCollector, Location

HEADER = re.compile(r"^::\s*(?P<name>(?:\\.|[^\[{\\])+?)\s*(?:\[(?P<tags>[^\]]*)\])?\s*(?:\{.*\})?\s*$")
LINK = re.compile(r"\[\[(.+?)\]\]")
SPECIAL = {"StoryTitle", "StoryData", "StoryInit", "UserScript", "UserStylesheet"}


@dataclass
class Passage:
    name: str
    tags: list[str]
    text: str
    line: int
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, target)


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


def parse_twee(path: Path) -> tuple[dict[str, str], list[Passage]]:
    text = read_source(path)
    passages: list[Passage] = []
    current: Passage | None = None
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("::"):
            if current:
                current.text = "\n".join(body).strip()
                passages.append(current)
            match = HEADER.match(line)
            if not match:
                raise ContentError(Location(path, number), "this passage header cannot be read",
                                   "write it as `:: Passage name [optional tags]`")
            name = match["name"].replace("\\", "").strip()
            current, body = Passage(name, (match["tags"] or "").split(), "", number), []
        elif current is not None:
            body.append(line)
    if current:
        current.text = "\n".join(body).strip()
        passages.append(current)
    meta: dict[str, str] = {}
    for passage in passages:
        if passage.name == "StoryTitle":
            meta["title"] = passage.text.strip()
        elif passage.name == "StoryData":
            try:
                data = json.loads(passage.text or "{}")
            except json.JSONDecodeError as exc:
                raise ContentError(Location(path, passage.line + exc.lineno), f"StoryData is not valid JSON: {exc.msg}") from None
            meta["start"] = str(data.get("start", ""))
    story = [p for p in passages if p.name not in SPECIAL]
    if not story:
        raise ContentError(Location(path, 1), "no story passages found", "a Twee file has passages that begin with `:: Name`")
    for passage in story:
        passage.links = [parse_link(m) for m in LINK.findall(passage.text)]
    return meta, story


def slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "scene"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _kind(passage: Passage) -> str:
    for tag in ("end", "page", "decision", "feedback"):
        if tag in passage.tags:
            return tag
    return "decision" if len(passage.links) >= 2 else ("page" if passage.links else "end")


def _body(passage: Passage, kind: str) -> str:
    """Passage text without its links (they become choices), and without Twine macros."""
    if kind in ("decision", "feedback"):
        text = LINK.sub("", passage.text)
    else:
        text = LINK.sub(lambda m: parse_link(m.group(1))[0], passage.text)
    text = re.sub(r"<<.*?>>|\(\w+:.*?\)", "", text)  # SugarCube <<macros>>, Harlowe (macros:)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def import_twine(source: Path, target: Path) -> list[Path]:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ContentError(Location(target), "the folder already exists and is not empty",
                           "choose a new folder; import-twine never overwrites files")
    meta, passages = parse_twee(source)
    taken: set[str] = set()
    ids = {p.name: slug(p.name, taken) for p in passages}
    errors = ErrorCollector()
    for passage in passages:
        for _, destination in passage.links:
            if destination not in ids:
                errors.report(Location(source, passage.line), f"passage `{passage.name}` links to `{destination}`, "
                              "which is not a passage", "add that passage or correct the link")
    start = meta.get("start") or passages[0].name
    if start not in ids:
        errors.report(Location(source, 1), f"StoryData's start passage `{start}` does not exist")
    errors.raise_if_any()

    title = meta.get("title") or source.stem
    course_id = slug(title, set())
    written = []
    target.mkdir(parents=True, exist_ok=True)
    course = {"id": course_id, "title": title, "version": "1.0.0", "language": "en", "start": ids[start]}
    (target / "course.yaml").write_text("# Imported from " + source.name + " by scormbuild import-twine\n" +
                                        yaml.safe_dump(course, sort_keys=False, allow_unicode=True), "utf-8")
    written.append(target / "course.yaml")
    (target / "scenes").mkdir()
    width = len(str(len(passages)))
    for number, passage in enumerate(passages, start=1):
        kind = _kind(passage)
        front: dict[str, object] = {"id": ids[passage.name], "kind": kind, "title": passage.name}
        if kind == "decision":
            links = passage.links or []
            front["choices"] = [{"text": label, "goto": ids[dest]} for label, dest in links]
        elif kind == "feedback":
            front["options"] = [{"text": label, "goto": ids[dest]} for label, dest in passage.links]
            if not passage.links:
                raise ContentError(Location(source, passage.line), f"feedback passage `{passage.name}` has no links",
                                   "add at least one link, e.g. [[Try again->Start]]")
        elif kind == "page" and passage.links:
            front["next"] = ids[passage.links[0][1]]
        path = target / "scenes" / f"{number:0{width}d}-{ids[passage.name]}.md"
        path.write_text("---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" +
                        _body(passage, kind), "utf-8")
        written.append(path)
    return written
