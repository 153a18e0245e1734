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


COURSE = """
const course = {fingerprint: "abcd1234", scenes: [
  {kind: "page"}, {kind: "decision"}, {kind: "reflection"}, {kind: "quiz", questions: [{}, {}, {}]},
  {kind: "decision"}, {kind: "reflection"}, {kind: "end"}]};
const plan = S.layout(course);
"""


def test_state_round_trips_and_rejects_foreign_or_broken_data():
    out = run_node(COURSE + """
        const state = {seq: 41, current: 6, visited: [0, 1, 2, 3, 6], first: {1: 2, 4: 0},
                       quiz: {"3-0": 1, "3-2": 0}, reflected: [5]};
        const text = S.encode(state, plan);
        const other = Object.assign({}, plan, {fingerprint: "ffff0000"});
        console.log(JSON.stringify({
          text, back: S.decode(text, plan), otherCourse: S.decode(text, other),
          garbage: [S.decode("", plan), S.decode("S2~abcd1234~x~y~!!~~~", plan), S.decode("hello", plan),
                    S.decode("S2~abcd1234~1~0~B~999~~", plan), S.decode("S1~abcd1234~1~0~B~", plan)],
        }));
    """)
    assert isinstance(out, dict)
    assert out["text"] == "S2~abcd1234~15~6~PB~31~201~C"
    back = out["back"]
    assert back["seq"] == 41 and back["current"] == 6
    assert sorted(back["visited"]) == [0, 1, 2, 3, 6]
    assert back["first"] == {"1": 2, "4": 0}
    assert back["quiz"] == {"3-0": 1, "3-2": 0}
    assert back["reflected"] == [5]
    assert out["otherCourse"] is None
    assert out["garbage"] == [None, None, None, None, None]


def test_a_thousand_decisions_fit_in_scorm12_suspend_data():
    length = run_node("""
        const scenes = [];
        for (let i = 0; i < 1000; i++) scenes.push({kind: "decision"}, {kind: "page"});
        const plan = S.layout({fingerprint: "abcd1234", scenes});
        const first = {};
        for (let i = 0; i < 1000; i++) first[i * 2] = i % 3;
        const visited = Array.from({length: 2000}, (_, i) => i);
        const text = S.encode({seq: 5000, current: 1999, visited, first, quiz: {}, reflected: []}, plan);
        console.log(JSON.stringify(text.length));
    """)
    assert isinstance(length, int) and length <= 4096, length
