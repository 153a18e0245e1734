"""The player's suspend_data encoding (templates/assets/state.js), run in Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

STATE_JS = Path(__file__).resolve().parent.parent / "templates" / "assets" / "state.js"


def run_node(script: str) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the tests (it also installs scorm-again)")
    program = f"const S = require({json.dumps(str(STATE_JS))});\n{script}"
    result = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_state_round_trips_and_rejects_foreign_or_broken_data():
    out = run_node("""
        const state = {seq: 41, current: 999, visited: [0, 1, 5, 6, 63, 64, 999],
                       done: {[S.itemKey(3)]: 10, [S.itemKey(7, 2)]: 0, [S.itemKey(12)]: "r"}};
        const text = S.encode(state, "abcd1234", 1000);
        console.log(JSON.stringify({
          text,
          back: S.decode(text, "abcd1234", 1000),
          otherCourse: S.decode(text, "ffff0000", 1000),
          garbage: [S.decode("", "abcd1234", 1000), S.decode("S1~abcd1234~x~y~!!~", "abcd1234", 1000),
                    S.decode("hello", "abcd1234", 1000)],
        }));
    """)
    assert isinstance(out, dict)
    back = out["back"]
    assert back["seq"] == 41 and back["current"] == 999
    assert sorted(back["visited"]) == [0, 1, 5, 6, 63, 64, 999]
    assert back["done"] == {"3": 10, "7-2": 0, "c": "r"}
    assert out["otherCourse"] is None
    assert out["garbage"] == [None, None, None]

