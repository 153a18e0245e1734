"""HTTP to an LRS for `scormbuild report`: one GET at a time, each within a deadline, never elsewhere.

The LRS is not trusted: it may be slow, broken, or hostile. So every request has one deadline
for the whole answer (connecting, headers and body): ``SCORMBUILD_REPORT_TIMEOUT`` seconds
(default 30). A time-out is not retried; HTTP 5xx and a dropped connection are, twice, after
0.5 s and 1.5 s. 4xx answers are never retried. Redirects are not followed. One answer may be
at most 16 MiB. A `more` link must stay on the endpoint's scheme, host and port, so the
credentials go nowhere else. Error messages quote at most a few dozen characters of what the LRS
sent, made inert for a terminal.

The HTTP is plain ``http.client`` (TinCanPython's RemoteLRS has no time-outs, sends the
credentials wherever `more` points, and refuses valid xAPI 2.0 statements; the report only needs
a GET and JSON).
"""

from __future__ import annotations

import http.client
import io
import math
import os
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from scormbuild.analytics.text import shown
from scormbuild.errors import ReportError

XAPI_VERSION = "1.0.3"
PAGE_LIMIT = 500  # statements asked for per page

TIMEOUT_VARIABLE = "SCORMBUILD_REPORT_TIMEOUT"
DEFAULT_TIMEOUT = 30.0  # seconds for one whole request: connect, headers and body
PAGES_VARIABLE = "SCORMBUILD_REPORT_MAX_PAGES"
DEFAULT_MAX_PAGES = 10_000
MAX_ATTEMPTS = 3  # for HTTP 5xx and dropped connections; a time-out or a 4xx is not retried
BACKOFF = (0.5, 1.5)  # seconds to wait before the second and the third attempt
MAX_RESPONSE_BYTES = 16 * 2**20  # one page
MAX_ERROR_BYTES = 4096  # what is read of an answer that is not 200 OK
MAX_MORE_LENGTH = 4096  # characters in a `more` link

_TRANSIENT = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.IncompleteRead)

_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def excerpt(body: bytes, limit: int = 200) -> str:
    """The start of an answer's body for an error message, on one line."""
    text = " ".join(body[:limit * 4].decode("utf-8", "replace").split())
    return shown(text, limit) if text else "no text"


def redacted(url: str) -> str:
    """A URL as an error message may quote it: no password, at most 80 characters, nothing raw."""
    return shown(re.sub(r"//[^/?#]*@", "//\u2026@", url, count=1), 80)


# --- settings and the endpoint ---------------------------------------------------------------

def _setting(name: str, default: float, parse: Callable[[str], float], low: float, high: float, what: str) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = parse(text)
    except ValueError:
        value = math.nan
    if not low <= value <= high:
        raise ReportError(f"{name} must be {what}, not {shown(text, 40)}")
    return value


def request_timeout() -> float:
    return _setting(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT, float, 0.01, 86_400, "a number of seconds above 0")


def max_pages() -> int:
    return int(_setting(PAGES_VARIABLE, DEFAULT_MAX_PAGES, int, 1, 10**7, "a whole number of pages, 1 or more"))


@dataclass(frozen=True)
class Endpoint:
    """The LRS's xAPI endpoint: where every request goes (never anywhere else)."""

    scheme: str
    host: str  # ASCII (IDNA), an IPv6 address without brackets
    port: int
    path: str  # ends with "/"

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host.lower(), self.port

    @property
    def url(self) -> str:
        """The endpoint as a URL, without user info: the base that `more` links are resolved against."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        netloc = host if self.port == _default_port(self.scheme) else f"{host}:{self.port}"
        return f"{self.scheme}://{netloc}{self.path}"

    @property
    def display(self) -> str:
        """The endpoint as messages show it: shortened."""
        return shown(self.url, 100)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def parse_endpoint(text: str) -> Endpoint:
    def bad(why: str) -> ReportError:
        return ReportError(f"--endpoint {why}, not {redacted(text)}; give the LRS's xAPI address, "
                           "e.g. https://lrs.example.org/xAPI/")

    if _SPACE_OR_CONTROL.search(text) or len(text) > 2000:
        raise bad("must be a URL without spaces or control characters, at most 2000 characters long")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise bad("is not a valid URL (check the host and the port)") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise bad("must be an http:// or https:// URL")
    if "@" in parts.netloc:
        raise bad("must not contain a user name or password (give them with --user and --password)")
    if not parts.hostname:
        raise bad("has no host name")
    if parts.query or parts.fragment:
        raise bad("must not have a query (?...) or a fragment (#...)")
    if port == 0:
        raise bad("has port 0")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise bad("has a host name that is not valid") from None
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    return Endpoint(scheme, host, port or _default_port(scheme), path if path.endswith("/") else path + "/")


def next_page(endpoint: Endpoint, more: str) -> str:
    """The request target (path and query) of a `more` link, which must stay on the endpoint's origin."""
    if len(more) > MAX_MORE_LENGTH or not more.isascii() or _SPACE_OR_CONTROL.search(more):
        raise ReportError(f"the LRS sent a `more` link that is not a usable URL ({shown(more, 60)}); "
                          "the report would be incomplete")
    try:
        resolved = urlsplit(urljoin(endpoint.url, more))
        origin = (resolved.scheme.lower(), (resolved.hostname or "").lower(),
                  resolved.port or _default_port(resolved.scheme.lower()))
    except ValueError:
        raise ReportError(f"the LRS sent a `more` link that is not a valid URL ({shown(more, 60)}); "
                          "the report would be incomplete") from None
    if origin != endpoint.origin:
        raise ReportError(f"the LRS's `more` link points to another host ({redacted(more)}); scormbuild sends "
                          f"your credentials only to {endpoint.display}, so the report would be incomplete")
    return (resolved.path or "/") + (f"?{resolved.query}" if resolved.query else "")


