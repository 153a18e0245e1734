"""A real LRS (Ralph) started by the tests, and a small LMS facade in front of it.

The facade plays the LMS's part of xAPI and cmi5 that Ralph does not have:
the cmi5 fetch URL, the state API (LMS.LaunchData, the AU's saved state), the
agent profile API (cmi5LearnerPreferences), and it forwards statements to
Ralph, optionally failing for a while, so tests can check that the player's
queue delivers every statement exactly once.

Like a cmi5 LMS, the facade gives each fetch URL (``fetch?token=<name>``) a
credential of its own, and can end that session: statements sent with it are
then refused (401 or 403) and never reach Ralph. It records what it was asked
(``log``), so tests can count requests and see which session sent what.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

USER, PASSWORD = "test", "secret"
BASIC_AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RalphLRS:
    """A Ralph process with a file-system backend in ``folder``; can be stopped and restarted."""

    def __init__(self, folder: Path, cors_origin: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.process: subprocess.Popen[bytes] | None = None
        (folder / "data").mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
            "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps([cors_origin]),
        }
        ralph = Path(sys.executable).parent / "ralph"
        subprocess.run([str(ralph), "auth", "-u", USER, "-p", PASSWORD, "-s", "all", "-M", "mailto:test@example.org",
                        "-w"], env=self.env, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(HERE / "ralph_server.py"), str(self.port)],
                                        env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=open(self.folder / "ralph.log", "ab"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Ralph exited: " + (self.folder / "ralph.log").read_text()[-2000:])
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def statements(self, **query: str) -> list[dict[str, Any]]:
        """Every statement matching ``query``, following `more` links."""
        url = self.endpoint + "statements?" + urllib.parse.urlencode({"limit": "500", **query})
        found: list[dict[str, Any]] = []
        while url:
            request = urllib.request.Request(url, headers={"Authorization": BASIC_AUTH,
                                                           "X-Experience-API-Version": "1.0.3"})
            with urllib.request.urlopen(request, timeout=30) as response:
                page = json.load(response)
            found += page["statements"]
            more = page.get("more")
            url = urllib.parse.urljoin(url, more) if more else ""
        return found

    def wait_for(self, predicate, timeout: float = 30, **query: str) -> list[dict[str, Any]]:  # noqa: ANN001
        """Poll until ``predicate(statements)`` holds; return the statements either way."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.statements(**query)
            if predicate(found) or time.monotonic() > deadline:
                return found
            time.sleep(0.5)


@dataclass
class Request:
    """One request the facade answered."""

    at: float  # time.monotonic()
    method: str
    resource: str  # "fetch", "statements", "activities/state", "agents/profile", ...
    query: dict[str, str]
    session: str | None  # the fetch token whose credential was used, if any
    status: int = 0
    statements: list[dict[str, Any]] = field(default_factory=list)  # what a statements request carried


