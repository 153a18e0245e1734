"""scormbuild import-twine: a Twine story (Twee 3, or Twine 2 HTML) becomes a content folder.

Passages become scenes: one with two or more links is a decision (its links are the choices),
one with a single link is a page leading on, one with none is an end. Tags `page`, `decision`,
`feedback` (links become the "what do you want to do now?" options) and `end` override that.
Which choice is right cannot be said in Twine, so choices are written unscored; `scormbuild
validate` then points at each decision to review.

Variables (Harlowe `(set:)`, SugarCube `<<set>>`, Chapbook's vars section) become the course's
`variables:`; conditions around links become the choices' `if:`. A Twine passage changes
variables when it is shown; a scene cannot, so those changes are made by every choice that
leads to the passage, and by the start (the variables' initial values). A page cannot carry a
change either (it has no choices), so a page's changes, and those of the passage it leads to,
move back to the choices that lead to the page: the learner's variables are then the same as in
Twine wherever a condition reads them. Everything that could not be converted is removed from
the text and listed in the import's report with its passage and line.

A story file is untrusted input: see ``commands/twine``. The result is written to a hidden folder
beside the target, checked exactly as `scormbuild validate` checks a course, and only then
renamed into place. So `import-twine` either writes a course that validates or writes nothing and
says where the story is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scormbuild.commands.course_writer import write_valid_course
from scormbuild.commands.twine.archive import is_html, parse_archive
from scormbuild.commands.twine.expressions import Change, Names, compose
from scormbuild.commands.twine.markup import plain, to_markdown
from scormbuild.commands.twine.passages import read_passage
from scormbuild.commands.twine.pieces import Converted, Link, Print
from scormbuild.commands.twine.story import Passage, Story, one_line, parse_twee, read_text, shown
from scormbuild.content.conditions import MAX_NUMBER, parse_condition
from scormbuild.content.settings import MAX_VARIABLES
from scormbuild.errors import ContentError, ContentErrors, ErrorCollector, Location, require_new_folder
from scormbuild.kinds.decision import MAX_CHOICES
from scormbuild.model import ConditionTree, Variable
from scormbuild.variables import check_condition

MAX_CHOICE_ID = 40  # choice ids go into the LMS's records with the scene's


@dataclass
class Remark:
    """One line of the import's report: something in the story the course does differently."""

    passage: str
    line: int
    text: str


@dataclass
class Imported:
    files: list[Path]
    report: list[Remark] = field(default_factory=list)
    variables: int = 0


def dialect_of(story_format: str) -> str:
    name = story_format.lower()
    for dialect in ("harlowe", "sugarcube", "chapbook"):
        if dialect in name:
            return dialect
    return "any"


def read_story(source: Path, story_name: str | None = None) -> Story:
    """The story in a Twee file or, by its name or its `<tw-storydata>`, a Twine HTML file."""
    text = read_text(source, "give the .twee file Twine exported (Build > Export as Twee), or a story it "
                     "published (Build > Publish to File)")
    if is_html(source, text):
        return parse_archive(source, text, story_name)
    return parse_twee(source, text)


# -- the story's structure ---------------------------------------------------------------------


