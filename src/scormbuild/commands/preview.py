"""scormbuild preview: the course on 127.0.0.1 with an emulated LMS and LRS.

The page shows the course beside a live panel of the CMI data it reports
(SCORM 1.2) and the xAPI statements it sends. The content folder is watched;
on a change the course is rebuilt and the page reloads, or the panel shows
the content error with its file and line. Any error in a rebuild, even a bug,
shows in the panel and the watching goes on.

Only this machine's own pages may use it: requests must name 127.0.0.1 or
localhost as their Host (no DNS rebinding), writes from another origin are
refused, and request bodies are capped.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from scormbuild.content.cache import SceneCache
from scormbuild.course import load_course
from scormbuild.errors import ScormbuildError, describe
from scormbuild.render import TEMPLATES_DIR, render_player
from scormbuild.standards import STANDARDS

PREVIEW_DIR = TEMPLATES_DIR / "preview"
WATCH_INTERVAL_S = 0.5
MAX_BODY_BYTES = 5 * 2**20  # statements the player posts are a few KB
MAX_STATEMENTS = 10_000  # kept for the panel


def _snapshot(folder: Path) -> dict[str, float]:
    """Modification times of every file in the content folder, to notice changes."""
    return {str(p): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


class PreviewState:
    """The current build of the course, the statements received, and who to tell about changes."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self.files: dict[str, bytes] = {}
        self.problem = ""
        self.statements: list[dict] = []
        self.listeners: list[queue.Queue[tuple[str, str]]] = []
        self.lock = threading.Lock()
        self.scene_cache = SceneCache()  # in memory: a reload parses only the files that changed
        self.rebuild()

    def rebuild(self) -> None:
        try:
            course = load_course(self.content_dir, self.scene_cache)
            self.scene_cache.save()
            files = render_player(course, STANDARDS["scorm12"].runtime_scripts)
            files["lrs.json"] = json.dumps({"endpoint": "/xapi/", "homePage": "http://preview.local"}).encode()
            with self.lock:
                self.files, self.problem = files, ""
            self.announce("reload", "")
        except ScormbuildError as error:
            self.show_problem(error.format(Path.cwd()))
        except Exception as error:  # noqa: BLE001 - a bug must not end the live reload
            self.show_problem(f"internal error while rebuilding: {type(error).__name__}: {describe(str(error), 300)}\n"
                              "This is a bug in scormbuild; the preview goes on watching your files.")

    def show_problem(self, text: str) -> None:
        with self.lock:
            self.problem = text
        self.announce("problem", text)

    def announce(self, event: str, data: str) -> None:
        with self.lock:
            for listener in self.listeners:
                listener.put((event, data))

    def add_statements(self, payload: object) -> list[str] | None:
        """Keep well-formed statements (an object with a text id, verb and object); None if any is not."""
        items = payload if isinstance(payload, list) else [payload]
        if not all(_statement_like(item) for item in items):
            return None
        with self.lock:
            known = {s["id"] for s in self.statements}
            for item in items:
                if item["id"] not in known and len(self.statements) < MAX_STATEMENTS:
                    self.statements.append(item)
                    known.add(item["id"])
        return [item["id"] for item in items]


def _statement_like(item: object) -> bool:
    return (isinstance(item, dict) and isinstance(item.get("id"), str)
            and isinstance(item.get("verb"), dict) and isinstance(item["verb"].get("id"), str)
            and isinstance(item.get("object"), dict) and isinstance(item["object"].get("id"), str))


def watch(state: PreviewState, stop: threading.Event) -> None:
    before: dict[str, float] = {}
    while not stop.wait(WATCH_INTERVAL_S):
        try:
            now = _snapshot(state.content_dir)
            if before and now != before:
                state.rebuild()
            before = now
        except Exception:  # noqa: BLE001 - a folder being edited can fail in many ways: try again next time
            continue


def make_handler(state: PreviewState, stop: threading.Event) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def send(self, status: int, body: bytes, content_type: str = "application/octet-stream") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def allowed(self) -> bool:
            """Only pages of this machine: a Host of 127.0.0.1 or localhost (a DNS rebinding page
            names its own host), and writes only from the preview's own origin."""
            host = self.headers.get("Host", "")
            port = self.server.server_address[1]
            own = {f"127.0.0.1:{port}", f"localhost:{port}"}
            origin = self.headers.get("Origin")
            if host not in own or (self.command != "GET" and origin is not None and
                                   origin not in {f"http://{h}" for h in own}):
                self.send(403, b"forbidden: the preview answers this machine's own pages only", "text/plain")
                return False
            return True

        def do_GET(self) -> None:
            if not self.allowed():
                return
            path = urlsplit(self.path).path
            if path == "/":
                self.send(200, (PREVIEW_DIR / "preview.html").read_bytes(), "text/html; charset=utf-8")
            elif path == "/preview/lms.js":
                self.send(200, (PREVIEW_DIR / "lms.js").read_bytes(), "text/javascript; charset=utf-8")
            elif path.startswith("/course/"):
                name = path[len("/course/"):] or "index.html"
                with state.lock:
                    body = state.files.get(name)
                if body is None:
                    self.send(404, b"not found", "text/plain")
                else:
                    self.send(200, body, mimetypes.guess_type(name)[0] or "application/octet-stream")
            elif path == "/xapi/statements":
                with state.lock:
                    body = json.dumps({"statements": state.statements}).encode()
                self.send(200, body, "application/json")
            elif path == "/events":
                self.stream_events()
            else:
                self.send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            self.receive()

        def do_PUT(self) -> None:
            self.receive()

        def receive(self) -> None:
            """POST or PUT: statements for the emulated LRS (xAPI answers ids to POST, nothing to PUT)."""
            if not self.allowed():
                return
            path = urlsplit(self.path).path
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY_BYTES:
                self.send(413 if length > 0 else 400, b"bad or too big Content-Length", "text/plain")
                self.close_connection = True
                return
            body = self.rfile.read(length) if length else b""
            if path == "/xapi/statements":
                try:
                    ids = state.add_statements(json.loads(body or b"null"))
                except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
                    ids = None
                if ids is None:
                    self.send(400, b"not xAPI statements", "text/plain")
                    return
                if self.command == "POST":
                    self.send(200, json.dumps(ids).encode(), "application/json")
                else:
                    self.send(204, b"")
            elif path == "/xapi/reset" and self.command == "POST":
                with state.lock:
                    state.statements.clear()
                self.send(204, b"")
            else:
                self.send(404, b"not found", "text/plain")

        def stream_events(self) -> None:
            listener: queue.Queue[tuple[str, str]] = queue.Queue()
            with state.lock:
                state.listeners.append(listener)
                problem = state.problem
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                if problem:
                    listener.put(("problem", problem))
                while not stop.is_set():
                    try:
                        event, data = listener.get(timeout=1)
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                        continue
                    lines = "".join(f"data: {line}\n" for line in (data or " ").splitlines())
                    self.wfile.write(f"event: {event}\n{lines}\n".encode())
                    self.wfile.flush()
            except OSError:
                pass
            finally:
                with state.lock:
                    state.listeners.remove(listener)
                self.close_connection = True

    return Handler


def serve(content_dir: Path, port: int, on_ready=print) -> None:  # noqa: ANN001
    """Serve until Ctrl-C; returns normally after a clean shutdown."""
    state = PreviewState(content_dir)
    stop = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state, stop))
    server.daemon_threads = True
    watcher = threading.Thread(target=watch, args=(state, stop), daemon=True)
    watcher.start()
    on_ready(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        time.sleep(0.1)
