"""scormbuild preview: the course on 127.0.0.1 beside a panel, with a real LMS or a small LRS.

The files are the ones `build` packages for the chosen format (``package_files``), except that
the player is loaded from assets/ instead of inlined in index.html (``Player(inline=False)``). For SCORM
1.2 and 2004 the page runs scorm-again (templates/preview/) as the LMS, so the panel shows
what a strict LMS refuses as well as the CMI data; the xAPI statements the player mirrors go
to this server. For xAPI and cmi5 this server is the LRS (statements and state documents in
memory) and, for cmi5, the LMS that writes LMS.LaunchData and answers the fetch URL.

The files a build reads are watched (watchfiles: OS events, editor swap files ignored); on
a change the course is rebuilt and the page reloads, or the panel shows the content error
with its file and line. Warnings show in the panel and on the console. Any error in a
rebuild, even a bug, shows in the panel and the watching goes on.

Only this machine's own pages may use it: requests must name 127.0.0.1 or localhost as
their Host (no DNS rebinding), writes from another origin are refused, request bodies and
what is kept in memory are capped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import queue
import signal
import sys
import threading
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlencode, urlsplit

import watchfiles
from lxml import etree

from scormbuild.commands.build import LrsConfig, package_files
from scormbuild.content.cache import SceneCache
from scormbuild.content.loader import COURSE_FILE, SCENES_DIR
from scormbuild.course import load_course
from scormbuild.errors import ScormbuildError, describe
from scormbuild.lint import course_warnings
from scormbuild.render import Player
from scormbuild.standards import STANDARDS
from scormbuild.standards.base import LAUNCH_FILE
from scormbuild.standards.cmi5 import CMI5_NS
from scormbuild.standards.cmi5 import MANIFEST as CMI5_MANIFEST

TEMPLATES_DIR = Path(str(resources.files("scormbuild.templates")))
PREVIEW_DIR = TEMPLATES_DIR / "preview"
# The page's scripts, by the name the page asks for. The panel reads stored values back with the
# player's own helpers (common.js: decodeText, parseComments), so both sides always agree.
PAGE_SCRIPTS = {name: PREVIEW_DIR / name for name in ("preview.js", "panel.js", "strict-lms.js", "scorm-again.min.js")}
PAGE_SCRIPTS["common.js"] = TEMPLATES_DIR / "assets" / "runtime" / "common.js"
MAX_BODY_BYTES = 5 * 2**20  # statements the player posts are a few KB
MAX_STATEMENTS = 10_000  # kept for the panel
MAX_DOCUMENT_BYTES = 20 * 2**20  # all xAPI state documents together (the player keeps one per registration)
MAX_SESSIONS = 100  # cmi5 launches whose fetch URL is remembered (one per reload)
KEEPALIVE_S = 15  # a comment line on the event stream this often
# The LRS of the preview, written into lrs.json by package_files as `build --lrs-*` does.
PREVIEW_LRS = LrsConfig(endpoint="/xapi/", key="preview", secret="preview")
LEARNER_ID, LEARNER_NAME = "preview", "Preview, Learner"  # the learner of every format
SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


class PreviewState:
    """The current build of the course for one format, the LRS's data, and who to tell about changes."""

    def __init__(self, content_dir: Path, format_key: str = "scorm12",
                 report: Callable[[str], object] = lambda text: None) -> None:
        self.content_dir = content_dir
        self.root = content_dir.resolve()
        self.standard = STANDARDS[format_key]
        self.report = report  # the console
        self.files: dict[str, bytes] = {}
        self.referenced: set[str] = set()  # files the course refers to, by absolute path
        self.pass_mark: int | None = None
        self.problem = ""
        self.warnings: list[str] = []
        self.statements: list[dict[str, Any]] = []
        self.documents: dict[tuple[str, str, str, str], bytes] = {}  # (activity, agent, registration, id)
        self.sessions: dict[str, bool] = {}  # cmi5 session -> whether its fetch URL was used
        self.registration = str(uuid.uuid4())
        self.listeners: list[queue.Queue[tuple[str, str] | None]] = []
        self.lock = threading.Lock()
        self.scene_cache = SceneCache()  # in memory: a reload parses only the files that changed
        self.rebuild()

    def rebuild(self) -> None:
        try:
            course = load_course(self.content_dir, self.scene_cache)
            self.scene_cache.save()
            # Scripts as files: a reload after an edit reuses what the browser compiled.
            files = package_files(Player(course, inline=False), self.standard, PREVIEW_LRS)
            warnings = [warning.format(Path.cwd()) for warning in course_warnings(course)]
            sources = [asset.source for asset in course.assets]
            if course.theme.custom_css is not None:
                sources.append(course.theme.custom_css.source)
            with self.lock:
                self.files, self.problem, self.pass_mark = files, "", course.pass_mark
                self.referenced = {os.path.abspath(p) for p in sources} | {str(Path(p).resolve()) for p in sources}
                changed, self.warnings = warnings != self.warnings, warnings
            if changed and warnings:
                self.report("\n".join(warnings))
            self.announce("warnings", json.dumps(warnings))
            self.announce("reload", "")
        except ScormbuildError as error:
            self.show_problem(error.format(Path.cwd()))
        except Exception as error:  # noqa: BLE001 - a bug must not end the live reload
            self.show_problem(f"internal error while rebuilding: {type(error).__name__}: {describe(str(error), 300)}\n"
                              "This is a bug in scormbuild; the preview goes on watching your files.")

    def reads(self, path: str) -> bool:
        """Whether a build reads this file: course.yaml, a scene, a file the course refers to.
        While the course has an error, any file: the one it misses may just have been added."""
        with self.lock:
            if self.problem or path in self.referenced:
                return True
        where = Path(path)
        scenes = self.root / SCENES_DIR
        return (where in (self.root / COURSE_FILE, scenes)
                or (where.parent == scenes and where.suffix == ".md" and not where.name.startswith(".")))

    def show_problem(self, text: str) -> None:
        with self.lock:
            self.problem = text
        self.announce("problem", text)

    def announce(self, event: str, data: str) -> None:
        with self.lock:
            for listener in self.listeners:
                listener.put((event, data))

    def close(self) -> None:
        """End every event stream now."""
        with self.lock:
            for listener in self.listeners:
                listener.put(None)

    # -- the LRS -----------------------------------------------------------------------------------

    def add_statements(self, payload: object) -> list[str] | None:
        """Keep well-formed statements (an object with a text id, verb and object); None if any is not."""
        candidates = payload if isinstance(payload, list) else [payload]
        if not all(_statement_like(item) for item in candidates):
            return None
        items = cast("list[dict[str, Any]]", candidates)  # _statement_like: each is a dict with a text id
        with self.lock:
            known = {s["id"] for s in self.statements}
            for item in items:
                if item["id"] not in known and len(self.statements) < MAX_STATEMENTS:
                    self.statements.append(item)
                    known.add(item["id"])
        self.announce("statements", "")
        return [item["id"] for item in items]

    def put_document(self, key: tuple[str, str, str, str], body: bytes) -> bool:
        with self.lock:
            others = sum(len(value) for name, value in self.documents.items() if name != key)
            if others + len(body) > MAX_DOCUMENT_BYTES:
                return False
            self.documents[key] = body
        return True

    def reset(self) -> None:
        """A new attempt: no statements, no documents, another registration."""
        with self.lock:
            self.statements.clear()
            self.documents.clear()
            self.sessions.clear()
            self.registration = str(uuid.uuid4())
        self.announce("statements", "")

    # -- launching ---------------------------------------------------------------------------------

    def launch(self, origin: str) -> dict[str, object]:
        """What the page needs to start the course once: its address (with the launch parameters
        for xAPI and cmi5) and, for SCORM, the learner and pass mark the LMS hands the SCO."""
        key = self.standard.key
        actor = {"objectType": "Agent", "name": LEARNER_NAME, "account": {"homePage": origin, "name": LEARNER_ID}}
        params: dict[str, str] = {}
        if key in ("xapi", "cmi5"):
            params = {"endpoint": f"{origin}/xapi/", "actor": json.dumps(actor), "registration": self.registration}
        if key == "xapi":
            params["auth"] = json.loads(PREVIEW_LRS.as_file())["auth"]  # the credential lrs.json carries
        elif key == "cmi5":
            activity, launch_data = self.cmi5_launch_data()
            session = str(uuid.uuid4())
            launch_data["contextTemplate"]["extensions"] = {SESSION_EXTENSION: session}
            with self.lock:
                while len(self.sessions) >= MAX_SESSIONS:
                    del self.sessions[next(iter(self.sessions))]  # the oldest launch
                self.sessions[session] = False
            self.put_document((activity, agent_key(actor), self.registration, "LMS.LaunchData"),
                              json.dumps(launch_data).encode())
            params.update(fetch=f"{origin}/cmi5/fetch/{session}", activityId=activity)
        with self.lock:
            pass_mark = self.pass_mark
        return {"format": key, "label": self.standard.label, "passMark": pass_mark,
                "learner": {"id": LEARNER_ID, "name": LEARNER_NAME},
                "url": "/course/index.html" + ("?" + urlencode(params) if params else "")}

    def cmi5_launch_data(self) -> tuple[str, dict[str, Any]]:
        """The AU's id and LMS.LaunchData, read from the course structure as an LMS imports it."""
        with self.lock:
            manifest = self.files.get(CMI5_MANIFEST, b"")
        au = etree.fromstring(manifest).find(f"{{{CMI5_NS}}}au") if manifest else None
        if au is None:
            return "urn:scormbuild:preview", {"contextTemplate": {}, "launchMode": "Normal"}
        data: dict[str, Any] = {"contextTemplate": {}, "launchMode": "Normal",
                                "moveOn": au.get("moveOn", "NotApplicable")}
        mastery_score = au.get("masteryScore")
        if mastery_score:
            data["masteryScore"] = float(mastery_score)
        return au.get("id", ""), data

    def fetch_token(self, session: str) -> dict[str, str]:
        """The cmi5 fetch URL: a credential once per session (cmi5 8.2.3), an error after."""
        with self.lock:
            used = self.sessions.get(session)
            if used is None:
                return {"error-code": "2", "error-text": "no such launch session"}
            if used:
                return {"error-code": "1", "error-text": "this fetch URL has been used already"}
            self.sessions[session] = True
        return {"auth-token": base64.b64encode(f"preview:{session}".encode()).decode()}


