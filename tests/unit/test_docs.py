"""The user guide builds with `mkdocs build --strict` (a broken link, anchor or snippet fails), its
generated pages cover every command and key, and its example course is one an author can copy.

Screenshots are taken in tests/browser/test_docs_screenshots.py; here each is a placeholder."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from mkdocs.exceptions import Abort
from support.coursekit import run
from support.docs_site import DOCS, PLACEHOLDER_PNG, build_site, copy_of_docs, docs_module, shots_linked_from_pages

from scormbuild import reference
from scormbuild.cli import main as cli_main

screenshots = docs_module("screenshots")


def _with_placeholder_shots(docs_dir: Path) -> Path:
    (docs_dir / "shots").mkdir()
    for shot in screenshots.SHOTS:
        (docs_dir / "shots" / shot.file).write_bytes(PLACEHOLDER_PNG)
    return docs_dir


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("guide")
    build_site(_with_placeholder_shots(copy_of_docs(folder / "docs")), folder / "site")
    return folder / "site"


def test_the_guide_builds_strictly_with_every_page_of_the_nav(site: Path):
    for page in ("getting-started", "scenes", "scoring", "lms/moodle", "reference/cli", "reference/keys"):
        assert (site / page / "index.html").is_file(), page
    # the example course's own files, included as snippets, and its screenshots
    scenes = (site / "scenes" / "index.html").read_text("utf-8")
    assert "Promise first. Then I" in scenes
    assert '<img alt="The decision: the question' in scenes and 'src="../shots/decision.png"' in scenes
    # the tooling and the example course beside the pages are not published
    published = {path.name for path in site.rglob("*")}
    assert not published & {"hooks.py", "screenshots.py", "examples", "__pycache__", "course.yaml"}


def test_a_broken_link_fails_the_build(tmp_path: Path):
    docs_dir = _with_placeholder_shots(copy_of_docs(tmp_path / "docs"))
    page = docs_dir / "scoring.md"
    page.write_text(page.read_text("utf-8") + "\nSee [the missing page](no-such-page.md).\n", "utf-8")
    with pytest.raises(Abort):
        build_site(docs_dir, tmp_path / "site")


def test_a_missing_example_file_fails_the_build(tmp_path: Path):
    docs_dir = _with_placeholder_shots(copy_of_docs(tmp_path / "docs"))
    (docs_dir / "examples" / "safeguarding" / "scenes" / "09-end.md").unlink()
    with pytest.raises(Exception, match="09-end.md"):
        build_site(docs_dir, tmp_path / "site")


def test_the_cli_reference_lists_every_command_and_option(site: Path):
    page = (site / "reference" / "cli" / "index.html").read_text("utf-8")
    context = click.Context(cli_main, info_name="scormbuild")
    for name in cli_main.list_commands(context):
        command = cli_main.get_command(context, name)
        assert command is not None
        assert f'id="scormbuild-{name}"' in page, name
        for option in command.params:
            if isinstance(option, click.Option) and not option.hidden:
                assert f"<code>{option.opts[-1]}</code>" in page, (name, option.opts)
    assert "--no-cache" not in page  # hidden options stay hidden


def test_the_key_reference_is_the_declared_keys(site: Path):
    markdown = docs_module("hooks").keys_reference()
    assert reference.markdown() in markdown
    page = (site / "reference" / "keys" / "index.html").read_text("utf-8")
    for key in ("pass_mark", "choices[].correct", "questions[].accepted", "theme.primary", "characters[].portrait"):
        assert f"<code>{key}</code>" in page, key


def test_every_screenshot_on_a_page_is_taken_and_every_one_taken_is_shown():
    taken = {shot.file for shot in screenshots.SHOTS}
    assert shots_linked_from_pages(DOCS) == taken


def test_the_example_course_validates_strictly_and_has_every_shot_scene():
    example = DOCS / screenshots.EXAMPLE
    result = run("validate", str(example), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    scene_ids = {path.stem.split("-", 1)[1] for path in (example / "scenes").glob("*.md")}
    assert {shot.scene for shot in screenshots.SHOTS} <= scene_ids
