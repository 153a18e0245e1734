"""The player's and runtime's JavaScript checked without a browser: TypeScript's checker over
the JSDoc contracts (tsconfig.json, templates/assets/types.js), the Node unit tests in tests/js,
and ESLint (eslint.config.js). The tools come from package.json (npm ci, run by make setup)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = ROOT / "node_modules" / ".bin"


def run(command: list[str]) -> None:
    """Fail with the tool's own output when it exits non-zero."""
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}", pytrace=False)


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run make setup (npm ci installs it)", pytrace=False)
    return str(path)


def node() -> str:
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("node is required for the tests (it also installs scorm-again)")
    return executable


def test_the_scripts_type_check_against_their_contracts():
    run([node(), tool("tsc"), "--noEmit", "-p", "tsconfig.json"])


def test_the_runtime_unit_tests_pass_in_node():
    specs = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests" / "js").glob("*.test.js"))
    assert specs, "no tests/js/*.test.js"
    run([node(), "--test", *specs])


def test_eslint_finds_nothing():
    run([node(), tool("eslint"), "--max-warnings", "0", "templates/assets", "templates/preview/preview.js", "templates/preview/panel.js",
         "templates/preview/strict-lms.js", "tests/js", "eslint.config.js"])