# --- HTTP with a deadline --------------------------------------------------------------------

class _DeadlineReader(io.RawIOBase):
    """Reads from a socket, each read bounded by what is left until one deadline (a server that
    sends a byte now and then cannot keep a request going)."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(remaining)
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """The connection's socket as http.client sees it: every read and write within the deadline.
    ``close`` does nothing: the real socket is closed by ``_request_once`` once the answer is read."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def sendall(self, data: bytes) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(remaining)
        self._sock.sendall(data)

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


@dataclass
class HttpAnswer:
    status: int
    location: str
    body: bytes


def _request_once(endpoint: Endpoint, target: str, headers: dict[str, str], timeout: float) -> HttpAnswer:
    deadline = time.monotonic() + timeout
    if endpoint.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            endpoint.host, endpoint.port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=timeout)
    sock = None
    try:
        conn.connect()
        sock = conn.sock
        conn.sock = _DeadlineSocket(sock, deadline)
        conn.request("GET", target, headers=headers)
        response = conn.getresponse()
        limit = MAX_RESPONSE_BYTES if response.status == 200 else MAX_ERROR_BYTES
        chunks, size = [], 0
        while size <= limit:
            chunk = response.read(min(65_536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit and response.status == 200:
            raise ReportError(f"the LRS sent more than {MAX_RESPONSE_BYTES // 2**20} MiB in one answer "
                              f"(a page of at most {PAGE_LIMIT} statements); the report would be incomplete")
        return HttpAnswer(response.status, response.getheader("Location") or "", b"".join(chunks)[:limit])
    finally:
        conn.close()
        if sock is not None:
            sock.close()


def get(endpoint: Endpoint, target: str, headers: dict[str, str], timeout: float) -> HttpAnswer:
    """One GET, retried after a short back-off when the failure may be transient (5xx, a dropped connection)."""
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            time.sleep(BACKOFF[min(attempt, len(BACKOFF)) - 1])
        try:
            answer = _request_once(endpoint, target, headers, timeout)
        except TimeoutError:
            raise ReportError(f"the LRS did not answer within {timeout:g} s ({endpoint.display}); if it is only slow, "
                              f"set {TIMEOUT_VARIABLE} to the seconds to wait for each request") from None
        except _TRANSIENT:
            if attempt + 1 < MAX_ATTEMPTS:
                continue
            raise ReportError(f"the LRS at {endpoint.display} closed the connection without an answer {MAX_ATTEMPTS} "
                              "times; try again later") from None
        except http.client.HTTPException as exc:
            raise ReportError(f"{endpoint.display} did not answer like an xAPI LRS (not valid HTTP: "
                              f"{type(exc).__name__}); check --endpoint") from None
        except UnicodeError:
            raise ReportError(f"--endpoint has a host name that cannot be looked up: {endpoint.display}") from None
        except OSError as exc:
            why = shown(exc.strerror or str(exc) or type(exc).__name__, 150)
            raise ReportError(f"cannot reach the LRS at {endpoint.display}: {why}") from None
        if answer.status < 500:
            return answer
        if attempt + 1 == MAX_ATTEMPTS:
            raise ReportError(f"the LRS answered HTTP {answer.status} {MAX_ATTEMPTS} times "
                              f"({excerpt(answer.body)}); try again later")
    raise AssertionError("unreachable")