def _statement_like(item: object) -> bool:
    return (isinstance(item, dict) and isinstance(item.get("id"), str)
            and isinstance(item.get("verb"), dict) and isinstance(item["verb"].get("id"), str)
            and isinstance(item.get("object"), dict) and isinstance(item["object"].get("id"), str))


def agent_key(agent: object) -> str:
    """An agent's identity (its inverse functional identifier), whatever the order of its keys."""
    if isinstance(agent, str):
        try:
            agent = json.loads(agent)
        except (json.JSONDecodeError, RecursionError):
            return ""
    if not isinstance(agent, dict):
        return ""
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')}|{account.get('name')}"
    for name in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(agent.get(name), str):
            return f"{name}:{agent[name]}"
    return ""


# -- watching -------------------------------------------------------------------------------------

class CourseFiles(watchfiles.DefaultFilter):
    """Changes to files a build reads; editor swap, backup and lock files never count."""

    def __init__(self, state: PreviewState) -> None:
        super().__init__()
        self.state = state

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return super().__call__(change, path) and self.state.reads(path)


def watch(state: PreviewState, stop: threading.Event) -> None:
    """Rebuild on each batch of changes until ``stop`` is set. A batch ends 20 ms after its last
    change (an editor's save is one write or a write and a rename, well within that), or after
    400 ms of changes in a row; watchfiles' default of 50 ms added 50 to 100 ms to every edit."""
    while not stop.is_set():
        try:
            for _ in watchfiles.watch(state.root, watch_filter=CourseFiles(state), stop_event=stop,
                                      step=20, debounce=400, raise_interrupt=False):
                state.rebuild()
        except Exception as error:  # noqa: BLE001 - the folder itself removed or renamed: try again
            state.show_problem(f"cannot watch {state.content_dir}: {describe(str(error), 200)}")
            stop.wait(1)


