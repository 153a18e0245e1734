"""Helpers that write small courses to a folder, for tests."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from support.paths import SAMPLE


def copy_sample(target: Path) -> Path:
    course = target / "course"
    shutil.copytree(SAMPLE, course)
    return course


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def decision_chain(folder: Path, decisions: int, pass_mark: int | None = 50) -> Path:
    """A generated course: ``decisions`` two-choice decisions in a row, then an end."""
    write(folder / "course.yaml", f"""
        id: chain-{decisions}
        title: A chain of {decisions} decisions
        {'pass_mark: ' + str(pass_mark) if pass_mark is not None else ''}
        """)
    for index in range(decisions):
        following = f"d{index + 1}" if index + 1 < decisions else "finish"
        write(folder / "scenes" / f"{index:05d}-d{index}.md", f"""
            ---
            id: d{index}
            kind: decision
            title: Decision {index}
            choices:
              - id: right
                text: The right thing
                correct: true
                goto: {following}
              - id: wrong
                text: The wrong thing
                goto: {following}
            ---
            Situation {index}.
            """)
    write(folder / "scenes" / "99999-finish.md", """
        ---
        id: finish
        kind: end
        title: Done
        ---
        The end.
        """)
    return folder


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`scormbuild ARGS` in this process, through click's CliRunner: the exit code and both
    streams as a user would see them, without the 0.3 s of starting Python and importing.

    An exception that escapes the CLI's last guard is raised here, so a test fails where a
    user would have seen a traceback. What needs a real process (Ctrl-C, `python -m`, memory
    and time caps) uses run_process or support.sandbox."""
    from click.testing import CliRunner

    from scormbuild.cli import main

    with contextlib.chdir(cwd or Path.cwd()):
        result = CliRunner().invoke(main, list(args), prog_name="scormbuild")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(["scormbuild", *args], result.exit_code, result.stdout, result.stderr)


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m scormbuild ARGS` in a child process."""
    return subprocess.run([sys.executable, "-m", "scormbuild", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def write_course(folder: Path, scenes: dict[str, str], course_yaml: str = "id: t\ntitle: T\npass_mark: 50\n") -> Path:
    folder.mkdir(parents=True)
    (folder / "course.yaml").write_text(course_yaml, "utf-8")
    (folder / "scenes").mkdir()
    for name, text in scenes.items():
        (folder / "scenes" / name).write_text(text, "utf-8")
    return folder


def with_ctrl_c() -> None:
    """``preexec_fn`` for a child that a test stops with SIGINT: a shell that starts the tests in
    the background ignores SIGINT, children inherit that, and Python then installs no handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
