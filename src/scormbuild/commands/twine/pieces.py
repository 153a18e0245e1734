"""What reading a passage gives: the scene's text and variables shown in it, its links (with the
condition and changes around each), its own changes, and notes; and the small helpers for them."""

from __future__ import annotations

from dataclasses import dataclass, field

from scormbuild.commands.twine.expressions import Change, Unconvertible, tokens
from scormbuild.commands.twine.story import Passage
from scormbuild.content.conditions import MAX_CONDITION_CHARS

UNKNOWN = "?"  # a condition that could not be converted


@dataclass
class Link:
    label: str
    target: str
    line: int
    condition: str | None = None  # the course condition under which it is offered
    changes: list[Change] = field(default_factory=list)  # made when the learner takes it
    automatic: bool = False  # a (goto:) or <<goto>>: Twine goes on without a click


@dataclass
class Print:
    """A story variable shown in the text (`$name`, `(print: $x)`, `{name}`), resolved once every
    passage is read: a variable only ever given one text is replaced by it."""

    variable: str  # the course name
    source: str
    line: int


@dataclass
class Note:
    line: int
    text: str


Piece = str | Link | Print


@dataclass
class Converted:
    passage: Passage
    pieces: list[Piece]
    links: list[Link]
    changes: list[Change]  # made when the passage is shown
    change_lines: list[int]
    notes: list[Note]


@dataclass
class Frame:
    kind: str  # top, hook, if (SugarCube <<if>>/<<switch>>, a Chapbook [if]), link, silent
    line: int
    end: int = -1  # a hook's closing `]`
    condition: str | None = None  # its text is shown only while this holds (UNKNOWN: not convertible)
    hidden: bool = False  # its text is not shown as it is (a condition, a link, silently …)
    why: str = ""  # what it is, for the report
    parent: Frame | None = None
    dropped: bool = False  # its text is not shown (decided when it closes)
    has_text: bool = False  # it, or a frame in it that was not dropped, holds text
    chain: list[str] = field(default_factory=list)  # conditions of an if / else-if chain so far
    last_chain: list[str] | None = None  # (Harlowe) the last if-chain closed in this frame, for (else:)
    label: str | None = None  # a link frame's text and target, and what taking it changes
    target: str | None = None
    changes: list[Change] = field(default_factory=list)
    quiet: bool = False  # dropping its text is what the story does too (<<silently>>): no note
    # Set when pushed, so that a deep nesting costs nothing per link: the condition of this frame
    # and all around it, and the innermost link frame.
    combined: str | None = None
    capture: Frame | None = None


def matching(text: str, opening: str, closing: str) -> dict[int, int]:
    """Each ``opening`` bracket's index -> the index of the ``closing`` one that closes it."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char == opening:
            stack.append(index)
        elif char == closing and stack:
            pairs[stack.pop()] = index
    return pairs


def macro_name(name: str) -> str:
    """Harlowe ignores case, `-` and `_` in macro names: (link-goto:) is (LinkGoto:)."""
    return name.lower().replace("-", "").replace("_", "")


def strings(args: str) -> list[str]:
    """The text values among a macro's arguments, in order (`"Go", "Next"` -> [Go, Next])."""
    try:
        return [token.text[1:-1] for token in tokens(args[:2000]) if token.kind == "string"]
    except Unconvertible:
        return []


def both(first: str | None, second: str | None) -> str | None:
    if first is None or second is None:
        return first if second is None else second
    if UNKNOWN in (first, second):
        return UNKNOWN
    joined = " and ".join(f"({c})" if " or " in c else c for c in (first, second))
    return joined if len(joined) <= MAX_CONDITION_CHARS else UNKNOWN


def negate_all(conditions: list[str]) -> str:
    """None of ``conditions`` holds (`not` binds more tightly than `and` and `or`, less than comparisons)."""
    if not conditions or UNKNOWN in conditions:
        return UNKNOWN
    if len(conditions) == 1 and " " not in conditions[0]:
        return "not " + conditions[0]
    return "not (" + " or ".join(conditions) + ")"


def split_link(inner: str) -> tuple[str, str, str]:
    """Twine's link forms as (label, target, setter): [[Target]], [[Label|Target]], [[Label->Target]],
    [[Target<-Label]], and SugarCube's setter links [[Label|Target][$x to 1]]."""
    setter = ""
    if "][" in inner:
        inner, setter = inner.split("][", 1)
    if "|" in inner:
        label, target = inner.split("|", 1)
    elif "->" in inner:
        label, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, label = inner.split("<-", 1)
    else:
        label = target = inner
    return label.strip(), target.strip(), setter.strip()
