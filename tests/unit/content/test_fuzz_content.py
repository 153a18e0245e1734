"""The content fuzz layer (tests/fuzz_content.py) in a child process with a memory cap and a
time-out: random and mutated course files only ever give a course or scormbuild's own error."""

from __future__ import annotations

import pytest
from support.paths import TESTS
from support.sandbox import run_python

pytestmark = pytest.mark.slow  # a fuzz layer: minutes, not seconds

FUZZ = TESTS / "support" / "fuzz_content.py"  # run as a script, in a child process


def test_mutated_courses_load_or_are_refused_within_limits():
    ended = run_python([str(FUZZ), "300"], memory_mb=1536, seconds=600)
    assert ended.returncode == 0 and ended.stdout.strip().endswith("ok"), ended.explain()
