"""The HTML report as a file: one document that asks nothing of the network, keeps learners'
text as text, says what it contains, and ships the chart libraries it was tested with.
(tests/browser/test_report_html.py opens it in Chromium.)"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from support.coursekit import copy_sample
from support.paths import DATA, ROOT, SAMPLE

from scormbuild.analytics import flowgraph
from scormbuild.analytics.coursemap import CourseMap, load_course_map
from scormbuild.analytics.html import VENDOR_DIR, VENDORED, VENDORED_VERSIONS, render_html, script_hash, script_json
from scormbuild.analytics.summary_types import Summary
from scormbuild.kinds import kind_of

SUMMARY = DATA / "report" / "summary.json"
HOSTILE_SCRIPT = "</script><script>alert(1)</script>"
HOSTILE_NAME = '<img src=x onerror="alert(2)">'
SEPARATORS = "line\u2028separator\u2029paragraph"


def load_summary() -> Summary:
    summary: Summary = json.loads(SUMMARY.read_text("utf-8"))
    return summary


@pytest.fixture(scope="module")
def course() -> CourseMap:
    return load_course_map(SAMPLE)


class Page(HTMLParser):
    """What a browser would see of a document: elements with their attributes, script and
    style bodies, and the text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._open: tuple[str, dict[str, str]] | None = None
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag in ("script", "style"):
            self._open = (tag, attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is None:
            self.text.append(data)
        elif self._open[0] == "script":
            self.scripts.append((self._open[1], data))
        else:
            self.styles.append(data)

    def json_specs(self) -> list[dict[str, Any]]:
        return [json.loads(body) for attributes, body in self.scripts if attributes.get("type") == "application/json"]


def test_the_report_is_one_document_that_asks_nothing_of_the_network(course):
    document = render_html(load_summary(), course)
    page = Page(document)
    tags = [tag for tag, _ in page.elements]
    assert tags.count("html") == tags.count("head") == tags.count("body") == 1 and document.rstrip().endswith("</html>")
    fetching = {"src", "href", "xlink:href", "action", "formaction", "poster", "data", "srcset", "background",
                "ping", "manifest", "cite"}
    for tag, attributes in page.elements:
        assert tag not in ("link", "iframe", "object", "embed", "base", "img", "audio", "video"), tag
        for name, value in attributes.items():
            if name in fetching:
                assert value.startswith("#"), f"<{tag} {name}={value!r}> would ask for a file"
            if re.search(r"https?:|//", value) and not name.startswith("xmlns"):
                pytest.fail(f"<{tag} {name}={value!r}> names an address")
            assert "url(" not in value, f"<{tag} {name}={value!r}>"
    assert all("url(" not in style and "@import" not in style for style in page.styles)
    assert all("src" not in attributes for attributes, _ in page.scripts)
    csp = next(a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    # only the page's own scripts may run: each by its hash, no 'unsafe-inline'
    allowed = re.search(r"script-src ([^;]+)", csp).group(1).split()
    code = [body for attributes, body in page.scripts if "type" not in attributes]
    assert sorted(allowed) == sorted(f"'sha256-{script_hash(body)}'" for body in code) and len(code) == 4
    # every chart's spec is there, and names no address either (no $schema, no data url)
    specs = page.json_specs()
    assert len(specs) == document.count('data-chart="') >= 8
    assert not any(re.search(r"https?:", json.dumps(spec)) for spec in specs)


def test_vendored_scripts_are_inlined_whole_without_their_source_maps(course):
    page = Page(render_html(load_summary(), course))
    bodies = [body for attributes, body in page.scripts if "type" not in attributes]
    for (_, name), body in zip(VENDORED, bodies, strict=False):
        vendored = (VENDOR_DIR / name).read_text("utf-8")
        assert re.sub(r"//# sourceMappingURL=.*", "", vendored).strip() == body.strip()
    assert "sourceMappingURL" not in "".join(bodies)


def hostile_summary() -> Summary:
    summary = copy.deepcopy(load_summary())
    reflection = summary["reflections"][1]
    reflection["texts"][0]["text"] = f"{HOSTILE_SCRIPT} {SEPARATORS} & <b>bold</b>"
    reflection["texts"][0]["learner"] = HOSTILE_NAME
    summary["decisions"][0]["choices"][0]["text"] = f"Choice {HOSTILE_SCRIPT} {SEPARATORS}"
    summary["questions"][4]["responses"][0]["response"] = HOSTILE_NAME
    summary["sources"][0]["label"] = HOSTILE_SCRIPT
    summary["groups"][0]["group"] = HOSTILE_NAME
    return summary


def test_learners_text_stays_text_in_the_page_and_in_the_chart_data(course):
    summary = hostile_summary()
    document = render_html(summary, course)
    page = Page(document)
    clean = Page(render_html(load_summary(), course))
    # as many elements of each kind as without the hostile text: nothing was opened or closed by it
    assert sorted(tag for tag, _ in page.elements) == sorted(tag for tag, _ in clean.elements)
    assert not any(name.startswith("on") for _, attributes in page.elements for name in attributes)
    text = "".join(page.text)
    assert f"{HOSTILE_SCRIPT} {SEPARATORS} & <b>bold</b>" in text
    assert text.count(HOSTILE_NAME) == 3  # the reflection's author, the typed answer, the group
    assert HOSTILE_SCRIPT in text  # the source's label
    # the chart data holds the choice's text as it was, written without any character that could end the script
    specs = page.json_specs()
    assert any(f"Choice {HOSTILE_SCRIPT} {SEPARATORS}" in spec["description"] for spec in specs)
    for attributes, body in page.scripts:
        if attributes.get("type") == "application/json":
            assert not set(body) & {"<", ">", "&", "\u2028", "\u2029"}


def test_script_json_escapes_what_could_end_a_script_and_reads_back_the_same():
    value = {"text": f"{HOSTILE_SCRIPT} <!-- & {SEPARATORS}", "n": 1}
    written = str(script_json(value))
    assert "<" not in written and ">" not in written and "&" not in written
    assert "\u2028" not in written and "\u2029" not in written
    assert json.loads(written) == value


def test_the_report_says_what_it_contains(course):
    summary = load_summary()
    text = " ".join("".join(Page(render_html(summary, course)).text).split())
    assert "This file contains personal data: learners' pseudonyms, what learners wrote in reflections." in text
    assert summary["privacy"]["identities"] in text
    assert "From: 2026-11-01" in text and "Until: 2026-11-30" in text and "Group: all groups" in text
    assert "Attempts: every attempt" in text
    for note in summary["sources"][0]["notes"]:
        assert note in text
    assert "The source keeps at most 255 characters of each text" in text
    assert "English only" in text

    without_text = copy.deepcopy(summary)
    without_text["privacy"].update(free_text=False, anonymised=True)
    for reflection in without_text["reflections"]:
        reflection["texts"] = []
    without_text["filters"].update(group="North team", attempt="best")
    page = Page(render_html(without_text, course))
    text = " ".join("".join(page.text).split())
    assert "This file contains personal data" not in text
    assert "counts across attempts only" in text
    assert "What learners wrote was left out of this report" in text
    assert "Group: North team" in text and "each learner's best attempt only" in text
    assert not any(attributes.get("id") == "reflection-search" for _, attributes in page.elements)


def test_names_shown_without_pseudonyms_are_personal_data(course):
    summary = load_summary()
    summary["privacy"]["anonymised"] = False
    text = " ".join("".join(Page(render_html(summary, course)).text).split())
    assert "This file contains personal data: learners' names, what learners wrote in reflections." in text


def test_the_flow_graph_shows_each_choice_and_each_scene_with_its_counts(course):
    summary = load_summary()
    svg = flowgraph.flow_svg(summary, course)
    assert svg.startswith("<svg") and "<!--" not in svg and "<?xml" not in svg
    assert "first choice: 80 (40%)" in svg  # ignore-and-report: 80 first answers of 200
    assert "first choice: 132 (69%)" in svg  # pass-to-care-manager: 132 of 190
    assert "reached: 69 (34%)" in svg
    assert "taken: 150 (75%)" in svg  # right-feedback to jenny-message
    assert 'role="img"' in svg and 'aria-labelledby="flow-caption"' in svg
    # the scene reached by every attempt has the darkest fill, one reached by none of the counts the lightest
    summary["flow_nodes"] = [n for n in summary["flow_nodes"] if n["id"] != "revisit"]
    marker = flowgraph.FlowMarker(summary)
    scenes = {scene.id: scene for scene in course.course.scene_list}
    assert marker.scene(scenes["welcome"]).attributes["fillcolor"] == flowgraph.SCALE[-1][1]
    assert marker.scene(scenes["revisit"]).lines == ("no data",)
    # an arrow's width grows with its share: 1 point for none, 8 for every attempt
    edges = {edge.label: edge for edge in kind_of(scenes["friend-request"]).edges(scenes["friend-request"])}
    assert marker.edge(scenes["friend-request"], edges["ignore-and-report"]).attributes == {"penwidth": "3.8"}
    assert marker.edge(scenes["friend-request"], edges["accept"]).attributes == {"penwidth": "2.0"}


def test_scene_titles_reach_the_graph_escaped(tmp_path):
    course_dir = copy_sample(tmp_path)
    scene = next(course_dir.glob("scenes/*friend-request*.md"))
    scene.write_text(re.sub(r"^title: .*$", 'title: "<script>alert(3)</script> & friends"', scene.read_text("utf-8"),
                            count=1, flags=re.M), "utf-8")
    svg = flowgraph.flow_svg(load_summary(), load_course_map(course_dir))
    assert "<script" not in svg
    assert "&lt;script&gt;alert(3)&lt;/script&gt; &amp;" in svg


def test_without_graphviz_the_report_says_so(course, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH where `dot` is not installed
    text = " ".join("".join(Page(render_html(load_summary(), course)).text).split())
    assert "Graphviz's `dot` program is not installed here, so the scenario graph is not drawn" in text
    assert "Scenes reached" in text  # the tables are still there


def test_the_vendored_chart_libraries_are_the_npm_packages_of_package_json():
    declared = json.loads((ROOT / "package.json").read_text("utf-8"))["devDependencies"]
    for package, name in VENDORED:
        assert declared[package] == VENDORED_VERSIONS[package], package
        assert f"| `{name}` | `{package}`, `build/{name}` | {VENDORED_VERSIONS[package]} |" in (
            VENDOR_DIR / "README.md").read_text("utf-8")
        assert (VENDOR_DIR / f"{package}.LICENSE").is_file()
    installed = ROOT / "node_modules"
    if not installed.is_dir():
        pytest.skip("node_modules is not installed (npm ci): the copies cannot be compared")
    for package, name in VENDORED:
        npm = installed / package
        assert json.loads((npm / "package.json").read_text("utf-8"))["version"] == VENDORED_VERSIONS[package]
        assert (VENDOR_DIR / name).read_bytes() == (npm / "build" / name).read_bytes(), name
        assert (VENDOR_DIR / f"{package}.LICENSE").read_bytes() == (npm / "LICENSE").read_bytes(), package


def test_the_fixture_summary_matches_the_sample_course(course):
    """The fixture is only worth testing with if its ids are the course's own."""
    summary = load_summary()
    for decision in summary["decisions"]:
        interaction = course.interactions[decision["id"]]
        assert {c["id"] for c in decision["choices"]} == {o.id for o in interaction.options}
    assert {q["id"] for q in summary["questions"]} <= set(course.interactions)
    scenes = {scene.id for scene in course.course.scene_list}
    assert {n["id"] for n in summary["flow_nodes"]} <= scenes
    assert {e["source"] for e in summary["flow_edges"]} | {e["target"] for e in summary["flow_edges"]} <= scenes


def test_an_empty_summary_renders(course):
    """A filter that keeps no attempt: every section says so instead of drawing an empty chart."""
    summary = load_summary()
    summary["totals"].update(attempts=0, learners=0, completed=0, passed=0, failed=0, mean_score=None,
                             median_score=None)
    for key in ("decisions", "questions", "reflections", "times", "flow_nodes", "flow_edges", "groups"):
        summary[key] = []  # type: ignore[literal-required]
    summary["scores"] = [{**b, "count": 0} for b in summary["scores"]]
    page = Page(render_html(summary, course))
    text = " ".join("".join(page.text).split())
    assert "No decision was answered in the attempts kept." in text
    assert "Mean score: none" in text
    assert page.json_specs() == []


# What each minified build bundles: its package's npm dependency closure, less what it expects as
# globals (vega-lite and vega-embed use the page's vega) and vega-lite's command-line helper.
BUNDLE_EXTERNALS = {"vega": (), "vega-lite": ("vega", "yargs"), "vega-embed": ("vega", "vega-lite")}
NOTICES = VENDOR_DIR / "THIRD-PARTY-NOTICES.txt"


def third_party_notices(node_modules: Path) -> str:
    """THIRD-PARTY-NOTICES.txt as the installed packages make it: name, version, licence and its text."""
    found: dict[str, tuple[str, str, str]] = {}

    def visit(name: str, externals: tuple[str, ...]) -> None:
        if name in found or name in externals:
            return
        folder = node_modules / name
        package = json.loads((folder / "package.json").read_text("utf-8"))
        licence = next((f for f in sorted(p.name for p in folder.iterdir())
                        if re.match(r"(licen[sc]e|copying)", f, re.I)), None)
        text = (folder / licence).read_text("utf-8").strip() if licence else "(no licence file in the package)"
        found[name] = (package["version"], package.get("license", ""), text)
        for dependency in package.get("dependencies", {}):
            visit(dependency, externals)

    for root, externals in BUNDLE_EXTERNALS.items():
        visit(root, externals)
    rule = "=" * 72
    return ("Third-party software in vega.min.js, vega-lite.min.js and vega-embed.min.js\n"
            "(each package's npm dependencies, which its minified build bundles; vega-lite's command-line\n"
            "helper yargs is left out: the build does not bundle it)\n"
            + "".join(f"\n{rule}\n{name} {version} ({licence})\n{rule}\n{text}\n"
                      for name, (version, licence, text) in sorted(found.items())))


def test_the_third_party_notices_cover_what_the_builds_bundle():
    installed = ROOT / "node_modules"
    if not installed.is_dir():
        pytest.skip("node_modules is not installed (npm ci): the notices cannot be compared")
    assert NOTICES.read_text("utf-8") == third_party_notices(installed), (
        "rewrite it: PYTHONPATH=tests .venv/bin/python tests/unit/test_report_html_unit.py")


if __name__ == "__main__":  # rewrite the notices after updating the vendored builds
    NOTICES.write_text(third_party_notices(ROOT / "node_modules"), "utf-8")
