"""The scenario graph coloured by what learners did, as SVG to put inside the HTML report.

`scormbuild graph` draws the course (course_graph.py); a ``FlowMarker`` adds to it, from a
summary, how many attempts reached each scene (its fill) and how many took each arrow (a
line under the arrow's label and the arrow's width). Only numbers from the summary reach
the graph: texts come from the course source and go through course_graph's label escaping.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from lxml import etree

from scormbuild.analytics.coursemap import CourseMap
from scormbuild.analytics.summary_types import DecisionSummary, Summary
from scormbuild.course_graph import Mark, draw, scenario_graph
from scormbuild.errors import GraphError
from scormbuild.kinds.base import Edge
from scormbuild.model import Scene

# Share of attempts that reached a scene: from this share up, this fill and text colour
# (ColorBrewer "Blues"; white text on the two darkest, each pair above 4.5:1).
SCALE: tuple[tuple[float, str, str, str], ...] = (
    (0.0, "#f7fbff", "#1a1a1a", "under 20%"),
    (0.2, "#c6dbef", "#1a1a1a", "20% to 39%"),
    (0.4, "#6baed6", "#1a1a1a", "40% to 59%"),
    (0.6, "#2171b5", "#ffffff", "60% to 79%"),
    (0.8, "#08306b", "#ffffff", "80% or more"),
)
NO_DATA_FILL = "#ffffff"
MAX_EXTRA_WIDTH = 7.0  # an arrow taken by every attempt is this many points wider than one taken by none


def percent(part: float, whole: float) -> str:
    """A share as a whole percentage, or a dash when there is nothing to share."""
    return f"{round(100 * part / whole)}%" if whole else "–"


def band(share: float) -> tuple[str, str, str]:
    """Fill, text colour and legend label of the scale band a share falls into."""
    chosen = SCALE[0]
    for entry in SCALE:
        if share >= entry[0]:
            chosen = entry
    return chosen[1], chosen[2], chosen[3]


@dataclass
class FlowMarker:
    """Adds the summary's counts to `scormbuild graph`'s drawing (graph.Marker)."""

    summary: Summary

    def __post_init__(self) -> None:
        self.attempts = self.summary["totals"]["attempts"]
        self.reached = {node["id"]: node["attempts"] for node in self.summary["flow_nodes"]}
        self.taken = {(edge["source"], edge["target"]): edge["attempts"] for edge in self.summary["flow_edges"]}
        self.decisions: dict[str, DecisionSummary] = {}
        for decision in self.summary["decisions"]:
            self.decisions.setdefault(decision["scene"], decision)

    def scene(self, scene: Scene) -> Mark:
        if scene.id not in self.reached:
            return Mark(("no data",), {"fillcolor": NO_DATA_FILL})
        reached = self.reached[scene.id]
        fill, text, _ = band(reached / self.attempts if self.attempts else 0.0)
        return Mark((f"reached: {reached} ({percent(reached, self.attempts)})",),
                    {"fillcolor": fill, "fontcolor": text})

    def edge(self, scene: Scene, edge: Edge) -> Mark:
        decision = self.decisions.get(scene.id)
        choice = next((c for c in decision["choices"] if c["id"] == edge.label), None) if decision else None
        if decision is not None and choice is not None:
            count, whole, what = choice["first"], decision["answered"], "first choice"
        elif (scene.id, edge.target) in self.taken:
            count, whole, what = self.taken[(scene.id, edge.target)], self.attempts, "taken"
        else:
            return Mark()
        share = count / whole if whole else 0.0
        return Mark((f"{what}: {count} ({percent(count, whole)})",),
                    {"penwidth": f"{1 + MAX_EXTRA_WIDTH * share:.1f}"})


def flow_svg(summary: Summary, course: CourseMap) -> str:
    """The coloured graph as an inline SVG element (no XML declaration, no comments), or
    raises ``GraphError`` when Graphviz's `dot` is not installed or fails."""
    if shutil.which("dot") is None:
        raise GraphError("Graphviz's `dot` program is not installed here, so the scenario graph is not drawn "
                         "(Debian: apt-get install graphviz); the table below has the same numbers")
    drawn = draw(scenario_graph(course.course, FlowMarker(summary)), "svg")
    root = etree.fromstring(drawn, etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True))
    for attribute in ("width", "height"):  # scaled by CSS within the page's width, keeping the viewBox
        if attribute in root.attrib:
            del root.attrib[attribute]
    root.set("role", "img")
    root.set("aria-labelledby", "flow-caption")
    for title in list(root.iter("{http://www.w3.org/2000/svg}title")):  # tooltips of ids, not needed in the page
        parent = title.getparent()
        if parent is not None:
            parent.remove(title)
    svg: str = etree.tostring(root, encoding="unicode")
    return svg


def legend() -> list[tuple[str, str, str]]:
    """The fill scale as (fill, text colour, label), for the legend below the graph."""
    return [(fill, text, label) for _, fill, text, label in SCALE]
