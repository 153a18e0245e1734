"""What a scene kind is, and the keys every scene shares.

A kind is one object (``SceneKind``) that holds everything the pipeline needs
to know about it: the keys an author may write (declared once, see
``content.fields.Key``), how those become a model object, what the player's
JavaScript gets, its xAPI interaction definitions, its place in the scenario
graph and its picture in `scormbuild graph`. The page markup is the template
``templates/scenes/<kind>.html.j2`` and the behaviour in the player
``templates/assets/kinds/<kind>.js``. Nothing else in the pipeline branches on a kind, with one
deliberate exception: what an LMS stores. The saved-progress format (state.js) and the score
(player.js) know three shapes of answer (a decision's first choice, a quiz's questions, a
reflection's text), because progress saved by one build must be read by the next; a new kind
that records an answer reuses one of those shapes or adds a new state format with its tag.
The player data's shape is declared in player_types.py and templates/assets/types.js.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from scormbuild.content.conditions import BRANCHES_KEY
from scormbuild.content.fields import Fields, Key
from scormbuild.content.images import BACKGROUND_KEYS
from scormbuild.content.media import AUDIO_KEYS, VIDEO_KEYS, media_reader
from scormbuild.errors import ContentError, ErrorCollector, Location
from scormbuild.model import Scene

if TYPE_CHECKING:
    from scormbuild.model import Course


class Inline(Protocol):
    """Renders one line of the author's Markdown as escaped inline HTML."""

    def __call__(self, text: str) -> str: ...


@dataclass(frozen=True)
class Edge:
    """One arrow of the scenario graph: where it goes, its label, and whether the way is right."""

    target: str
    label: str = ""
    correct: bool | None = None  # None: neither right nor wrong
    scored: bool = False  # the scene has a right way, so a way that is not right is wrong
    optional: bool = False  # an offer to go back or elsewhere (drawn dashed)
    condition: str = ""  # the `if:` that must hold, as written


COMMON_KEYS: tuple[Key, ...] = (
    Key("id", "identifier", "The scene's id, used by `next:` and `goto:`. Default: the file name without "
        "its leading number (`02-friend-request.md` is `friend-request`)."),
    Key("kind", "kind", "What the scene is: one of the kinds in the table above.", required=True),
    Key("title", "text", "The scene's heading; also the interaction's description in the LMS.", required=True,
        example="A friend request"),
    Key("next", "identifier", "The scene that follows. Default for kinds that lead on: the next file's scene."),
    BRANCHES_KEY,
    Key("raw_html", "boolean", "`true` lets the body's HTML through unescaped (trusted authors only).",
        default=False),
    Key("video", "mapping", "A video shown after the body, packaged with its captions (see Video and audio).",
        items=VIDEO_KEYS, reader=media_reader("video")),
    Key("audio", "mapping", "An audio shown after the body, with its transcript (see Video and audio).",
        items=AUDIO_KEYS, reader=media_reader("audio")),
    *BACKGROUND_KEYS,
)


class SceneKind:
    """One kind of scene. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]
    order: ClassVar[int]  # the kinds' order in docs and messages
    doc: ClassVar[str]  # one sentence for the guide's kind table
    model: ClassVar[type[Scene]]
    keys: ClassVar[tuple[Key, ...]] = ()  # the kind's own keys, besides COMMON_KEYS
    leads_on: ClassVar[bool] = False  # without `next:`, it leads to the following file's scene
    ends_course: ClassVar[bool] = False
    # Whether the scene's interactions are answered one after another (a reflection, then its self-check),
    # or each on its own in any order (a quiz's questions, each with its own Check button).
    interactions_in_order: ClassVar[bool] = True
    graph_shape: ClassVar[str] = "box"
    graph_fill: ClassVar[str] = "#eef2f7"

    @property
    def template(self) -> str:
        return f"scenes/{self.name}.html.j2"

    def all_keys(self) -> tuple[Key, ...]:
        return COMMON_KEYS + self.keys

    def build(self, fields: Fields, values: dict[str, Any], common: dict[str, Any], inline: Inline) -> Scene:
        """The model object from the declared keys' ``values`` (problems go to ``fields``)."""
        return self.model(**common)

    def player_data(self, scene: Any) -> dict[str, Any]:
        """What the player's JavaScript needs besides id, kind, title and next."""
        return {}

    def interactions(self, course: Course, scene: Any) -> dict[str, dict[str, Any]]:
        """xAPI activity definitions of the scene's interactions, by interaction id."""
        return {}

    def state_shape(self, scene: Any) -> list[str]:
        """What positionally saved progress depends on, besides the scene's id and kind."""
        return []

    def main_next(self, scene: Any, path: list[str]) -> str | None:
        """Where a learner who answers everything right goes next (for "step n of m")."""
        next_id: str | None = scene.next
        return next_id

    def edges(self, scene: Any) -> list[Edge]:
        return branch_edges(scene) + ([Edge(scene.next, "otherwise" if scene.branches else "")] if scene.next else [])

    def check(self, scene: Any, course: Course, errors: ErrorCollector) -> None:
        """Errors that need the whole course (a reference to another scene's kind)."""

    def warnings(self, scene: Any, course: Course) -> list[ContentError]:
        """Probable mistakes that do not stop a build."""
        return []


def branch_edges(scene: Scene) -> list[Edge]:
    return [Edge(branch.goto, condition=branch.condition.text) for branch in scene.branches]


def failed(fields: Fields, values: dict[str, Any], key: str) -> bool:
    """Whether ``key`` is written but could not be read (its problem is reported already): checks
    that depend on it are skipped, so that one mistake gives one message."""
    return fields.has(key) and key not in values


def default_id(index: int, prefix: str) -> str:
    """Choices and options without an `id:` are a, b, c … (then c26, c27 …, or o26 …)."""
    return chr(ord("a") + index) if index < 26 else f"{prefix}{index}"


def unique_ids(items: list[tuple[str, Location]], what: str, fields: Fields) -> None:
    """Report every id given to two items of one list."""
    seen: set[str] = set()
    for item_id, location in items:
        if item_id in seen:
            fields.report(ContentError(location, f"two {what}s have the id `{item_id}`",
                                       f"give each {what} its own `id:`"))
        seen.add(item_id)
