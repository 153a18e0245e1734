"""A local web server for tests and benchmarks: static files (the test LMS page and extracted
packages), the scorm-again test LMS's /lms-store/ beacon, and an LRS facade under /lrs/."""

from __future__ import annotations

import http.server
import shutil
import socketserver
import urllib.parse
import zipfile
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
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


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
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
