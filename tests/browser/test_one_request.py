"""A package's index.html is the whole player: the first scene works with nothing else fetched."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from scormbuild.standards import STANDARDS


@pytest.mark.parametrize("standard", list(STANDARDS))
def test_the_first_scene_works_when_every_request_but_the_page_fails(page, web_root, sample_dist, standard):
    """Every request for a file of the package is recorded and refused, except index.html: the first
    scene is shown and its button works. Before it was ready (the scormbuild:interactive mark) the
    page asked only for what it does not wait for: a SCORM package's lrs.json (an LRS to mirror
    statements to). SCORM packages run in scorm-again, xAPI and cmi5 ones without an LRS."""
    path = web_root.add_package(sample_dist[standard], f"inline-{standard}")
    folder = f"/{path.rsplit('/', 1)[0]}/"
    requested: list[str] = []

    def refuse_the_packages_files_but_the_page(route: Route) -> None:
        url = route.request.url.split("?")[0]
        if folder not in url:
            route.continue_()  # the LMS page and scorm-again
            return
        requested.append(url.split(folder)[-1])
        if requested[-1] == "index.html":
            route.continue_()
        else:
            route.abort()

    page.route("**/*", refuse_the_packages_files_but_the_page)
    if STANDARDS[standard].reads_lrs_config:
        page.goto(f"{web_root.base}/lms.html")
        page.evaluate("([standard, src]) => startLms(standard, src, null)", [standard, path])
        course = page.frame_locator("#course")
        frame = page.frame(url=lambda url: folder in url)
        while frame is None:
            page.wait_for_timeout(50)
            frame = page.frame(url=lambda url: folder in url)
    else:
        page.goto(f"{web_root.base}/{path}")
        course, frame = page, page.main_frame
    frame.wait_for_function("performance.getEntriesByName('scormbuild:interactive').length > 0")
    before = frame.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => r.startTime < performance.getEntriesByName('scormbuild:interactive')[0].startTime)
        .map(r => r.name.split('?')[0].split('/').pop())""")
    assert set(before) <= ({"lrs.json"} if STANDARDS[standard].reads_lrs_config else set())
    assert requested[0] == "index.html"
    scene = course.locator("section.scene:not([hidden])")
    expect(scene).to_have_attribute("data-scene", "welcome")
    assert frame.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"  # styled
    scene.locator('[data-action="next"]').click()
    expect(course.locator("section.scene:not([hidden])")).to_have_attribute("data-scene", "friend-request")
    assert page.js_errors == []
