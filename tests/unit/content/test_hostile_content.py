"""Hostile course folders, a hostile page against `preview`, and bugs: bounded memory and time,
a clear message, never a traceback (security review findings 5, 6, 14, 15, L1, L3, L4; issue 14).

Memory and time are held by limits on a child process (tests/sandbox.py), never by timing.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import time
from pathlib import Path

import pytest
from support.coursekit import copy_sample
from support.sandbox import run_python, run_scormbuild
from test_bad_content import ALIAS_BOMB, COURSE, make_course, scene

SMALL_MEMORY_MB = 400  # scormbuild validates the sample in well under this


def course_with(tmp_path: Path, changes: dict) -> Path:
    return make_course(tmp_path / "course", changes)


@pytest.mark.slow
def test_an_alias_bomb_in_course_yaml_is_refused_in_bounded_memory(tmp_path):
    """#5: 584 bytes of aliases made a 2.5 GB error message, then a MemoryError traceback."""
    course = course_with(tmp_path, {"course.yaml": COURSE.replace("50", ALIAS_BOMB)})
    ended = run_scormbuild("validate", str(course), memory_mb=SMALL_MEMORY_MB, seconds=60)
    assert ended.clean and ended.returncode == 1, ended.explain()
    assert "pass_mark" in ended.stdout + ended.stderr
    assert len(ended.stdout + ended.stderr) < 2000


@pytest.mark.slow
@pytest.mark.parametrize("nesting", ["[" * 30000 + "]" * 30000, "{a: " * 30000 + "1" + "}" * 30000,
                                     "\n" + "- " * 30000 + "v"])
def test_deep_nesting_is_refused_without_a_crash(tmp_path, nesting):
    """#6: 30,000 levels (60 KB) killed the process with SIGSEGV in libyaml; 1,000 gave a RecursionError."""
    course = course_with(tmp_path, {"course.yaml": COURSE + "x: " + nesting + "\n",
                                    "scenes/02-x.md": scene("kind: page\ntitle: X\nnext: end\nextra: " + nesting[:20000])})
    for command in ("validate", "build"):
        ended = run_scormbuild(command, str(course), "-o", str(tmp_path / "out"), memory_mb=SMALL_MEMORY_MB) \
            if command == "build" else run_scormbuild(command, str(course), memory_mb=SMALL_MEMORY_MB)
        assert ended.clean and ended.returncode == 1, ended.explain()
        assert "nested more than 64 levels" in ended.stdout + ended.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_scene_linked_to_dev_zero_is_not_read(tmp_path):
    """#14: the 2 MB check used st_size (0 for a device), so the file was read until memory ran out."""
    course = course_with(tmp_path, {})
    os.symlink("/dev/zero", course / "scenes" / "00-zero.md")
    ended = run_scormbuild("validate", str(course), memory_mb=SMALL_MEMORY_MB, seconds=30)
    assert ended.clean and ended.returncode == 1, ended.explain()
    assert "00-zero.md" in ended.stderr and "outside the course folder" in ended.stderr


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_in_the_scenes_folder_does_not_hang(tmp_path):
    course = course_with(tmp_path, {})
    os.mkfifo(course / "scenes" / "00-pipe.md")
    ended = run_scormbuild("validate", str(course), memory_mb=SMALL_MEMORY_MB, seconds=30)
    assert ended.clean and ended.returncode == 1, ended.explain()
    assert "00-pipe.md" in ended.stderr and "not a regular file" in ended.stderr


@pytest.mark.slow
def test_a_media_file_that_is_a_pipe_is_refused_when_building(tmp_path):
    """A picture the loader accepted can be swapped for something else before the build reads it."""
    course = copy_sample(tmp_path)
    image = course / "media" / "friend-request.svg"
    ended = run_python(["-c", f"""
import os, sys
from pathlib import Path
from scormbuild.course import load_course
from scormbuild.errors import ScormbuildError
from scormbuild.render import Player
course = load_course(Path({str(course)!r}))
os.unlink({str(image)!r}); os.mkfifo({str(image)!r})
try:
    Player(course)
except ScormbuildError as error:
    print(error.format()); sys.exit(1)
"""], memory_mb=SMALL_MEMORY_MB, seconds=30)
    assert ended.returncode == 1, ended.explain()
    assert "friend-request.svg" in ended.stdout and "not a regular file" in ended.stdout


# -- the last guard: a bug becomes a message, not a traceback -------------------------------------

