"""The guide's screenshots are taken from its example course in headless Chromium (one browser for
all of them), then the guide with them builds with `mkdocs build --strict`."""

from __future__ import annotations

from pathlib import Path

import imagesize
from support.docs_site import build_site, copy_of_docs, docs_module

screenshots = docs_module("screenshots")


def test_the_screenshots_show_each_scene_and_the_guide_builds_with_them(browser, tmp_path: Path):
    docs_dir = copy_of_docs(tmp_path / "docs")
    written = screenshots.take_screenshots(docs_dir, browser)
    assert sorted(path.name for path in written) == sorted(shot.file for shot in screenshots.SHOTS)
    for path in written:
        width, height = imagesize.get(path)
        # the scene's card at the shots' viewport width, at least its heading and one line
        assert width >= screenshots.VIEWPORT["width"] - 100 and height >= 150, (path.name, width, height)
    build_site(docs_dir, tmp_path / "site")
    for path in written:
        assert (tmp_path / "site" / "shots" / path.name).read_bytes() == path.read_bytes()
