"""The course model: plain objects built from the content folder.

Nothing here knows about output formats; the loader builds these objects and
everything downstream (lint, render, standards) only reads them. Each scene
kind's own class lives with the kind (``scormbuild.kinds``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from scormbuild.errors import ContentError, Location


@dataclass(frozen=True)
class Asset:
    """A file from the content folder that goes into the package (image, attachment)."""

    package_path: str  # POSIX path inside the package, e.g. "media/jenny.svg"
    source: Path
    location: Location  # where the content first refers to it


@dataclass(frozen=True)
class Image:
    """A picture from the course folder with its text for screen readers ("" when decorative)."""

    asset: Asset
    alt: str
    width: int | None = None  # from the file's header, when it says; avoids a jump in the layout
    height: int | None = None


@dataclass(frozen=True)
class Character:
    """A person declared once in course.yaml (`characters:`), who speaks in dialogues and decisions."""

    id: str
    name: str
    location: Location
    role: str = ""
    portrait: Image | None = None
    colour: str | None = None  # #rrggbb, the accent of their speech bubbles


@dataclass(frozen=True)
class SpeechLine:
    """One line of a dialogue or of a decision's `speech:`; no speaker: narration."""

    speaker: str | None
    html: str  # inline Markdown, rendered and escaped
    location: Location
    condition: Condition | None = None  # `if:`: the line is shown only while it holds


VariableType = Literal["number", "boolean"]
ChangeOp = Literal["set", "add"]


@dataclass(frozen=True)
class Variable:
    """A course-level number or yes/no (`variables:` in course.yaml) that choices change and
    conditions read."""

    name: str
    type: VariableType
    initial: int | bool
    location: Location
    low: int | None = None  # numbers stay within [low, high] (the player clamps them)
    high: int | None = None
    label: str = ""  # shown with its value in the end's journey summary; "" : not shown


# A condition compiled from its text (content/conditions.py): nested tuples the player evaluates,
# ("and", a, b) ("or", a, b) ("not", a) ("<", left, right) …, with operands ("var", name),
# ("score",), ("passed",) or ("lit", value).
ConditionTree = tuple[Any, ...]


@dataclass(frozen=True)
class Condition:
    """An `if:` as written, and compiled."""

    text: str
    tree: ConditionTree
    location: Location

    def names(self) -> set[str]:
        """The names it reads: its variables, and `score` or `passed`."""
        found: set[str] = set()
        stack: list[object] = [self.tree]
        while stack:
            node = stack.pop()
            if isinstance(node, tuple) and node:
                if node[0] == "var":
                    found.add(str(node[1]))
                elif node[0] in ("score", "passed"):
                    found.add(str(node[0]))
                elif node[0] != "lit":
                    stack.extend(node[1:])
        return found


@dataclass(frozen=True)
class Change:
    """One variable changed by a choice: `set:` (``op`` "set") or `add:` (``op`` "add")."""

    name: str
    op: ChangeOp
    value: int | bool
    location: Location


@dataclass(frozen=True)
class Branch:
    """One of a scene's `branches:`: where Continue leads when its condition holds."""

    condition: Condition
    goto: str
    location: Location


@dataclass(frozen=True)
class Choice:
    """One option of a decision, or one "what do you want to do now?" option."""

    id: str
    text: str
    goto: str | None
    location: Location
    correct: bool | None = None  # None: neither right nor wrong (navigation options)
    score: int = 0
    image: Image | None = None
    image_size: str = "medium"  # small | medium | large
    image_position: str = "above"  # above | beside
    condition: Condition | None = None  # `if:`: the choice is offered only while it holds
    changes: tuple[Change, ...] = ()  # `set:` and `add:`, made when the learner takes it
    follows_next: bool = False  # no `goto:` of its own: it goes where the scene's Continue goes


@dataclass(frozen=True)
class CaptionTrack:
    """One WebVTT captions file of a video (content/media.py checks it)."""

    package_path: str
    language: str
    label: str


