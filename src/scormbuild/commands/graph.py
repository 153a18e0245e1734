"""scormbuild graph: the scenario as a picture (Graphviz).

Scenes are nodes shaped by kind, choices are labelled edges (green right,
red wrong, grey neither), and scenes no learner can reach are dashed.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import graphviz

from scormbuild.content.loader import load_course
from scormbuild.errors import ScormbuildError
from scormbuild.lint import reachable_scenes
from scormbuild.model import Course, DecisionScene, FeedbackScene

SHAPES = {"page": "box", "decision": "diamond", "feedback": "note", "reflection": "parallelogram",
          "quiz": "component", "end": "doublecircle"}
FILLS = {"page": "#eef2f7", "decision": "#fff4d6", "feedback": "#f3e8fb", "reflection": "#e6f4ea",
         "quiz": "#e3f0fb", "end": "#dfe7ef"}
RIGHT, WRONG, NEUTRAL = "#1d6b3a", "#a4262c", "#5a6772"


class GraphError(ScormbuildError):
    def format(self, base: Path | None = None) -> str:
        return f"graph: {self}"


def _wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(text, width)[:3])


def scenario_graph(course: Course) -> graphviz.Digraph:
    reachable = reachable_scenes(course)
    graph = graphviz.Digraph(course.id, graph_attr={"label": course.title, "labelloc": "t", "rankdir": "TB",
                                                    "fontname": "Helvetica"},
                             node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled"},
                             edge_attr={"fontname": "Helvetica", "fontsize": "9"})
    for scene in course.scene_list:
        attributes = {"shape": SHAPES[scene.kind], "fillcolor": FILLS[scene.kind]}
        label = f"{_wrap(scene.title)}\n[{scene.kind}: {scene.id}]"
        if scene.id not in reachable:
            attributes.update(style="dashed,filled", color="#888888", fontcolor="#555555")
            label += "\n(unreachable)"
        if scene.id == course.start:
            attributes["penwidth"] = "2"
        graph.node(scene.id, label, **attributes)
    for scene in course.scene_list:
        if isinstance(scene, DecisionScene):
            scored = any(c.correct for c in scene.choices)
            for choice in scene.choices:
                colour = RIGHT if choice.correct else (WRONG if scored else NEUTRAL)
                mark = "right" if choice.correct else ("wrong" if scored else "")
                graph.edge(scene.id, choice.goto or "", label=_wrap(f"{choice.id}" + (f" ({mark})" if mark else ""), 24),
                           color=colour, fontcolor=colour, penwidth="2" if choice.correct else "1")
        elif isinstance(scene, FeedbackScene) and scene.options:
            for option in scene.options:
                graph.edge(scene.id, option.goto or "", label=_wrap(option.text, 24), color=NEUTRAL, style="dashed")
        if scene.next and not isinstance(scene, DecisionScene):
            graph.edge(scene.id, scene.next, color=NEUTRAL)
    return graph


def render_graph(content_dir: Path, output: Path, output_format: str) -> Path:
    graph = scenario_graph(load_course(content_dir))
    output.parent.mkdir(parents=True, exist_ok=True)
    if output_format == "dot":
        output.write_text(graph.source, "utf-8")
        return output
    if shutil.which("dot") is None:
        raise GraphError("Graphviz's `dot` program is needed to draw SVG or PNG: install it "
                         "(Debian: apt-get install graphviz), or use --format dot")
    data = graph.pipe(format=output_format)
    output.write_bytes(data)
    return output