BUGGY_CLI = """
import sys
import scormbuild.commands.validate as validate
def broken(*args, **kwargs):
    raise KeyError("a bug in scormbuild")
validate.validate = broken
from scormbuild.cli import main
sys.argv = ["scormbuild", *sys.argv[1:]]
main()
"""


@pytest.mark.slow
def test_an_unexpected_error_is_an_internal_error_message_not_a_traceback(tmp_path):
    course = course_with(tmp_path, {})
    ended = run_python(["-c", BUGGY_CLI, "validate", str(course)])
    assert ended.returncode == 1 and "Traceback" not in ended.stderr, ended.explain()
    assert "internal error: KeyError" in ended.stderr and "--debug" in ended.stderr
    debug = run_python(["-c", BUGGY_CLI, "--debug", "validate", str(course)])
    assert "Traceback (most recent call last)" in debug.stderr and "a bug in scormbuild" in debug.stderr


# -- preview: keeps going after any error, and answers this machine's pages only -----------------------

@pytest.fixture
def preview(tmp_path):  # noqa: ANN201
    course = copy_sample(tmp_path)
    import subprocess

    process = subprocess.Popen([sys.executable, "-m", "scormbuild", "preview", str(course), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert "http://127.0.0.1:" in line, line + process.stderr.read()
    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    yield course, port, process
    process.kill()
    process.wait()


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in sent.items():
        connection.putheader(name, value)
    if "Content-Length" not in sent and method != "GET":
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    return response.status, response.read()


def test_preview_answers_only_this_machines_pages(preview):
    """L4: any Host was served (DNS rebinding could read the course), and any origin could post."""
    _, port, _ = preview
    assert request(port, "GET", "/course/index.html")[0] == 200
    assert request(port, "GET", "/course/index.html", headers={"Host": "attacker.example"})[0] == 403
    statement = json.dumps({"id": "s1", "verb": {"id": "v"}, "object": {"id": "o"}}).encode()
    assert request(port, "POST", "/xapi/statements", statement,
                   {"Origin": "http://evil.example", "Content-Type": "text/plain"})[0] == 403
    assert request(port, "POST", "/xapi/reset", b"", {"Origin": "http://evil.example"})[0] == 403
    assert request(port, "POST", "/xapi/statements", statement, {"Origin": f"http://127.0.0.1:{port}"})[0] == 200


def test_preview_refuses_malformed_requests_and_keeps_serving(preview):
    _, port, process = preview
    assert request(port, "POST", "/xapi/statements", b"{}", {"Content-Length": "abc"})[0] == 400
    assert request(port, "POST", "/xapi/statements", b"", {"Content-Length": str(10**11)})[0] == 413
    assert request(port, "POST", "/xapi/statements", json.dumps({"id": [1, 2]}).encode())[0] == 400
    assert request(port, "POST", "/xapi/statements", b"[" * 100_000)[0] == 400
    status, body = request(port, "GET", "/xapi/statements")
    assert status == 200 and json.loads(body) == {"statements": []}
    assert process.poll() is None


@pytest.mark.slow
def test_preview_goes_on_reloading_after_an_edit_it_cannot_read(preview):
    """#15: an error that was not a content error ended the watcher for the rest of the session."""
    course, port, _ = preview
    yaml_file = course / "course.yaml"
    good = yaml_file.read_text("utf-8")
    for broken in ("title: 2024-13-45\n", "x: " + "[" * 30000 + "\n", "pass_mark: " + "9" * 5000 + "\n"):
        yaml_file.write_text(good + broken, "utf-8")
        time.sleep(1.2)
    yaml_file.write_text(good.replace("Professional boundaries in social care", "Fixed title"), "utf-8")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if b"<title>Fixed title</title>" in request(port, "GET", "/course/index.html")[1]:
            return
        time.sleep(0.3)
    raise AssertionError("the preview stopped reloading")


def test_the_preview_watcher_survives_a_bug_in_a_rebuild(tmp_path, monkeypatch):
    """The guard for what no test can foresee: an unexpected exception during a rebuild is shown
    in the panel, and the next rebuild works."""
    from scormbuild.commands import preview as preview_module

    course = copy_sample(tmp_path)
    state = preview_module.PreviewState(course)
    events: list[tuple[str, str]] = []
    state.announce = lambda event, data: events.append((event, data))  # type: ignore[method-assign]
    real = preview_module.package_files
    monkeypatch.setattr(preview_module, "package_files", lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
    state.rebuild()
    assert events[-1][0] == "problem" and "internal error" in events[-1][1] and "boom" in events[-1][1]
    monkeypatch.setattr(preview_module, "package_files", real)
    state.rebuild()
    assert events[-1] == ("reload", "")
