"""The preview's web server in this process: what a live reload sends again."""

from __future__ import annotations

import http.client
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