# -- the server -----------------------------------------------------------------------------------

class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, state: PreviewState) -> None:
        super().__init__(("127.0.0.1", port), PreviewHandler)
        self.state = state

    def handle_error(self, request: object, client_address: object) -> None:
        """Instead of socketserver's traceback: nothing when the browser went away (a tab closed
        or reloaded mid-answer), one line for anything else, and the preview goes on."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        self.state.report(f"preview: internal error while answering the browser: {type(error).__name__}: "
                          f"{describe(str(error), 300)}\nThis is a bug in scormbuild; the preview goes on.")

    def own_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body of a small answer
    # waited for the browser's delayed ACK, 40 ms on each reload (bench/run.py, preview edit).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    @property
    def state(self) -> PreviewState:
        return self.server.state

    def send(self, status: int, body: bytes = b"", content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_course_file(self, body: bytes, content_type: str) -> None:
        """A file of the package, which the browser may keep if it asks first: on a live reload
        only what changed is sent again, and Chromium reuses the scripts it has compiled."""
        tag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        if tag in (self.headers.get("If-None-Match") or "").replace(" ", "").split(","):
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", tag)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, value: object, status: int = 200) -> None:
        self.send(status, json.dumps(value).encode(), "application/json")

    def allowed(self) -> bool:
        """Only pages of this machine: a Host of 127.0.0.1 or localhost (a DNS rebinding page
        names its own host), and writes only from the preview's own origin."""
        own = self.server.own_hosts()
        origin = self.headers.get("Origin")
        if self.headers.get("Host", "") not in own or (
                self.command != "GET" and origin is not None and origin not in {f"http://{h}" for h in own}):
            self.send(403, b"forbidden: the preview answers this machine's own pages only")
            return False
        return True

    def do_GET(self) -> None:
        if not self.allowed():
            return
        url = urlsplit(self.path)
        path = url.path
        if path == "/":
            self.send(200, (PREVIEW_DIR / "preview.html").read_bytes(), "text/html; charset=utf-8")
        elif path.startswith("/preview/") and path[len("/preview/"):] in PAGE_SCRIPTS:
            self.send(200, PAGE_SCRIPTS[path[len("/preview/"):]].read_bytes(), "text/javascript; charset=utf-8")
        elif path.startswith("/course/"):
            name = path[len("/course/"):] or LAUNCH_FILE
            with self.state.lock:
                body = self.state.files.get(name)
            if body is None:
                self.send(404, b"not found")
            else:
                self.send_course_file(body, mimetypes.guess_type(name)[0] or "application/octet-stream")
        elif path == "/xapi/statements":
            with self.state.lock:
                body = json.dumps({"statements": self.state.statements}).encode()
            self.send(200, body, "application/json")
        elif path == "/xapi/activities/state":
            key = self.document_key(url.query)
            with self.state.lock:
                body = self.state.documents.get(key) if key else None
            if key is None:
                self.send(400, b"activityId, agent and stateId are required")
            elif body is None:
                self.send(404, b"no such document")
            else:
                self.send(200, body, "application/json")
        elif path == "/events":
            self.stream_events()
        else:
            self.send(404, b"not found")

    def do_POST(self) -> None:
        self.receive()

    def do_PUT(self) -> None:
        self.receive()

    def receive(self) -> None:
        """POST or PUT: the LRS (statements, state documents), the cmi5 fetch URL, and the panel's calls."""
        if not self.allowed():
            return
        url = urlsplit(self.path)
        path = url.path
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY_BYTES:
            self.send(413 if length > 0 else 400, b"bad or too big Content-Length")
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        if path == "/xapi/statements":
            self.receive_statements(body)
        elif path == "/xapi/activities/state":
            key = self.document_key(url.query)
            if key is None:
                self.send(400, b"activityId, agent and stateId are required")
            elif self.state.put_document(key, body):
                self.send(204)
            else:
                self.send(507, b"the preview keeps no more documents; press Start over")
        elif path.startswith("/cmi5/fetch/") and self.command == "POST":
            self.send_json(self.state.fetch_token(path[len("/cmi5/fetch/"):]))
        elif path == "/preview/launch" and self.command == "POST":
            self.send_json(self.state.launch(f"http://{self.headers['Host']}"))
        elif path == "/xapi/reset" and self.command == "POST":
            self.state.reset()
            self.send(204)
        else:
            self.send(404, b"not found")

    def receive_statements(self, body: bytes) -> None:
        """xAPI answers the ids to a POST, nothing to a PUT."""
        try:
            ids = self.state.add_statements(json.loads(body or b"null"))
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            ids = None
        if ids is None:
            self.send(400, b"not xAPI statements")
        elif self.command == "POST":
            self.send_json(ids)
        else:
            self.send(204)

    def document_key(self, query: str) -> tuple[str, str, str, str] | None:
        fields = {name: values[0] for name, values in parse_qs(query).items()}
        agent = agent_key(fields.get("agent", ""))
        if not (fields.get("activityId") and agent and fields.get("stateId")):
            return None
        return fields["activityId"], agent, fields.get("registration", ""), fields["stateId"]

    def stream_events(self) -> None:
        listener: queue.Queue[tuple[str, str] | None] = queue.Queue()
        with self.state.lock:
            self.state.listeners.append(listener)
            problem, warnings = self.state.problem, self.state.warnings
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        listener.put(("warnings", json.dumps(warnings)))
        if problem:
            listener.put(("problem", problem))
        try:
            while True:
                try:
                    item = listener.get(timeout=KEEPALIVE_S)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                if item is None:
                    break
                event, data = item
                lines = "".join(f"data: {line}\n" for line in (data or " ").splitlines())
                self.wfile.write(f"event: {event}\n{lines}\n".encode())
                self.wfile.flush()
        except OSError:
            pass
        finally:
            with self.state.lock:
                self.state.listeners.remove(listener)
            self.close_connection = True


def serve(content_dir: Path, port: int, on_ready: Callable[[str], object] = print, format_key: str = "scorm12",
          report: Callable[[str], object] = lambda text: print(text, file=sys.stderr, flush=True)) -> None:
    """Serve until Ctrl-C or SIGTERM; returns normally after a clean shutdown."""
    state = PreviewState(content_dir, format_key, report)
    stop = threading.Event()
    server = PreviewServer(port, state)
    watcher = threading.Thread(target=watch, args=(state, stop), daemon=True)
    watcher.start()
    restore_sigterm = stop_on_sigterm()
    on_ready(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        restore_sigterm()
        stop.set()
        state.close()
        watcher.join(timeout=2)
        server.server_close()


def stop_on_sigterm() -> Callable[[], object]:
    """Let SIGTERM (a service manager, `kill`) stop the preview as Ctrl-C does; returns how to undo it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)
