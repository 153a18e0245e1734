"""The scenario as a Graphviz graph: what `scormbuild graph` writes (commands/graph.py) and
what the HTML report colours by what learners did (analytics/flowgraph.py).

Scenes are nodes shaped by kind, choices are labelled edges (green right,
red wrong, grey neither) with the `if:` that must hold on the way, and scenes
no learner can reach are dashed. A ``Marker`` may add lines and attributes to each
scene and arrow: the HTML report draws what learners did that way.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import graphviz

from scormbuild.errors import GraphError
from scormbuild.kinds import kind_of
from scormbuild.kinds.base import Edge
from scormbuild.model import Course, Scene
from scormbuild.scenario import reachable_scenes

RIGHT, WRONG, NEUTRAL = "#1d6b3a", "#a4262c", "#5a6772"


# Characters shown as a visible stand-in: C0 controls and DEL as their Unicode control pictures
# (U+2400 …), the non-characters and lone surrogates as U+FFFD. None of them may go into SVG.
_VISIBLE = {**{code: 0x2400 + code for code in range(0x20)}, 0x7F: 0x2421, 0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD,
            **{code: 0xFFFD for code in range(0xD800, 0xE000)}}
# A line break inside a DOT label (the escString `\n`, centred), as opposed to the text's own characters.
LINE_BREAK = "\\n"


def dot_text(text: str) -> str:
    r"""``text`` as the content of a DOT label that Graphviz shows literally.

    Backslashes are doubled, so that `\N`, `\G`, `\l` … are not escString sequences and a final
    backslash does not escape the closing quote; the `graphviz` library then escapes `"`.
    `&` becomes `&amp;`, since Graphviz reads entities such as `&lt;` in every label.
    Control characters become visible stand-ins. Labels are always written as quoted strings
    (see ``label``), never as `<...>` HTML-like labels, so `<B>bold</B>` is shown as typed."""
    return text.translate(_VISIBLE).replace("\\", "\\\\").replace("&", "&amp;")


def label(*lines: str) -> str:
    """A DOT label of already escaped lines: always a quoted string, never HTML-like."""
    quoted: str = graphviz.nohtml(LINE_BREAK.join(lines))
    return quoted


def _wrap(text: str, width: int = 28) -> list[str]:
    """At most three lines of at most ``width`` characters, escaped for a label."""
    return [dot_text(line) for line in textwrap.wrap(text, width)[:3]]


@dataclass(frozen=True)
class Mark:
    """What a marker adds to a scene or an arrow: lines of plain text below its label (escaped
    here, like every label) and Graphviz attributes (which override the graph's own)."""

    lines: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)


class Marker(Protocol):
    def scene(self, scene: Scene) -> Mark: ...

    def edge(self, scene: Scene, edge: Edge) -> Mark: ...


def scenario_graph(course: Course, marker: Marker | None = None) -> graphviz.Digraph:
    reachable = reachable_scenes(course)
    graph = graphviz.Digraph(course.id, graph_attr={"label": label(*_wrap(course.title, 60)), "labelloc": "t",
                                                    "rankdir": "TB", "fontname": "Helvetica"},
                             node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled"},
                             edge_attr={"fontname": "Helvetica", "fontsize": "9"})
    for scene in course.scene_list:
        kind = kind_of(scene)
        attributes = {"shape": kind.graph_shape, "fillcolor": kind.graph_fill}
        lines = [*_wrap(scene.title), dot_text(f"[{scene.kind}: {scene.id}]")]
        if scene.id not in reachable:
            attributes.update(style="dashed,filled", color="#888888", fontcolor="#555555")
            lines.append("(unreachable)")
        if scene.id == course.start:
            attributes["penwidth"] = "2"
        if marker is not None:
            mark = marker.scene(scene)
            lines += [dot_text(line) for line in mark.lines]
            attributes.update(mark.attributes)
        graph.node(scene.id, label(*lines), **attributes)
    for scene in course.scene_list:
        for edge in kind_of(scene).edges(scene):
            condition = _wrap(f"if {edge.condition}", 24) if edge.condition else []
            added = marker.edge(scene, edge) if marker is not None else Mark()
            counts = [dot_text(line) for line in added.lines]
            if edge.optional:
                graph.edge(scene.id, edge.target, label=label(*_wrap(edge.label, 24), *condition, *counts),
                           **{"color": NEUTRAL, "style": "dashed", **added.attributes})
                continue
            colour = RIGHT if edge.correct else (WRONG if edge.scored else NEUTRAL)
            result = "right" if edge.correct else ("wrong" if edge.scored else "")
            text = f"{edge.label} ({result})" if result else edge.label
            lines = [*_wrap(text, 24), *condition, *counts] if text else [*condition, *counts]
            extra = {"label": label(*lines), "fontcolor": colour} if lines else {}
            graph.edge(scene.id, edge.target, **{"color": colour, "penwidth": "2" if edge.correct else "1", **extra,
                                                 **added.attributes})
    return graph


def draw(graph: graphviz.Digraph, output_format: str) -> bytes:
    """The graph drawn by Graphviz's `dot` (``GraphError`` when it is missing or fails)."""
    if shutil.which("dot") is None:
        raise GraphError("Graphviz's `dot` program is needed to draw SVG or PNG: install it "
                         "(Debian: apt-get install graphviz), or use --format dot")
    try:
        data: bytes = graph.pipe(format=output_format)
    except graphviz.CalledProcessError as error:  # a bug here, or a broken Graphviz: never a traceback
        detail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()[:1]
        raise GraphError(f"Graphviz's `dot` could not draw the graph ({detail[0][:200] if detail else 'no message'}); "
                         "write the DOT source with --format dot and report this as a bug") from None
    return data