def slug(name: str, taken: set[str], counters: dict[str, int] | None = None, fallback: str = "scene",
         limit: int = 64) -> str:
    """A unique id (1-``limit`` of a-z, 0-9 and inner hyphens) from a passage name or a link's text.

    ``counters`` remembers the next number to try for each base, so that many names with
    the same base (`a!`, `a?`, `a.` …) cost one step each, not one per earlier name."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:limit - 4].strip("-") or fallback
    if base not in taken:
        taken.add(base)
        return base
    counters = {} if counters is None else counters
    number = counters.get(base, 2)
    while True:
        suffix = f"-{number}"
        candidate = base[:limit - len(suffix)].rstrip("-") + suffix
        number += 1
        if candidate not in taken:
            break
    counters[base] = number
    taken.add(candidate)
    return candidate


def kind_of(passage: Passage, links: list[Link]) -> str:
    for tag in ("end", "page", "decision", "feedback"):
        if tag in passage.tags:
            return tag
    return "decision" if len(links) >= 2 else ("page" if links else "end")


def targets(links: list[Link], kind: str) -> list[str]:
    """The passages a learner can go to from a passage, once it is a scene of ``kind``."""
    if kind in ("decision", "feedback"):
        return [link.target for link in links]
    if kind == "page":
        return [links[0].target] if links else []
    return []


def check_story(story: Story, converted: dict[str, Converted], kinds: dict[str, str]) -> str:
    """Every problem that would make the course fail `validate`, said in Twine's terms,
    with the passage's line (a link's own line). Returns the name of the start passage."""
    source = story.source
    errors = ErrorCollector()
    names = {p.name for p in story.passages}
    for passage in story.passages:
        links = converted[passage.name].links
        where, name, kind = Location(source, passage.line), shown(passage.name), kinds[passage.name]
        for link in links:
            if link.target not in names:
                errors.report(Location(source, link.line),
                              f"passage `{name}` links to `{shown(link.target)}`, which is not a passage",
                              "add that passage or correct the link")
        count = len(links)
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
    start = story.start or story.passages[0].name
    if start not in names:
        errors.report(Location(source, story.start_line),
                      f"the story's start passage `{shown(start)}` does not exist",
                      "name a passage of the story (not StoryTitle or StoryData) as `start`")
    errors.raise_if_any()

    ends = [p.name for p in story.passages if kinds[p.name] == "end"]
    if not ends:
        raise ContentError(Location(source, 1), "the story has no ending: every passage links on",
                           "add a passage without links, or tag the last passage `end`")
    leads_to: dict[str, set[str]] = {name: set() for name in names}
    reachable, stack = {start}, [start]
    while stack:
        name = stack.pop()
        for target in targets(converted[name].links, kinds[name]):
            leads_to[target].add(name)
            if target not in reachable:
                reachable.add(target)
                stack.append(target)
    finishing, stack = set(ends), list(ends)
    while stack:
        for earlier in leads_to[stack.pop()]:
            if earlier not in finishing:
                finishing.add(earlier)
                stack.append(earlier)
    for passage in story.passages:
        if passage.name in reachable and passage.name not in finishing:
            errors.report(Location(source, passage.line),
                          f"learners who reach passage `{shown(passage.name)}` can never get to an ending",
                          "link it (or a passage after it) to a passage without links, or tag one `end`")
    errors.raise_if_any()
    return start


# -- variables ---------------------------------------------------------------------------------


class Variables:
    """The story's variables as the course declares them, and what is left out (with why)."""

    def __init__(self, story: Story, converted: list[Converted], report: list[Remark]) -> None:
        self.report = report
        kinds: dict[str, set[str]] = {}
        texts: dict[str, set[str]] = {}
        first_seen: dict[str, tuple[str, int]] = {}
        for item in converted:
            changes = list(zip(item.changes, item.change_lines, strict=True))
            changes += [(change, link.line) for link in item.links for change in link.changes]
            for change, line in changes:
                first_seen.setdefault(change.name, (item.passage.name, line))
                value = change.value
                kinds.setdefault(change.name, set()).add(
                    "boolean" if isinstance(value, bool) else "number" if isinstance(value, int) else "text")
                if isinstance(value, str):
                    texts.setdefault(change.name, set()).add(value)
        for item in converted:  # variables only read: their type from how they are read
            for link in item.links:
                if link.condition:
                    for name, kind in read_types(link.condition).items():
                        if name not in kinds:
                            kinds[name] = {kind}
                            first_seen.setdefault(name, (item.passage.name, link.line))
        self.constants = {name: next(iter(values)) for name, values in texts.items()
                          if len(values) == 1 and kinds[name] == {"text"}}
        self.types: dict[str, str] = {}
        for name in sorted(kinds, key=lambda n: first_seen[n][1:]):
            found = kinds[name]
            passage, line = first_seen[name]
            if found == {"text"}:
                how = ("its one value is written into the text where it is shown" if name in self.constants
                       else "its changes and the conditions that read it were removed")
                report.append(Remark(passage, line, f"variable `{name}` holds text, which a course variable "
                                     f"cannot; {how}"))
            elif len(found) > 1:
                report.append(Remark(passage, line, f"variable `{name}` is given both {' and '.join(sorted(found))} "
                                     "values; a course variable is a number or a yes/no, so its changes and the "
                                     "conditions that read it were removed"))
            elif len(self.types) >= MAX_VARIABLES:
                report.append(Remark(passage, line, f"variable `{name}` was left out: a course has at most "
                                     f"{MAX_VARIABLES} variables"))
            else:
                self.types[name] = found.pop()
        self.declared = {name: Variable(name, "number" if kind == "number" else "boolean",
                                        0 if kind == "number" else False, Location(story.source))
                         for name, kind in self.types.items()}

    def keep(self, changes: list[Change]) -> list[Change]:
        """The changes the course can make (to declared variables, of their type)."""
        return [change for change in changes if self.types.get(change.name) ==
                ("boolean" if isinstance(change.value, bool) else "number" if isinstance(change.value, int) else "")]

    def condition(self, link: Link, passage: str) -> str | None:
        """A link's condition if the course can check it, else None (and a line in the report)."""
        if not link.condition:
            return None
        errors = ErrorCollector()
        check_condition(parse_condition(link.condition, Location(Path("story"))), self.declared, errors)
        if errors.errors:
            self.report.append(Remark(passage, link.line, f"the condition on the link to `{shown(link.target)}` "
                                      f"reads variables the course could not keep; the choice is always offered"))
            return None
        return link.condition


