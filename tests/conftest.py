"""Shared fixtures: the built sample course, a local web server, Chromium, the test LMS."""

from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import threading
import urllib.parse
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scormbuild.commands.build import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "professional-boundaries"
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm-again.min.js"
HARNESS = Path(__file__).resolve().parent / "harness" / "lms.html"


@pytest.fixture(scope="session")
def sample_dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample course built once per test run, by standard key."""
    out = tmp_path_factory.mktemp("dist")
    return {package.standard.key: package.path for package in build(SAMPLE, ["scorm12", "scorm2004", "xapi", "cmi5"], out)}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, plus the test LMS's /lrs/ routes when a facade is attached."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def _facade(self) -> bool:
        facade = getattr(self.server, "facade", None)
        parts = urllib.parse.urlsplit(self.path)
        if facade is None or not parts.path.startswith("/lrs/"):
            return False
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = facade.handle(self.command, parts.path, urllib.parse.parse_qs(parts.query),
                                                 dict(self.headers.items()), body)
        self.send_response(status)
        for name, value in headers.items():
            if value:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        return True

    def do_GET(self) -> None:
        if not self._facade():
            super().do_GET()

    def _lms_store(self) -> bool:
        """POST /lms-store/<session>: what the scorm-again test LMS stores at each commit and finish."""
        parts = urllib.parse.urlsplit(self.path)
        if not parts.path.startswith("/lms-store/"):
            return False
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        stores = getattr(self.server, "lms_stores", None)
        if stores is not None:
            stores.setdefault(parts.path[len("/lms-store/"):], []).append(body)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def do_POST(self) -> None:
        if not self._lms_store() and not self._facade():
            self.send_error(405)

    do_PUT = do_POST
    do_DELETE = do_POST


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


class WebRoot:
    """A folder served on 127.0.0.1 holding the test LMS page and extracted packages."""

    def __init__(self, folder: Path, server: http.server.HTTPServer) -> None:
        self.folder = folder
        self.server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"

    def add_package(self, zip_path: Path, name: str) -> str:
        """Extract a package under /pkg/<name>/ and return its launch URL path."""
        target = self.folder / "pkg" / name
        if target.exists():
            shutil.rmtree(target)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(target)
        return f"pkg/{name}/index.html"


@pytest.fixture(scope="session")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebRoot]:
    if not SCORM_AGAIN.is_file():
        pytest.fail("scorm-again is not installed: run `make test` (it runs npm ci)")
    folder = tmp_path_factory.mktemp("web")
    shutil.copy(HARNESS, folder / "lms.html")
    shutil.copy(SCORM_AGAIN, folder / "scorm-again.min.js")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
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
    from lrs import RalphLRS

    lrs = RalphLRS(tmp_path_factory.mktemp("ralph"), cors_origin=web_root.base)
    lrs.start()
    yield lrs
    lrs.stop()


@pytest.fixture
def facade(ralph: object, web_root: WebRoot) -> Iterator[object]:
    """The test LMS's /lrs/ routes (cmi5 fetch, state, statements forwarded to Ralph), fresh per test."""
    from lrs import LmsFacade

    web_root.server.facade = LmsFacade(ralph)  # type: ignore[attr-defined]
    yield web_root.server.facade  # type: ignore[attr-defined]
    web_root.server.facade = None  # type: ignore[attr-defined]
    if ralph.process is None:  # type: ignore[attr-defined]
        ralph.start()  # type: ignore[attr-defined]
