"""scormbuild graph: the scenario drawn with Graphviz."""

from __future__ import annotations


from lxml import etree

from conftest import SAMPLE
from scormbuild.commands.graph import RIGHT, WRONG, scenario_graph
from scormbuild.content.loader import load_course
from coursekit import run, write_course


def test_dot_has_every_scene_and_colours_right_and_wrong_choices():
    course = load_course(SAMPLE)
    source = scenario_graph(course).source
    for scene in course.scene_list:
        assert f"[{scene.kind}: {scene.id}]" in source
    assert f'"friend-request" -> "right-feedback" [label="ignore-and-report\n(right)" color="{RIGHT}"' in source
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
