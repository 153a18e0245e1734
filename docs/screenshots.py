"""The guide's screenshots, taken in headless Chromium from the example course the pages show.

    python docs/screenshots.py [DOCS_DIR]

builds docs/examples/safeguarding (SCORM 1.2), opens it without an LMS and writes one PNG per
entry of SHOTS into DOCS_DIR/shots/ (default: this folder). `make docs` runs it before MkDocs;
the docs tests run it on their own copy of docs/, so the pictures never go stale and none is
committed. Chromium is Debian's (`chromium`), started by Playwright; nothing is downloaded.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXAMPLE = "examples/safeguarding"
VIEWPORT = {"width": 760, "height": 900}


def _write_a_reflection(scene: Any) -> None:
    scene.get_by_role("textbox").fill("Thank you for telling me. It is not your fault. I need to tell our "
                                      "safeguarding lead today, and I will tell you what happens next.")
    scene.get_by_role("button", name="Submit").click()


def _answer_the_first_question(scene: Any) -> None:
    scene.get_by_role("radio", name="Your safeguarding lead").check()
    scene.get_by_role("button", name="Check answer").first.click()


def _choose_to_promise(page: Any) -> None:
    """Arrive at the feedback as a learner does, so that it starts with its right/wrong signal."""
    page.evaluate("ScormbuildPlayer.show('the-promise')")
    page.locator("#scene-the-promise").get_by_role("button", name="Promise to keep it secret").click()


def _play_to_the_end(page: Any) -> None:
    """A learner who chose well and answered the first quiz right and the others wrong."""
    page.evaluate("ScormbuildPlayer.show('the-promise')")
    page.locator("#scene-the-promise").get_by_role("button", name="Say you cannot promise").click()
    page.evaluate("ScormbuildPlayer.show('what-would-you-say')")
    _write_a_reflection(page.locator("#scene-what-would-you-say"))
    page.evaluate("ScormbuildPlayer.show('check-your-knowledge')")
    quiz = page.locator("#scene-check-your-knowledge")
    _answer_the_first_question(quiz)
    quiz.get_by_role("checkbox", name="The person's own words").check()
    quiz.get_by_role("button", name="Check answer").nth(1).click()
    quiz.get_by_role("radio", name="False").check()
    quiz.get_by_role("button", name="Check answer").nth(2).click()


@dataclass(frozen=True)
class Shot:
    """One screenshot of a scene of the example course, each in a new browser context (no saved
    progress): `before` plays other scenes first, `act` does something in the scene itself."""

    file: str
    scene: str
    act: Callable[[Any], None] | None = field(default=None, compare=False)
    before: Callable[[Any], None] | None = field(default=None, compare=False)


SHOTS = (
    Shot("page.png", "welcome"),
    Shot("dialogue.png", "a-quiet-word"),
    Shot("decision.png", "the-promise"),
    Shot("feedback.png", "promise-feedback", before=_choose_to_promise),
    Shot("reflection.png", "what-would-you-say"),
    Shot("reflection-submitted.png", "what-would-you-say", _write_a_reflection),
    Shot("quiz.png", "check-your-knowledge"),
    Shot("quiz-checked.png", "check-your-knowledge", _answer_the_first_question),
    Shot("quiz-more.png", "more-questions"),
    Shot("end.png", "end", before=_play_to_the_end),
)


def _unzipped_package(example: Path, work: Path) -> Path:
    from scormbuild.commands.build import build

    [package] = build(example, ["scorm12"], work / "dist")
    folder = work / "package"
    with zipfile.ZipFile(package.path) as archive:
        archive.extractall(folder)
    return folder / "index.html"


def take_screenshots(docs_dir: Path, browser: Any) -> list[Path]:
    """Write every shot of SHOTS into docs_dir/shots/ with an open Playwright browser; the files written."""
    out = docs_dir / "shots"
    out.mkdir(exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as work:
        index = _unzipped_package(docs_dir / EXAMPLE, Path(work))
        for shot in SHOTS:
            context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce")
            try:
                page = context.new_page()
                page.goto(index.as_uri())
                page.wait_for_function("() => window.ScormbuildPlayer !== undefined")
                if shot.before is not None:
                    shot.before(page)
                page.evaluate("id => document.getElementById(`scene-${id}`).hidden && ScormbuildPlayer.show(id)",
                              shot.scene)
                scene = page.locator(f"#scene-{shot.scene}")
                scene.wait_for(state="visible")
                if shot.act is not None:
                    shot.act(scene)
                page.evaluate("document.activeElement && document.activeElement.blur()")
                # every picture of the scene loaded (they load lazily, once shown)
                page.wait_for_function(
                    "id => [...document.querySelectorAll(`#scene-${id} img`)].every(i => i.complete)", arg=shot.scene)
                scene.screenshot(path=str(out / shot.file), animations="disabled")
                written.append(out / shot.file)
            finally:
                context.close()
    return written


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless (never a browser Playwright would download)."""
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Debian's chromium is not installed: run `make setup` (it installs it)")
    return playwright.chromium.launch(executable_path=executable, args=["--headless", "--no-sandbox"])


def main(docs_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            written = take_screenshots(docs_dir, browser)
        finally:
            browser.close()
    print(f"screenshots: {len(written)} written into {docs_dir / 'shots'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
