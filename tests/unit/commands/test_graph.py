"""scormbuild graph: the scenario drawn with Graphviz."""

from __future__ import annotations

from lxml import etree
from support.coursekit import run, write_course
from support.paths import SAMPLE

from scormbuild.commands.graph import RIGHT, WRONG, scenario_graph
from scormbuild.course import load_course


def test_dot_has_every_scene_and_colours_right_and_wrong_choices():
    course = load_course(SAMPLE)
    source = scenario_graph(course).source
    for scene in course.scene_list:
        assert f"[{scene.kind}: {scene.id}]" in source
    assert f'"friend-request" -> "right-feedback" [label="ignore-and-report\\n(right)" color="{RIGHT}"' in source
    assert f'"friend-request" -> "accept-reflect" [label="accept (wrong)" color="{WRONG}"' in source
    assert "unreachable" not in source


def test_svg_is_drawn_and_unreachable_scenes_are_marked(tmp_path):
    course = write_course(tmp_path / "c", {
        "01-a.md": "---\nkind: page\ntitle: Start here\nnext: end\n---\n",
        "02-lost.md": "---\nkind: page\ntitle: Nobody comes here\nnext: end\n---\n",
        "03-end.md": "---\nkind: end\ntitle: The end\n---\n",
    })
    out = tmp_path / "graph.svg"
    result = run("graph", str(course), "-o", str(out))
    assert result.returncode == 0, result.stderr
    svg = etree.parse(str(out)).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "Start here" in texts and "(unreachable)" in texts and "Nobody comes here" in texts
    dot = tmp_path / "graph.dot"
    assert run("graph", str(course), "-o", str(dot)).returncode == 0
    assert dot.read_text().startswith("digraph")


def test_graph_of_broken_content_is_a_clear_error(tmp_path):
    course = write_course(tmp_path / "c", {"01-a.md": "---\nkind: nope\ntitle: A\n---\n"})
    result = run("graph", str(course), "-o", str(tmp_path / "g.svg"))
    assert result.returncode == 1 and "unknown scene kind" in result.stderr and not (tmp_path / "g.svg").exists()


# -- labels are text, never DOT syntax (security review L1) -----------------------------------

import subprocess  # noqa: E402

import graphviz  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scormbuild.commands.graph import dot_text, label  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "Save it in C:\\Temp\\",
    "Files in C:\\",
    "<B>bold</B>",
    "<a><b>",
    "<Continue>",
    'Say "no" \\" twice',
    "\\N \\G \\L \\l \\n \\r \\E \\T \\H",
    "&lt;b&gt; &amp; & &#65;",
    "a -> b; c [label=x]",
    "}} ]] digraph { x }",
]


def svg_text(svg_path) -> str:
    """Every text Graphviz drew, without whitespace (it may break lines and turn spaces into nbsp)."""
    svg = etree.parse(str(svg_path)).getroot()
    return "".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text")).replace("\u00a0", "").replace(" ", "")


def hostile_course(folder, text):
    course_yaml = yaml.safe_dump({"id": "t", "title": text})
    return write_course(folder, {
        "01-a.md": "---\n" + yaml.safe_dump({"kind": "feedback", "title": text,
                                               "options": [{"text": text, "goto": "end"}]}) + "---\n",
        "02-end.md": "---\nkind: end\ntitle: The end\n---\n",
    }, course_yaml=course_yaml)


@pytest.mark.parametrize("text", HOSTILE)
def test_any_text_is_drawn_literally_and_the_dot_is_valid(tmp_path, text):
    course = hostile_course(tmp_path / "c", text)
    dot = tmp_path / "g.dot"
    result = run("graph", str(course), "--format", "dot", "-o", str(dot))
    assert result.returncode == 0, result.stderr
    drawn = subprocess.run(["dot", "-Tsvg", str(dot), "-o", str(tmp_path / "from-dot.svg")], capture_output=True,
                           text=True, timeout=60)
    assert drawn.returncode == 0 and not drawn.stderr, drawn.stderr  # the real Graphviz, no warning either
    expected = text.replace(" ", "")
    assert svg_text(tmp_path / "from-dot.svg").count(expected) >= 2  # the course title and the scene title at least
    svg = tmp_path / "g.svg"
    result = run("graph", str(course), "-o", str(svg))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert svg_text(svg).count(expected) >= 2


@settings(max_examples=150, derandomize=True, database=None, deadline=None)
@given(st.text(max_size=40))
def test_every_label_is_valid_dot_and_shows_its_text(text):
    graph = graphviz.Digraph("g")
    graph.node("n", label(dot_text(text), dot_text(text[::-1])))
    graph.edge("n", "n", label=label(dot_text(text)))
    drawn = subprocess.run(["dot", "-Tsvg"], input=graph.source.encode("utf-8"), capture_output=True, timeout=60)
    assert drawn.returncode == 0, drawn.stderr.decode(errors="replace")
    svg = etree.fromstring(drawn.stdout)  # well-formed XML: no control character reached it
    shown = "".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))
    visible = text.translate({c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421, 0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}
                             | {c: 0xFFFD for c in range(0xD800, 0xE000)})
    squeeze = lambda s: "".join(s.split()).replace("\u00a0", "")  # noqa: E731
    assert squeeze(shown) == squeeze(visible + visible[::-1] + visible)
