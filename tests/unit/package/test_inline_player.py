"""The player inlined in index.html: scripts and style sheets that cannot end their element early."""

from __future__ import annotations

import re

import pytest
import rjsmin
from support.coursekit import copy_sample

from scormbuild.commands.build import build
from scormbuild.course import load_course
from scormbuild.package_reader import read_zip
from scormbuild.render import (
    MEDIA_ASSET,
    PLAYER_ASSETS,
    RUNTIME_SLOT,
    Player,
    UnsafeInlineError,
    inline_asset,
    inline_script,
    inline_style,
    runtime_bundle,
)
from scormbuild.standards import STANDARDS


@pytest.mark.parametrize("source", [
    "if (a < !--b) go();",        # rjsmin writes a<!--b: a comment in JavaScript, an escaped state in HTML
    "x = y <\n!--z;",
    'var end = "</script>";',     # strings and regular expressions keep what they hold
    "var re = /<\\/SCRIPT>|<!--/;",
    "var e = '</ScRiPt >';",
])
def test_minified_code_that_would_end_or_escape_its_script_element_is_refused(source):
    with pytest.raises(UnsafeInlineError):
        inline_script(rjsmin.jsmin(source), "test.js")


def test_rjsmin_turns_code_without_a_comment_opener_into_one():
    """Why the check runs on what is shipped, not on the sources."""
    assert "<!--" not in "if (a < !--b) go();" and "<!--" in rjsmin.jsmin("if (a < !--b) go();")


def test_every_shipped_script_and_runtime_bundle_can_be_inlined():
    for name in (*PLAYER_ASSETS, MEDIA_ASSET):
        assert inline_asset(name)
    for standard in STANDARDS.values():
        bundle = runtime_bundle(standard.runtime_scripts, standard.runtime_config(True)).decode()
        assert not re.search(r"</script|<!--", bundle, re.IGNORECASE)


def test_a_style_that_would_end_its_element_stays_a_file():
    assert inline_style("a { color: red }") == "a { color: red }"
    assert inline_style('a::after { content: "</STYLE><script>alert(1)</script>" }') is None


def test_a_raw_html_scene_holding_the_runtime_slot_does_not_move_the_runtime(tmp_path):
    course = copy_sample(tmp_path)
    scene = course / "scenes" / "01-welcome.md"
    text = scene.read_text("utf-8")
    scene.write_text(text.replace("---\n", "---\nraw_html: true\n", 1).rstrip() + f"\n\n{RUNTIME_SLOT}\n", "utf-8")
    [package] = build(course, ["scorm12"], tmp_path / "dist")
    page = read_zip(package.path)["index.html"].decode()
    head, _, body = page.partition("</head>")
    assert "scormbuild runtime adapter" in head and "scormbuild runtime adapter" not in body
    assert RUNTIME_SLOT in body and RUNTIME_SLOT not in head


def test_a_theme_is_inlined_with_its_font_addressed_from_the_page_unless_it_has_its_own_css(tmp_path):
    course = copy_sample(tmp_path)
    (course / "media" / "body.woff2").write_bytes(b"wOF2 not really a font")
    with (course / "course.yaml").open("a") as f:
        f.write("theme:\n  primary: '#1d4f91'\n  font: media/body.woff2\n  font_family: Care Sans\n")
    files = Player(load_course(course)).files([])
    page = files["index.html"].decode()
    assert "assets/theme.css" not in files and "assets/theme.css" not in page
    assert 'url("content/media/body.woff2")' in page and "--accent: #1d4f91;" in page
    (course / "media" / "extra.css").write_text(".x { background: url(paper.png) }\n")
    with (course / "course.yaml").open("a") as f:
        f.write("  css: media/extra.css\n")
    files = Player(load_course(course)).files([])
    assert 'href="assets/theme.css"' in files["index.html"].decode()
    assert 'url("../content/media/body.woff2")' in files["assets/theme.css"].decode()