@dataclass(frozen=True)
class Media:
    """A scene's `video:` or `audio:`, shown after its body (content/media.py reads it)."""

    kind: str  # "video" or "audio"
    src: str  # the package path, or an http(s) address with `external: true`
    mime: str
    title: str
    location: Location
    captions: tuple[CaptionTrack, ...] = ()
    poster: str | None = None  # a package path
    transcript_html: str = ""
    no_speech: bool = False
    require_complete: bool = False
    external: bool = False


@dataclass
class Scene:
    """Fields every scene kind has. ``body_html`` is already rendered and escaped."""

    id: str
    kind: str  # a key of scormbuild.kinds.KINDS
    title: str
    body_html: str
    location: Location
    next: str | None = None
    media: tuple[Media, ...] = ()  # `video:` then `audio:`, from the keys every scene has
    background: Image | None = None
    branches: tuple[Branch, ...] = ()  # tried in order before `next:` (Continue)
    yaml_warnings: tuple[ContentError, ...] = ()  # from reading its front matter (content/yamlpos.py)

    def targets(self) -> list[tuple[str, Location]]:
        """Every scene this one can lead to, with where the link is written."""
        return [(b.goto, b.location) for b in self.branches] + ([(self.next, self.location)] if self.next else [])

    def guarded_targets(self) -> list[tuple[str, Condition | None]]:
        """Every scene this one can lead to, with the condition that must hold on the way (None: none)."""
        return [(b.goto, b.condition) for b in self.branches] + ([(self.next, None)] if self.next else [])

    def choices_and_options(self) -> list[Choice]:
        """The buttons of the scene that may have a condition or change variables."""
        return []

    def follows_branches(self) -> bool:
        """Whether the learner can go on by Continue (or a choice without `goto:`), the way `branches:` take."""
        return True

    def images(self) -> list[Image]:
        """Pictures named in the scene's keys (not its body), packaged with the course."""
        return [self.background] if self.background else []

    def speech(self) -> list[SpeechLine]:
        """Lines spoken in the scene, whose speakers must be the course's characters."""
        return []


@dataclass(frozen=True)
class Theme:
    """The course's look, from `theme:` in course.yaml; every part is optional."""

    primary: str | None = None      # buttons, links, accents (#rrggbb)
    text: str | None = None
    background: str | None = None
    font_family: str | None = None
    font: Asset | None = None       # a font file from the course folder, bundled
    logo: Asset | None = None
    logo_alt: str = ""
    custom_css: Asset | None = None
    locations: tuple[tuple[str, Location], ...] = ()  # where each key is written, for warnings

    @property
    def css(self) -> bool:
        """Whether the player needs a theme.css."""
        return any((self.primary, self.text, self.background, self.font_family, self.font, self.custom_css))

    def where(self, key: str) -> Location | None:
        return dict(self.locations).get(key)


@dataclass(eq=False)  # compared and hashed by identity, so derived data can be cached per course
class Course:
    id: str
    title: str
    version: str
    language: str
    start: str
    pass_mark: int | None  # percent, 0-100; None: completion only
    description: str
    root: Path
    scenes: dict[str, Scene]
    assets: list[Asset]
    location: Location
    iri: str = ""  # the course's xAPI activity id; every other activity id derives from it
    theme: Theme = field(default_factory=Theme)
    scoring: str = "first-attempt"  # which answer counts: first-attempt, best-attempt or last-attempt
    texts: dict[str, str] = field(default_factory=dict)  # the player's own words replaced, by message key
    characters: dict[str, Character] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    yaml_warnings: tuple[ContentError, ...] = ()  # from reading course.yaml (content/yamlpos.py)

    @property
    def scene_list(self) -> list[Scene]:
        return list(self.scenes.values())

    @property
    def package_name(self) -> str:
        return f"{self.id}-{self.version}"
