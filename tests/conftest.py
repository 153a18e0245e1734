"""Shared fixtures: the built sample course, a local web server, Chromium, the test LMS.

Helpers that tests import live in tests/support/ (``from support.coursekit import ...``);
tests/unit/ mirrors the source and needs no browser, tests/browser/ is marked `browser`."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import sandbox
from support.paths import HARNESS, SAMPLE, SCORM_AGAIN
from support.web import QuietHandler, Server, WebRoot

from scormbuild.commands.build import build

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (fuzz layers, sweeps, capped child processes); make test does")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests under tests/browser/ need Chromium, an LRS or an LMS runtime: `-m "not browser"` leaves
    them out. Tests marked slow run only with --slow, so `pytest -m "not browser"` is the quick loop."""
    skip_slow = pytest.mark.skip(reason="slow: run with --slow (make test does)")
    for item in items:
        if BROWSER_TESTS in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
        if "slow" in item.keywords and not config.getoption("--slow"):
            item.add_marker(skip_slow)


def pytest_runtest_setup(item: pytest.Item) -> None:
    sandbox.current_test_is_slow = item.get_closest_marker("slow") is not None


@pytest.fixture(scope="session")
def sample_dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample course built once per test run, by standard key."""
    out = tmp_path_factory.mktemp("dist")
    return {package.standard.key: package.path for package in build(SAMPLE, ["scorm12", "scorm2004", "xapi", "cmi5"], out)}


@pytest.fixture(scope="session")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebRoot]:
    if not SCORM_AGAIN.is_file():
        pytest.fail("scorm-again is not installed: run `make test` (it runs npm ci)")
    folder = tmp_path_factory.mktemp("web")
    shutil.copy(HARNESS, folder / "lms.html")
    shutil.copy(SCORM_AGAIN, folder / "scorm-again.min.js")
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = Server(("127.0.0.1", 0), handler)
    server.lms_stores = {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield WebRoot(folder, server)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1024, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture(scope="session")
def ralph(tmp_path_factory: pytest.TempPathFactory, web_root: WebRoot) -> Iterator[object]:
    """A real LRS (Ralph) on a free 127.0.0.1 port for the whole run; CORS open to the package server."""
    from support.lrs import RalphLRS

    lrs = RalphLRS(tmp_path_factory.mktemp("ralph"), cors_origin=web_root.base)
    lrs.start()
    yield lrs
    lrs.stop()


@pytest.fixture
def facade(ralph: object, web_root: WebRoot) -> Iterator[object]:
    """The test LMS's /lrs/ routes (cmi5 fetch, state, statements forwarded to Ralph), fresh per test."""
    from support.lrs import LmsFacade

    web_root.server.facade = LmsFacade(ralph)  # type: ignore[attr-defined]
    yield web_root.server.facade  # type: ignore[attr-defined]
    web_root.server.facade = None  # type: ignore[attr-defined]
    if ralph.process is None:  # type: ignore[attr-defined]
        ralph.start()  # type: ignore[attr-defined]
