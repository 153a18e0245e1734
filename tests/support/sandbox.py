"""Run scormbuild on hostile input in a child process with hard limits, and judge how it ended.

Memory and time caps are asserted by limits on the subprocess (RLIMIT_AS, a timeout), never by
timing a run: a command that needs more is killed, and the test sees it. Starting Python and
scormbuild costs about 0.3 s a run, so a test that uses these is marked `slow` (checked here);
tests about messages rather than limits use ``run_in_process``.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MEMORY_MB = 1024
DEFAULT_SECONDS = 60

# Set by conftest.py for each test: whether it is marked slow.
current_test_is_slow = True


@dataclass
class Ended:
    """How a limited run of scormbuild ended."""

    returncode: int | None  # None: killed for running out of time
    stdout: str
    stderr: str

    @property
    def clean(self) -> bool:
        """Exit 0, 1 or 2 with no traceback, no signal death, no time-out."""
        return self.returncode in (0, 1, 2) and "Traceback (most recent call last)" not in self.stderr

    def explain(self) -> str:
        how = "timed out" if self.returncode is None else f"exit {self.returncode}"
        return f"{how}\n--- stderr ---\n{self.stderr[-3000:]}\n--- stdout ---\n{self.stdout[-1000:]}"


def _limits(memory_mb: int):  # noqa: ANN202
    def apply() -> None:
        cap = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_scormbuild(*args: str, memory_mb: int = DEFAULT_MEMORY_MB, seconds: float = DEFAULT_SECONDS,
                   cwd: Path | None = None, stdin: str | None = None) -> Ended:
    """`python -m scormbuild ARGS` with at most ``memory_mb`` of address space and ``seconds`` of wall time."""
    return run_python(["-m", "scormbuild", *args], memory_mb=memory_mb, seconds=seconds, cwd=cwd, stdin=stdin)


def run_python(args: list[str], *, memory_mb: int = DEFAULT_MEMORY_MB, seconds: float = DEFAULT_SECONDS,
               cwd: Path | None = None, stdin: str | None = None) -> Ended:
    assert current_test_is_slow, "a test that runs a capped child process is marked @pytest.mark.slow"
    try:
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=seconds, cwd=cwd,
                              input=stdin, preexec_fn=_limits(memory_mb), errors="replace")
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout.decode(errors="replace") if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        err = expired.stderr.decode(errors="replace") if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        return Ended(None, out, err)
    return Ended(done.returncode, done.stdout, done.stderr)


def run_in_process(*args: str, cwd: Path | None = None) -> Ended:
    """`scormbuild ARGS` in this process (support.coursekit.run), for tests about what is said, not about limits."""
    from support.coursekit import run

    done = run(*args, cwd=cwd)
    return Ended(done.returncode, done.stdout, done.stderr)
