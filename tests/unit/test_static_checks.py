"""The Python code checked without running it: ruff (pycodestyle, pyflakes, import order,
bugbear, pyupgrade) over src, tests and bench, and mypy in strict mode over src/scormbuild,
both with the settings in pyproject.toml. The tools come from the `test` extra (make setup)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(command: list[str]) -> None:
    """Fail with the tool's own output when it exits non-zero."""
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        shown = " ".join(["python", *command[1:]])
        pytest.fail(f"{shown} exited {result.returncode}:\n{result.stdout}\n{result.stderr}", pytrace=False)


def test_ruff_finds_nothing() -> None:
    run([sys.executable, "-m", "ruff", "check", "src", "tests", "bench"])


def test_mypy_strict_finds_nothing() -> None:
    run([sys.executable, "-m", "mypy"])