def read_types(condition: str) -> dict[str, str]:
    """Each variable a condition reads: a number where it is compared with a number, else a yes/no."""
    found: dict[str, str] = {}

    def walk(node: ConditionTree, compared_with_number: bool) -> None:
        head = node[0]
        if head == "var":
            found.setdefault(str(node[1]), "number" if compared_with_number else "boolean")
        elif head in ("and", "or", "not"):
            for part in node[1:]:
                walk(part, False)
        elif head in ("==", "!=", "<", "<=", ">", ">="):
            numbers = any(part[0] == "lit" and not isinstance(part[1], bool) or part[0] == "score"
                          for part in node[1:]) or head in ("<", "<=", ">", ">=")
            for part in node[1:]:
                walk(part, numbers)

    walk(parse_condition(condition, Location(Path("story"))).tree, False)
    return found


# -- writing -----------------------------------------------------------------------------------


def import_twine(source: Path, target: Path, story_name: str | None = None) -> Imported:
    require_new_folder("import-twine", target)
    story = read_story(source, story_name)
    dialect = dialect_of(story.format)
    names = Names()
    converted = {p.name: read_passage(p, dialect, names) for p in story.passages}
    init = [read_passage(p, dialect, names) for p in story.init]
    kinds = {p.name: kind_of(p, converted[p.name].links) for p in story.passages}
    start = check_story(story, converted, kinds)

    report: list[Remark] = []
    for item in [*init, *converted.values()]:
        report += [Remark(item.passage.name, note.line, note.text) for note in item.notes]
    for passage in story.skipped:
        if passage.name in ("StoryTitle", "StoryData") or not passage.text:
            continue
        report.append(Remark(passage.name, passage.line, "this passage holds code, styles or text the story format "
                             "shows around every passage; it was not imported"))
    variables = Variables(story, [*init, *converted.values()], report)

    chains: dict[str, dict[str, Change]] = {}

    def chain(name: str) -> dict[str, Change]:
        """What arriving at passage ``name`` changes, with the pages it leads through (each page's
        changes, its link's, then those of the passage after it), worked out once per passage."""
        path: list[str] = []
        current: str | None = name
        while current is not None and current not in chains and current not in path:
            path.append(current)
            links = converted[current].links
            current = links[0].target if kinds[current] == "page" and links else None
        after = chains.get(current, {}) if current is not None and current not in path else {}
        for step in reversed(path):
            effect = compose({}, variables.keep(converted[step].changes))
            links = converted[step].links
            if kinds[step] == "page" and links:
                effect = compose(compose(effect, variables.keep(links[0].changes)), list(after.values()))
            chains[step] = after = effect
        return chains[name]

    initial: dict[str, Change] = {}
    for item in init:
        initial = compose(initial, variables.keep(item.changes))
    initial = compose(initial, list(chain(start).values()))

    taken: set[str] = set()
    counters: dict[str, int] = {}
    ids = {p.name: slug(p.name, taken, counters) for p in story.passages}
    title = story.title or one_line(source.stem) or "Imported story"
    course: dict[str, object] = {"id": slug(title, set(), fallback="course"), "title": title, "version": "1.0.0",
                                 "language": "en", "start": ids[start]}
    if variables.types:
        course["variables"] = {name: initial_value(kind, initial.get(name))
                               for name, kind in variables.types.items()}
    files: dict[str, str] = {
        "course.yaml": "# Imported from " + one_line(source.name) + " by scormbuild import-twine\n" + _yaml(course)}
    from_passage: dict[str, Passage] = {}
    width = len(str(len(story.passages)))
    for number, passage in enumerate(story.passages, start=1):
        item, kind = converted[passage.name], kinds[passage.name]
        front: dict[str, object] = {"id": ids[passage.name], "kind": kind, "title": one_line(passage.name)}
        if kind in ("decision", "feedback"):
            choice_ids: set[str] = set()
            buttons = []
            for link in item.links:
                label = one_line(plain(link.label)) or one_line(link.target)
                button: dict[str, object] = {"id": slug(label, choice_ids, fallback="choice", limit=MAX_CHOICE_ID),
                                             "text": label, "goto": ids[link.target]}
                condition = variables.condition(link, passage.name)
                if condition:
                    button["if"] = condition
                effect = compose(compose({}, variables.keep(link.changes)), list(chain(link.target).values()))
                sets = {c.name: c.value for c in effect.values() if c.op == "set"}
                adds = {c.name: c.value for c in effect.values() if c.op == "add" and c.value}
                if sets:
                    button["set"] = sets
                if adds:
                    button["add"] = adds
                buttons.append(button)
            front["choices" if kind == "decision" else "options"] = buttons
        elif kind == "page":
            front["next"] = ids[item.links[0].target]
            if item.links[0].condition:
                report.append(Remark(passage.name, item.links[0].line, "the only link of this passage has a "
                                     "condition; a page always goes on, so the condition was left out"))
            for link in item.links[1:]:
                report.append(Remark(passage.name, link.line, f"the link to `{shown(link.target)}` was left out: "
                                     "the passage is tagged `page`, which goes on to its first link"))
        elif item.links:
            report.append(Remark(passage.name, item.links[0].line, "this passage is tagged `end`, so its links "
                                 "were left out"))
        body, markup_notes = render_body(item, kind, dialect, variables.constants)
        report += [Remark(passage.name, line, text) for line, text in markup_notes]
        name = f"scenes/{number:0{width}d}-{ids[passage.name]}.md"
        files[name] = "---\n" + _yaml(front) + "---\n" + body
        from_passage[name] = passage
    written = _write_checked(source, target, files, from_passage)
    report.sort(key=lambda remark: remark.line)
    return Imported(written, report, len(variables.types))


