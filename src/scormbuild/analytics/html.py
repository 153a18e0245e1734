"""The self-contained HTML report: one file that opens offline, prints, and reads aloud.

Charts are Vega-Lite specs built here as dicts and drawn in the page by Vega, Vega-Lite and
vega-embed, whose minified builds are vendored in templates/report/vendor/ and inlined
(so the file asks nothing of the network; its Content-Security-Policy forbids it anyway, and
lets only those scripts run, by their hashes).
Every chart has its numbers in a table too. The scenario graph is Graphviz's SVG
(``flowgraph``). Text from learners is data: Jinja escapes it in the page, and the specs
are embedded as JSON with every character that could end a script escaped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from scormbuild.analytics import flowgraph
from scormbuild.analytics.coursemap import CourseMap
from scormbuild.analytics.flowgraph import percent
from scormbuild.analytics.summary_types import DecisionSummary, QuestionSummary, Summary
from scormbuild.errors import GraphError
from scormbuild.fsutil import write_atomically
from scormbuild.messages import TEMPLATES_DIR

REPORT_DIR = TEMPLATES_DIR / "report"
VENDOR_DIR = REPORT_DIR / "vendor"
# Vendored scripts, in the order they must run: (npm package, file in VENDOR_DIR).
VENDORED = (("vega", "vega.min.js"), ("vega-lite", "vega-lite.min.js"), ("vega-embed", "vega-embed.min.js"))
VENDORED_VERSIONS = {"vega": "6.4.0", "vega-lite": "6.5.0", "vega-embed": "7.3.0"}  # as in package.json

# Result colours, each above 4.5:1 on white (the chart's background) and told apart by the legend too.
RESULT_COLOURS = {"right": "#1d6b3a", "wrong": "#a4262c", "neutral": "#5a6772"}
RESULT_NAMES = {"right": "right", "wrong": "wrong", "neutral": "neither right nor wrong"}
BAR_COLOUR = "#2b5f8a"
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.M)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> Markup:
    """JSON to put inside `<script type="application/json">`: nothing in it can end the element
    or be read as markup (`<`, `>`, `&` and the JS line separators are written as escapes)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup("".join(_JSON_ESCAPES.get(character, character) for character in text))


def inline_script(text: str) -> Markup:
    """A vendored script as the body of an inline `<script>`: without its source map comment
    (the map is not shipped), and refused if it could end the element early."""
    text = _SOURCE_MAP.sub("", text)
    if re.search(r"</script|<!--", text, re.I):
        raise ValueError("a vendored script contains `</script` or `<!--` and cannot be inlined")
    return Markup(text)


@dataclass(frozen=True)
class Chart:
    id: str
    spec: Markup  # escaped JSON
    description: str  # what the chart shows, read by screen readers


