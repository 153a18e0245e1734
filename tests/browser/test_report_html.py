"""The HTML report opened from disk in Chromium with the network cut off: every chart drawn,
nothing asked of the network, no console error, axe-core clean, searchable, printable, and no
sideways scrolling on a 320 px screen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support.paths import DATA, SAMPLE

from scormbuild.analytics.coursemap import load_course_map
from scormbuild.analytics.html import write_html

SUMMARY = DATA / "report" / "summary.json"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    summary = json.loads(SUMMARY.read_text("utf-8"))
    return write_html(summary, load_course_map(SAMPLE), tmp_path_factory.mktemp("report") / "report.html")


def open_offline(page: Page, report: Path) -> tuple[list[str], list[str]]:
    """Open the report with every request but file:// refused; the requests refused and the
    console's errors and warnings, filled in as the page runs."""
    asked: list[str] = []
    console: list[str] = []

    def refuse(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    page.route("**/*", refuse)
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.goto(report.as_uri())
    expect(page.locator("html")).to_have_attribute("data-charts", "done")
    return asked, console


def test_every_chart_is_drawn_offline_without_an_error(page, report):
    asked, console = open_offline(page, report)
    charts = page.locator("[data-chart]")
    assert charts.count() >= 8
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-rendered", "svg")
        assert chart.locator("svg .mark-rect, svg .mark-symbol").count() >= 1  # bars or points, not an empty frame
    expect(page.locator("#flow svg")).to_be_visible()
    assert asked == []
    assert console == []


@pytest.mark.parametrize("width", [1280, 320])
def test_the_report_has_no_axe_violations(browser, report, width):
    from test_learner_experience import AXE, axe_violations

    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make test` (it runs npm ci)")
    # axe-core is added as a script of its own, which the report's CSP (its own scripts' hashes only) refuses
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        _, console = open_offline(page, report)
        assert console == []
        assert axe_violations(page) == []
        for summary in page.locator("details > summary").all():  # the licences
            summary.click()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_320_px_wide_has_no_sideways_scrolling(page, report):
    page.set_viewport_size({"width": 320, "height": 700})
    open_offline(page, report)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_search_box_filters_the_reflections(page, report):
    open_offline(page, report)
    texts = page.locator(".reflection .text")
    total = texts.count()
    assert total == 7
    search = page.get_by_label("Search the texts")
    search.fill("supervisor")
    expect(page.locator(".reflection .text:not([hidden])")).to_have_count(1)
    expect(page.locator("#reflection-count")).to_have_text(f"1 of {total} texts match.")
    expect(page.locator(".reflection .text:not([hidden])")).to_contain_text("Talk to my supervisor first")
    expect(page.locator(".reflection").first.locator(".no-match")).to_be_visible()  # nothing in the first prompt
    search.fill("LEARNER 7F3A")  # the pseudonym, in any case
    expect(page.locator(".reflection .text:not([hidden])")).to_have_count(2)
    search.fill("")
    expect(page.locator(".reflection .text:not([hidden])")).to_have_count(total)
    expect(page.locator(".no-match:not([hidden])")).to_have_count(0)


def test_printing_shows_every_section_and_chart_without_the_page_controls(page, report):
    open_offline(page, report)
    page.emulate_media(media="print")
    expect(page.locator(".toc")).to_be_hidden()
    expect(page.locator("#reflection-search")).to_be_hidden()
    for section in ("about", "overview", "flow", "decisions", "questions", "reflections", "time"):
        expect(page.locator(f"#{section}")).to_be_visible()
    expect(page.locator("[data-chart] svg").first).to_be_visible()
    expect(page.locator(".reflection .text").first).to_be_visible()
    expect(page.locator(".no-match:visible")).to_have_count(0)  # no search was made
    expect(page.get_by_role("table", name="Ways taken between scenes")).to_be_visible()  # the graph's numbers
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 4


def test_hostile_learner_text_runs_nothing(page, tmp_path):
    """A reflection, a name, a typed answer and a choice's text that try to run script: shown as text."""
    summary = json.loads(SUMMARY.read_text("utf-8"))
    attack = "</script><script>alert(1)</script>\u2028<img src=x onerror=alert(2)>"
    summary["reflections"][1]["texts"][0].update(text=attack, learner=attack)
    summary["questions"][4]["responses"][0]["response"] = attack
    summary["decisions"][0]["choices"][0]["text"] = attack
    report = write_html(summary, load_course_map(SAMPLE), tmp_path / "hostile.html")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    asked, console = open_offline(page, report)
    assert dialogs == [] and asked == [] and console == []
    expect(page.locator("img")).to_have_count(0)
    expect(page.locator(".reflection blockquote").filter(has_text="<img src=x onerror=alert(2)>")).to_have_count(1)
    expect(page.locator("[data-chart]").first).to_have_attribute("data-rendered", "svg")
