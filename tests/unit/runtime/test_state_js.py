"""The player's suspend_data encoding (templates/assets/state.js), run in Node on course data
made by scormbuild.render, so that keys and fingerprints are the ones a build writes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support.coursekit import copy_sample, decision_chain
from support.learner_kinds import updated_sample
from support.paths import ROOT

from scormbuild.course import load_course
from scormbuild.player_data import course_data

STATE_JS = ROOT / "templates" / "assets" / "state.js"


def run_node(script: str, **courses: dict) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the tests (it also installs scorm-again)")
    data = "".join(f"const {name} = {json.dumps(value)};\n" for name, value in courses.items())
    program = f"const S = require({json.dumps(str(STATE_JS))});\n{data}{script}"
    result = subprocess.run([node, "-"], input=program, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def player_data(folder: Path) -> dict:
    """The course data the page carries, trimmed to what state.js reads."""
    data = course_data(load_course(folder))
    return {key: data[key] for key in ("fingerprint", "legacyFingerprint", "stateKeyLength", "choiceKeyLength",
                                       "scenes")}


def index_of(course: dict, scene_id: str) -> int:
    return next(i for i, scene in enumerate(course["scenes"]) if scene["id"] == scene_id)


def test_state_round_trips_by_key_and_rejects_broken_data(tmp_path):
    course = player_data(copy_sample(tmp_path))
    at = {scene["id"]: i for i, scene in enumerate(course["scenes"])}
    quiz = at["ending-quiz"]
    out = run_node(f"""
        const plan = S.layout(course);
        const state = {{seq: 41, current: {at['ending-quiz']}, visited: [0, 1, 2, {quiz}],
                       first: {{{at['friend-request']}: 1, {at['jenny-message']}: 2}},
                       quiz: {{"{quiz}-0": 1, "{quiz}-2": 0}}, reflected: [{at['accept-reflect']}]}};
        const text = S.encode(state, plan);
        const bad = ["", "S3~x", "S3~1~3~2~abc~ab~~~", "S3~1~9~2~abc~~~~", "hello", "S1~a~b",
                     "S2~ffffffff~1~0~B~~~", "S3~1~3~2~" + "\\u0000".repeat(3) + "~~~~"];
        console.log(JSON.stringify({{text, back: S.decode(text, plan), bad: bad.map(t => S.decode(t, plan))}}));
    """, course=course)
    assert isinstance(out, dict)
    assert out["text"].startswith("S3~15~3~2~") and len(out["text"]) < 80
    back = out["back"]
    assert back["seq"] == 41 and back["current"] == at["ending-quiz"]
    assert sorted(back["visited"]) == sorted([0, 1, 2, quiz])
    assert back["first"] == {str(at["friend-request"]): 1, str(at["jenny-message"]): 2}
    assert back["quiz"] == {f"{quiz}-0": 1, f"{quiz}-2": 0}
    assert back["reflected"] == [at["accept-reflect"]]
    assert out["bad"][:2] == [None, None] and out["bad"][4:7] == [None, None, None]
    # Damaged keyed states decode to what can be read, never to an error.
    assert all(state is None or isinstance(state, dict) for state in out["bad"])


def test_a_state_saved_before_the_course_was_updated_keeps_what_still_exists(tmp_path):
    """Version 1.1.0 of the sample lost the choice `accept` and the page `self-disclosure`;
    two feedback scenes swapped places and `social-media` moved to the front."""
    old = player_data(copy_sample(tmp_path / "old"))
    new = player_data(updated_sample(tmp_path / "new"))
    o = {scene["id"]: i for i, scene in enumerate(old["scenes"])}
    n = {scene["id"]: i for i, scene in enumerate(new["scenes"])}
    old_choice = {c["id"]: i for i, c in enumerate(old["scenes"][o["friend-request"]]["choices"])}
    new_choice = {c["id"]: i for i, c in enumerate(new["scenes"][n["friend-request"]]["choices"])}
    out = run_node(f"""
        const before = S.layout(oldCourse), after = S.layout(newCourse);
        const saved = (current, choice) => S.encode({{seq: 7, current, visited: [{o['welcome']}, {o['self-disclosure']},
            {o['right-feedback']}], first: {{{o['friend-request']}: choice, {o['jenny-message']}: 2}},
            quiz: {{"{o['ending-quiz']}-1": 1}}, reflected: [{o['accept-reflect']}]}}, before);
        console.log(JSON.stringify({{
          kept: S.decode(saved({o['right-feedback']}, {old_choice['ignore-and-report']}), after),
          removedChoice: S.decode(saved({o['self-disclosure']}, {old_choice['accept']}), after),
        }}));
    """, oldCourse=old, newCourse=new)
    assert isinstance(out, dict)
    kept = out["kept"]
    assert kept["current"] == n["right-feedback"]
    assert sorted(kept["visited"]) == sorted([n["welcome"], n["right-feedback"]])  # self-disclosure is gone
    assert kept["first"] == {str(n["friend-request"]): new_choice["ignore-and-report"], str(n["jenny-message"]): 2}
    assert kept["quiz"] == {f"{n['ending-quiz']}-1": 1}
    assert kept["reflected"] == [n["accept-reflect"]]
    removed = out["removedChoice"]
    assert removed["current"] is None  # the scene the learner was on is gone: the player picks where to go
    assert removed["first"] == {str(n["jenny-message"]): 2}  # the removed choice no longer counts


def test_a_positional_state_of_an_older_package_is_still_read(tmp_path):
    """Packages built before keys wrote S2 with the older fingerprint; a choice index that no
    longer exists makes the state unreadable rather than a crash at the end scene."""
    course = player_data(copy_sample(tmp_path))
    at = {scene["id"]: i for i, scene in enumerate(course["scenes"])}
    legacy = course["legacyFingerprint"]
    out = run_node(f"""
        const plan = S.layout(course);
        console.log(JSON.stringify({{
          ok: S.decode("S2~{legacy}~5~{at['jenny-message']:x}~PB~4~2~B", plan),
          tooFar: S.decode("S2~{legacy}~5~1~PB~9~~", plan),
          other: S.decode("S2~0000ffff~5~1~PB~4~~", plan),
        }}));
    """, course=course)
    assert isinstance(out, dict)
    assert out["ok"]["first"] == {str(at["friend-request"]): 3}
    assert out["ok"]["current"] == at["jenny-message"]
    assert out["tooFar"] is None and out["other"] is None


@pytest.mark.parametrize("decisions", [250, 1000])
def test_long_courses_fit_in_scorm12_suspend_data(tmp_path, decisions):
    course = player_data(decision_chain(tmp_path / "chain", decisions))
    out = run_node(f"""
        const plan = S.layout(course);
        const first = {{}};
        for (let i = 0; i < {decisions}; i++) first[i] = i % 2;
        const visited = Array.from({{length: {decisions + 1}}}, (_, i) => i);
        const text = S.encode({{seq: 5000, current: {decisions}, visited, first, quiz: {{}}, reflected: []}}, plan);
        const back = S.decode(text, plan);
        console.log(JSON.stringify({{length: text.length, form: text.slice(0, 2),
                                     same: JSON.stringify(back.first) === JSON.stringify(first)}}));
    """, course=course)
    assert isinstance(out, dict)
    assert out["length"] <= 4096 and out["same"]
    # Keys while they fit (they survive course updates); positions beyond KEYED_LIMIT.
    assert out["form"] == ("S3" if decisions == 250 else "S2")