class LmsFacade:
    """What the test LMS serves under /lrs/: statements (forwarded to Ralph), state, cmi5 fetch."""

    def __init__(self, lrs: RalphLRS) -> None:
        self.lrs = lrs
        self.state: dict[tuple[str, str, str, str], bytes] = {}
        self.fail_statements = 0  # answer this many statement requests with HTTP 500
        self.delay_statements = 0.0  # forward statements only after this many seconds
        self.statement_requests: list[str] = []
        # cmi5LearnerPreferences: None -> 404, an int -> that status, a dict -> the document.
        self.preferences: dict[str, Any] | int | None = None
        self.ended_sessions: dict[str, int] = {}  # fetch token -> status its statements now get (401, 403)
        self.credentials: dict[str, str] = {}  # Authorization header -> fetch token
        self.log: list[Request] = []
        self.lock = threading.Lock()

    # -- what tests ask -----------------------------------------------------------------------
    def requests(self, resource: str, method: str | None = None, session: str | None = None) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.resource == resource and (method is None or r.method == method)
                    and (session is None or r.session == session)]

    def end_session(self, token: str, status: int = 401) -> None:
        """The LMS ends (abandons) a session: its credential is refused from now on."""
        with self.lock:
            self.ended_sessions[token] = status

    def state_writes(self, state_id: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.resource == "activities/state" and r.method != "GET"
                    and r.query.get("stateId") == state_id]

    # -- serving --------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes]:
        resource = path[len("/lrs/"):]
        auth = next((value for name, value in headers.items() if name.lower() == "authorization"), "")
        with self.lock:
            session = self.credentials.get(auth)
        entry = Request(time.monotonic(), method, resource, {k: v[0] for k, v in query.items()}, session)
        with self.lock:
            self.log.append(entry)
        status, out_headers, payload = self._route(method, resource, query, headers, body, entry)
        entry.status = status
        return status, out_headers, payload

    def _route(self, method: str, resource: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes,
               entry: Request) -> tuple[int, dict[str, str], bytes]:
        if resource == "fetch" and method == "POST":
            # One credential per fetch URL, given once (cmi5 8.2.3: a second call gets error 1);
            # the facade still reaches Ralph with its own.
            token = query.get("token", [""])[0]
            with self.lock:
                used = token in self.credentials.values()
                credential = base64.b64encode(f"session-{token}:{uuid.uuid4().hex}".encode()).decode()
                if not used:
                    self.credentials["Basic " + credential] = token
            body = {"error-code": "1", "error-text": "Already in use"} if used else {"auth-token": credential}
            return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
        if resource == "activities/state":
            return self._state(method, query, body)
        if resource == "agents/profile":
            return self._profile(method, query)
        if resource.startswith("statements"):
            return self._statements(method, resource, query, headers, body, entry)
        return 404, {}, b"not found"

    def _profile(self, method: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        if method != "GET" or query.get("profileId", [""])[0] != "cmi5LearnerPreferences":
            return 404, {}, b""
        with self.lock:
            preferences = self.preferences
        if preferences is None:
            return 404, {}, b""
        if isinstance(preferences, int):
            return preferences, {}, b""
        return 200, {"Content-Type": "application/json"}, json.dumps(preferences).encode()

    def _state(self, method: str, query: dict[str, list[str]], body: bytes) -> tuple[int, dict[str, str], bytes]:
        key = tuple(query.get(name, [""])[0] for name in ("activityId", "agent", "registration", "stateId"))
        agent = json.loads(key[1]) if key[1] else {}
        key = (key[0], json.dumps(agent, sort_keys=True), key[2], key[3])
        with self.lock:
            if method == "GET":
                if key not in self.state:
                    return 404, {}, b""
                return 200, {"Content-Type": "application/json"}, self.state[key]
            if method in ("PUT", "POST"):
                self.state[key] = body
                return 204, {}, b""
            if method == "DELETE":
                self.state.pop(key, None)
                return 204, {}, b""
        return 405, {}, b""

    def get_state(self, activity_id: str, agent: dict[str, Any], registration: str, state_id: str) -> bytes | None:
        key = (activity_id, json.dumps(agent, sort_keys=True), registration, state_id)
        with self.lock:
            return self.state.get(key)

    def put_state(self, activity_id: str, agent: dict[str, Any], registration: str, state_id: str, value: Any) -> None:
        key = (activity_id, json.dumps(agent, sort_keys=True), registration, state_id)
        with self.lock:
            self.state[key] = json.dumps(value).encode()

    def _statements(self, method: str, resource: str, query: dict[str, list[str]], headers: dict[str, str],
                    body: bytes, entry: Request) -> tuple[int, dict[str, str], bytes]:
        if method in ("POST", "PUT") and body:
            try:
                sent = json.loads(body)
                entry.statements = sent if isinstance(sent, list) else [sent]
            except ValueError:
                pass
        with self.lock:
            self.statement_requests.append(method)
            if entry.session is not None and entry.session in self.ended_sessions:
                return self.ended_sessions[entry.session], {}, b"this session has ended"
            if self.fail_statements > 0:
                self.fail_statements -= 1
                return 500, {}, b"simulated LRS failure"
            delay = self.delay_statements
        if delay:
            time.sleep(delay)
        url = self.lrs.endpoint + resource + ("?" + urllib.parse.urlencode(query, doseq=True) if query else "")
        forwarded = {name: value for name, value in headers.items()
                     if name.lower() in ("authorization", "content-type", "x-experience-api-version")}
        if entry.session is not None:  # a session's credential: the LMS forwards with its own
            forwarded = {name: value for name, value in forwarded.items() if name.lower() != "authorization"}
            forwarded["Authorization"] = BASIC_AUTH
        request = urllib.request.Request(url, data=body if method in ("POST", "PUT") else None,
                                         method=method, headers=forwarded)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, {"Content-Type": response.headers.get("Content-Type", "")}, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {"Content-Type": error.headers.get("Content-Type", "")}, error.read()
        except OSError:
            return 502, {}, b"the LRS is unreachable"
