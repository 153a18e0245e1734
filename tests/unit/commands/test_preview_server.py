"""The preview's web server in this process: what a live reload sends again."""

from __future__ import annotations

import http.client
import socket
import struct
import threading
from collections.abc import Iterator

import pytest
from support.coursekit import copy_sample

from scormbuild.commands.preview import PreviewServer, PreviewState


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[PreviewState, int]]:  # noqa: ANN001
    state = PreviewState(copy_sample(tmp_path))
    state.rebuild()
    server = PreviewServer(0, state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state, server.server_address[1]
    server.shutdown()
    server.server_close()


def get(port: int, path: str, tag: str | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"If-None-Match": tag} if tag else {})
    response = connection.getresponse()
    response.read()
    return response


def test_a_live_reload_sends_again_only_the_files_that_changed(server):
    state, port = server
    first = {name: get(port, f"/course/{name}") for name in ("index.html", "assets/player.js")}
    assert all(r.status == 200 and r.getheader("Cache-Control") == "no-cache" for r in first.values())
    tags = {name: r.getheader("ETag") for name, r in first.items()}
    assert get(port, "/course/assets/player.js", tags["assets/player.js"]).status == 304

    welcome = state.content_dir / "scenes" / "01-welcome.md"
    welcome.write_text(welcome.read_text("utf-8").replace("title: Welcome\n", "title: Welcome back\n"), "utf-8")
    state.rebuild()
    assert get(port, "/course/assets/player.js", tags["assets/player.js"]).status == 304
    changed = get(port, "/course/index.html", tags["index.html"])
    assert changed.status == 200 and changed.getheader("ETag") != tags["index.html"]


class WatchedServer(PreviewServer):
    """The preview's server, telling the test when it has dealt with a failed request."""

    def __init__(self, port: int, state: PreviewState) -> None:
        super().__init__(port, state)
        self.errors_handled = threading.Event()

    def handle_error(self, request: object, client_address: object) -> None:
        super().handle_error(request, client_address)
        self.errors_handled.set()


def test_a_browser_that_goes_away_mid_answer_is_no_error_and_the_server_goes_on(tmp_path, capfd):  # noqa: ANN001
    reports: list[str] = []
    state = PreviewState(copy_sample(tmp_path), report=reports.append)
    state.files["big.bin"] = b"x" * (32 * 2**20)  # more than the sockets buffer: the answer is cut off
    server = WatchedServer(0, state)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        port = server.server_address[1]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            client.sendall(f"GET /course/big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            assert client.recv(64).startswith(b"HTTP/1.1 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # a reset, as a closed tab
        assert server.errors_handled.wait(10)
        assert get(port, "/course/index.html").status == 200
    finally:
        server.shutdown()
        server.server_close()
    assert reports == []
    assert capfd.readouterr().err == ""


def test_any_other_failure_is_one_line_on_the_console_not_a_traceback(server, capfd):  # noqa: ANN001
    state, _ = server
    reports: list[str] = []
    state.report = reports.append
    preview = PreviewServer(0, state)
    try:
        try:
            raise ValueError("a bug")
        except ValueError:
            preview.handle_error(None, ("127.0.0.1", 1))
    finally:
        preview.server_close()
    assert reports == ["preview: internal error while answering the browser: ValueError: a bug\n"
                       "This is a bug in scormbuild; the preview goes on."]
    assert "Traceback" not in capfd.readouterr().err