def initial_value(kind: str, change: Change | None) -> int | bool:
    if kind == "boolean":
        return bool(change.value) if change is not None and isinstance(change.value, bool) else False
    value = change.value if change is not None and isinstance(change.value, int) else 0
    return max(-MAX_NUMBER, min(MAX_NUMBER, int(value)))


def render_body(item: Converted, kind: str, dialect: str,
                constants: dict[str, str]) -> tuple[str, list[tuple[int, str]]]:
    """The scene's Markdown: the passage's text without its links (they are the scene's choices, or
    its Continue), variables shown as their one text value or removed (and said)."""
    notes: list[tuple[int, str]] = []
    parts: list[str] = []
    for piece in item.pieces:
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, Print):
            if piece.variable in constants:
                parts.append(constants[piece.variable])
            else:
                notes.append((piece.line, f"`{piece.source}` was removed: a scene cannot show a variable's value"))
    text, markup_notes = to_markdown("".join(parts), dialect)
    for markup, note in markup_notes:
        found = item.passage.text.find(markup) if markup else -1
        notes.append((item.passage.line_at(found) if found != -1 else item.passage.body_line, note))
    return text + "\n", notes


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


def format_report(source: Path, imported: Imported, base: Path | None = None) -> list[str]:
    """The report's lines: `story.twee:LINE: passage `Name`: what was done instead`."""
    where = Location(source).display(base).rsplit(":", 2)[0]
    return [f"{where}:{remark.line}: passage `{shown(remark.passage)}`: {remark.text}" for remark in imported.report]
