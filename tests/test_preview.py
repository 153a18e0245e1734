"""scormbuild preview as an author uses it: a real server process, a real browser, real edits."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from coursekit import copy_sample


@pytest.fixture
def preview(tmp_path):
    course = copy_sample(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "scormbuild", "preview", str(course), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert "http://127.0.0.1:" in line, line + process.stderr.read()
    url = line.split(" at ")[1].split()[0]
    yield course, url, process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_preview_shows_what_the_course_reports_and_reloads_on_edits(preview, page):
    course, url, process = preview
    page.goto(url)
    frame = page.frame_locator("#course")
    expect(frame.locator("section.scene:not([hidden]) h1")).to_have_text("Welcome")
    frame.locator('section.scene:not([hidden]) [data-action="next"]').click()
    frame.locator('[data-choice="ignore-and-report"]').click()
    cmi = page.locator("#cmi")
    expect(cmi).to_contain_text("cmi.interactions.0.id")
    expect(cmi).to_contain_text("ignore-and-report")
    expect(page.locator("#statements")).to_contain_text("answered friend-request = ignore-and-report")

    # Live reload: the page reloads by itself and, like a real LMS, resumes at the same scene.
    feedback = course / "scenes" / "06-right-feedback.md"
    feedback.write_text(feedback.read_text().replace("Well done: that was", "Well done, edited: that was"), "utf-8")
    expect(frame.locator("section.scene:not([hidden]) h1")).to_have_text("Well done, edited: that was the right decision",
                                                                          timeout=10000)
    page.locator("#restart").click()
    expect(frame.locator("section.scene:not([hidden]) h1")).to_have_text("Welcome")
    welcome = course / "scenes" / "01-welcome.md"

    welcome.write_text(welcome.read_text().replace("kind: page", "kind: pgae"), "utf-8")
    expect(page.locator("#error")).to_contain_text("01-welcome.md:2:1: unknown scene kind `pgae`", timeout=10000)
    welcome.write_text(welcome.read_text().replace("kind: pgae", "kind: page"), "utf-8")
    expect(page.locator("#error")).to_be_hidden(timeout=10000)

    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err
