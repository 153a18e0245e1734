"""scormbuild graph: the scenario as a picture (Graphviz), drawn by ``course_graph``."""

from __future__ import annotations

from pathlib import Path

from scormbuild.course import load_course
from scormbuild.course_graph import NEUTRAL, RIGHT, WRONG, dot_text, draw, label, scenario_graph
from scormbuild.fsutil import write_atomically

__all__ = ["NEUTRAL", "RIGHT", "WRONG", "dot_text", "label", "render_graph", "scenario_graph"]


def render_graph(content_dir: Path, output: Path, output_format: str) -> Path:
    """Write the graph as DOT source, SVG or PNG; the file appears whole or not at all."""
    graph = scenario_graph(load_course(content_dir))
    output.parent.mkdir(parents=True, exist_ok=True)
    if output_format == "dot":
        write_atomically(output, [graph.source.encode("utf-8")])
        return output
    write_atomically(output, [draw(graph, output_format)])
    return output