class Charts:
    """Collects the page's Vega-Lite specs, each with a unique element id."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, spec: dict[str, Any], description: str) -> Chart:
        self.count += 1
        full = {"description": description,  # no $schema: the page names no address (vega-embed is told the mode)
                "width": "container", "autosize": {"type": "fit-x", "contains": "padding"},
                "config": CHART_CONFIG, **spec}
        return Chart(f"chart-{self.count}", script_json(full), description)


CHART_CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "background": "#ffffff",
    "view": {"stroke": None},
    "axis": {"labelColor": "#1a1a1a", "titleColor": "#1a1a1a", "labelFontSize": 12, "titleFontSize": 12,
             "labelLimit": 150, "domainColor": "#595959", "tickColor": "#595959"},
    "legend": {"labelColor": "#1a1a1a", "titleColor": "#1a1a1a", "labelFontSize": 12, "orient": "bottom",
               "direction": "vertical", "labelLimit": 200},
}


def result_scale(results: list[str]) -> dict[str, Any]:
    present = [r for r in ("right", "wrong", "neutral") if r in results]
    return {"domain": [RESULT_NAMES[r] for r in present], "range": [RESULT_COLOURS[r] for r in present]}


def wrapped(text: str, width: int = 30, lines: int = 3) -> str:
    """A label as at most ``lines`` lines (joined by newlines; the axes split them, see ``LABEL_AXIS``)."""
    parts = textwrap.wrap(text, width) or [""]
    return "\n".join(parts[:lines - 1] + [textwrap.shorten(" ".join(parts[lines - 1:]), width, placeholder=" …")]
                     if len(parts) > lines else parts)


# A nominal axis whose labels are wrapped texts: Vega draws an array of strings as lines.
# On a phone, labels give way to the bars (cut with an ellipsis: the table has them whole).
LABEL_AXIS = {"labelExpr": "split(datum.label, '\\n')", "labelLimit": {"expr": "containerSize()[0] < 480 ? 110 : 220"}}
LINE_STEP = 50  # room for three lines of labels (a fixed height: Vega-Lite warns when it drops "fit-y" for a step)


def bars_by_result(values: list[dict[str, Any]], label: str, count: str, count_title: str, legend_title: str,
                   results: list[str], tooltip: list[dict[str, str]]) -> dict[str, Any]:
    """A horizontal bar per choice or option (``label``), its length ``count``, coloured right/wrong/neither."""
    return {
        "data": {"values": values},
        "height": LINE_STEP * len(values),
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": None, "title": None, "axis": LABEL_AXIS},
            "x": {"field": count, "type": "quantitative", "title": count_title},
            "color": {"field": "result", "type": "nominal", "title": legend_title, "scale": result_scale(results)},
            "tooltip": tooltip,
        },
    }


def decision_chart(charts: Charts, decision: DecisionSummary) -> Chart:
    answered = decision["answered"]
    values = [{"choice": wrapped(c["text"]), "result": RESULT_NAMES[c["result"]], "first": c["first"],
               "share": c["first"] / answered if answered else 0} for c in decision["choices"]]
    spec = bars_by_result(values, "choice", "first", "attempts whose first answer it was", "The choice is",
                          [c["result"] for c in decision["choices"]],
                          [{"field": "choice"}, {"field": "first", "title": "first answers"},
                           {"field": "share", "format": ".0%", "title": "share"}])
    return charts.add(spec, f"First answers to “{decision['title']}”, by choice: "
                            + "; ".join(f"{c['text']}: {c['first']}" for c in decision["choices"]))


def question_chart(charts: Charts, question: QuestionSummary) -> Chart | None:
    if not question["options"]:
        return None
    values = [{"option": wrapped(o["text"]), "chosen": o["chosen"],
               "result": RESULT_NAMES["neutral" if o["correct"] is None else ("right" if o["correct"] else "wrong")]}
              for o in question["options"]]
    spec = bars_by_result(values, "option", "chosen", "first answers that chose it", "The option is",
                          ["right", "wrong", "neutral"], [{"field": "option"}, {"field": "chosen"}])
    return charts.add(spec, f"How often each option of “{question['title']}” was chosen: "
                            + "; ".join(f"{o['text']}: {o['chosen']}" for o in question["options"]))


def item_chart(charts: Charts, questions: list[QuestionSummary]) -> Chart | None:
    values = [{"question": f"Q{index}", "title": q["title"], "facility": q["facility"],
               "discrimination": q["discrimination"]}
              for index, q in enumerate(questions, 1) if q["facility"] is not None and q["discrimination"] is not None]
    if not values:
        return None
    point = {"x": {"field": "facility", "type": "quantitative", "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"},
                   "title": "facility (right first answers)"},
             "y": {"field": "discrimination", "type": "quantitative", "scale": {"domain": [-1, 1]},
                   "title": "discrimination"}}
    spec = {
        "data": {"values": values},
        "height": 260,
        "layer": [
            {"mark": {"type": "rule", "color": "#767676", "strokeDash": [4, 4]},
             "data": {"values": [{"line": 0.2}]}, "encoding": {"y": {"field": "line", "type": "quantitative"}}},
            {"mark": {"type": "point", "filled": True, "size": 70, "color": BAR_COLOUR},
             "encoding": {**point, "tooltip": [{"field": "question"}, {"field": "title"},
                                               {"field": "facility", "format": ".0%"},
                                               {"field": "discrimination", "format": ".2f"}]}},
            {"mark": {"type": "text", "dx": 14, "align": "left", "color": "#1a1a1a"},
             "encoding": {**point, "text": {"field": "question"}}},
        ],
    }
    return charts.add(spec, "Each question's facility against its discrimination; the dashed line is 0.2, "
                            "below which a question hardly tells stronger from weaker learners: "
                            + "; ".join(f"Q{index}: {percent(q['facility'], 1)}, {q['discrimination']:.2f}"
                                        for index, q in enumerate(questions, 1)
                                        if q["facility"] is not None and q["discrimination"] is not None))


def score_chart(charts: Charts, summary: Summary) -> Chart | None:
    if not any(b["count"] for b in summary["scores"]):
        return None
    values = [{"range": score_range(b["start"], b["end"], last=index == len(summary["scores"]) - 1),
               "count": b["count"]} for index, b in enumerate(summary["scores"])]
    spec = {
        "data": {"values": values},
        "height": 220,
        "mark": {"type": "bar", "color": BAR_COLOUR},
        "encoding": {"x": {"field": "range", "type": "ordinal", "sort": None, "title": "score (%)",
                           "axis": {"labelAngle": -45}},
                     "y": {"field": "count", "type": "quantitative", "title": "attempts"},
                     "tooltip": [{"field": "range", "title": "score"}, {"field": "count", "title": "attempts"}]},
    }
    return charts.add(spec, "Attempts by score: " + "; ".join(f"{v['range']}: {v['count']}" for v in values))


def score_range(start: float, end: float, last: bool) -> str:
    return f"{start:g}–{end:g}" if last else f"{start:g}–<{end:g}"


def completion_rows(summary: Summary) -> list[tuple[str, str, int]]:
    """(measure, state, attempts): completion, then result."""
    totals = summary["totals"]
    attempts = totals["attempts"]
    return [("completion", "completed", totals["completed"]),
            ("completion", "not completed", attempts - totals["completed"]),
            ("result", "passed", totals["passed"]), ("result", "failed", totals["failed"]),
            ("result", "no result yet", attempts - totals["passed"] - totals["failed"])]


def completion_chart(charts: Charts, summary: Summary) -> Chart | None:
    if not summary["totals"]["attempts"]:
        return None
    values = [{"measure": measure, "state": state, "attempts": count}
              for measure, state, count in completion_rows(summary)]
    colour = {"field": "measure", "type": "nominal", "title": None,
              "scale": {"domain": ["completion", "result"], "range": [BAR_COLOUR, "#6a3d9a"]}}
    spec = {
        "data": {"values": values},
        "height": 28 * len(values),
        "mark": {"type": "bar"},
        "encoding": {"y": {"field": "state", "type": "nominal", "sort": None, "title": None}, "color": colour,
                     "x": {"field": "attempts", "type": "quantitative", "title": "attempts"},
                     "tooltip": [{"field": "state"}, {"field": "attempts"}]},
    }
    return charts.add(spec, "Attempts by completion and result: "
                            + "; ".join(f"{v['state']}: {v['attempts']}" for v in values))


def time_chart(charts: Charts, summary: Summary) -> Chart | None:
    if not summary["times"]:
        return None
    values = [{"scene": wrapped(t["title"], 24, 2), "median": t["median_seconds"], "p25": t["p25_seconds"],
               "p75": t["p75_seconds"]} for t in summary["times"]]
    y = {"field": "scene", "type": "nominal", "sort": None, "title": None, "axis": LABEL_AXIS}
    spec = {
        "data": {"values": values},
        "height": 40 * len(values),
        "layer": [
            {"mark": {"type": "rule", "color": "#1a1a1a"},
             "encoding": {"y": y, "x": {"field": "p25", "type": "quantitative", "title": "seconds"},
                          "x2": {"field": "p75"}}},
            {"mark": {"type": "point", "filled": True, "size": 60, "color": BAR_COLOUR},
             "encoding": {"y": y, "x": {"field": "median", "type": "quantitative"},
                          "tooltip": [{"field": "scene"}, {"field": "median", "title": "median (s)"},
                                      {"field": "p25", "title": "quarter took less (s)"},
                                      {"field": "p75", "title": "quarter took more (s)"}]}},
        ],
    }
    return charts.add(spec, "Time spent per scene, median with the middle half of attempts: "
                            + "; ".join(f"{t['title']}: {t['median_seconds']:g} s" for t in summary["times"]))


def duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def personal_data(summary: Summary) -> list[str]:
    """What in the file is about a person: learners' names or pseudonyms (pseudonymised data is
    still personal data), what they wrote, and their typed answers. Empty: counts only."""
    texts = [text for reflection in summary["reflections"] for text in reflection["texts"]]
    found = []
    if any(text["learner"] for text in texts):
        found.append("learners' pseudonyms" if summary["privacy"]["anonymised"] else "learners' names")
    if texts:
        found.append("what learners wrote in reflections")
    if any(q["responses"] for q in summary["questions"] if q["type"] in FREE_TEXT_TYPES):
        found.append("answers learners typed (the most frequent ones)")
    return found


FREE_TEXT_TYPES = ("fill-in", "long-fill-in")


def script_hash(script: str) -> str:
    """The CSP hash of an inline script: only the page's own scripts run, never one that
    learners' text might have smuggled in (nor an inline event handler)."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def counted(count: int, noun: str) -> str:
    """"1 attempt", "2 attempts" (the nouns the report counts take an s)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def vendored_scripts() -> list[Markup]:
    return [inline_script((VENDOR_DIR / name).read_text("utf-8")) for _, name in VENDORED]


def render_html(summary: Summary, course: CourseMap) -> str:
    """The report as one HTML document (a string to write to a file)."""
    environment = Environment(loader=FileSystemLoader(str(REPORT_DIR)), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["percent"] = percent
    environment.filters["duration"] = duration
    environment.filters["counted"] = counted
    charts = Charts()
    scripts = [*vendored_scripts(), inline_script((REPORT_DIR / "report.js").read_text("utf-8"))]
    try:
        flow_svg: Markup | None = Markup(flowgraph.flow_svg(summary, course))
        flow_problem = ""
    except GraphError as error:
        flow_svg, flow_problem = None, str(error)
    decisions = [(d, decision_chart(charts, d)) for d in summary["decisions"]]
    item = item_chart(charts, summary["questions"])
    questions = [(q, question_chart(charts, q)) for q in summary["questions"]]
    context = {
        "summary": summary,
        "course": summary["course"],
        "flow_svg": flow_svg,
        "flow_problem": flow_problem,
        "legend": flowgraph.legend(),
        "decisions": decisions,
        "questions": questions,
        "item_chart": item,
        "score_chart": score_chart(charts, summary),
        "completion_chart": completion_chart(charts, summary),
        "completion_rows": completion_rows(summary),
        "time_chart": time_chart(charts, summary),
        "score_range": score_range,
        "personal_data": personal_data(summary),
        # Course texts and learners' texts are in the course's language (the report's own are English)
        "content_lang": Markup(' lang="{}" dir="auto"').format(course.course.language),
        "css": Markup((REPORT_DIR / "report.css").read_text("utf-8")),
        "scripts": scripts,
        "script_hashes": " ".join(f"'sha256-{script_hash(script)}'" for script in scripts),
        "versions": VENDORED_VERSIONS,
        "notices": (VENDOR_DIR / "THIRD-PARTY-NOTICES.txt").read_text("utf-8"),  # their licences ask for it
    }
    return environment.get_template("report.html.j2").render(context)


def write_html(summary: Summary, course: CourseMap, output: Path) -> Path:
    """Write the report whole or not at all."""
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(output, [render_html(summary, course).encode("utf-8")])
    return output
