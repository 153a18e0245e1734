"""The values the player writes into SCORM (templates/assets/runtime/common.js) and how
scormbuild.runtime_values reads them back: the two sides agree, every value passes Moodle's
and scorm-again's patterns, and nothing is lost on the way."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.paths import ROOT, SHARED

from scormbuild.runtime_values import (
    choice_id_2004,
    choice_ids_from_2004,
    decode_comment,
    decode_text,
    encode_text,
    fill_in_from_2004,
    matching_from_12,
    matching_from_2004,
    normalise_text,
    parse_comments,
    reflection_block,
    reflections_from_comments,
    truncate,
)

COMMON_JS = ROOT / "templates" / "assets" / "runtime" / "common.js"
MOODLE_13 = SHARED / "lms" / "moodle" / "vendor" / "mod" / "scorm" / "datamodels" / "scorm_13.js"


def node(script: str, data: object) -> object:
    program = (f"const C = require({json.dumps(str(COMMON_JS))});\n"
               f"const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n{script}")
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("node is required for the tests (it also installs scorm-again)")
    with_input = json.dumps(data)
    result = subprocess.run([executable, "-e", program], input=with_input, capture_output=True, text=True,
                            timeout=60, check=True)
    return json.loads(result.stdout)


MOODLE_CHECK = """
const source = require("fs").readFileSync(%s, "utf8");
// Moodle's own pattern strings from scorm_13.js, and its test (scorm_13.js:475-483).
function moodle(name) {
  const literal = source.match(new RegExp("var " + name + " = '(.*?)';"))[1];
  return new RegExp(eval("'" + literal + "'"));
}
function accepts(name, value) {
  const matches = String(value).match(moodle(name));
  return matches != null && (matches.join("").length > 0 || value.length === 0);
}
""" % json.dumps(str(MOODLE_13))  # noqa: UP031 - the template is JavaScript full of braces; str.format would double them all


TEXTS = [
    "One line.",
    "Accepting would blur the boundary.\n\nSecond paragraph, \"quoted\" & <b>bold</b>.",
    "{braces} at the start\r\nand Windows line ends\rand old Mac ones",
    "literal \u2424 and \u241b and \u241b\u2424 and a trailing escape \u241b",
    "\u0623\u0641\u0636\u0651\u0644 \u0623\u0646 \u2028 separators \u2029 \U0001F642 emoji",
    "nul\0 and \ufffe and \uffff are dropped",
    "",
]


def test_text_encoding_is_the_same_in_javascript_and_python_and_undoes_itself():
    out = node("console.log(JSON.stringify(data.map(t => [C.encodeText(t), C.decodeText(C.encodeText(t))])))", TEXTS)
    assert isinstance(out, list)
    for text, (encoded, decoded) in zip(TEXTS, out, strict=True):
        assert encoded == encode_text(text)
        assert decode_text(encoded) == decoded == normalise_text(text)
        assert "\n" not in encoded and not encoded.startswith("{")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-16", categories=None), max_size=60))
def test_any_text_comes_back_as_written(text):
    assert decode_text(encode_text(text)) == normalise_text(text)


def test_every_encoded_text_passes_moodles_and_scorm_agains_2004_patterns():
    out = node(MOODLE_CHECK + """
        // scorm-again 3.4.3's CMILangString4000 (scorm-again.js, scorm2004_regex).
        const again = /^({lang=([a-zA-Z]{1,8}|i|x)(-[a-zA-Z0-9-]{2,8})?})?((?!{.*$).{0,4000}$)?$/;
        console.log(JSON.stringify(data.map(t => {
          const comment = C.langTag("en-GB") + C.encodeText(t);
          return {comment, response: accepts("CMIFeedback", C.encodeText(t)),
                  moodle: accepts("CMILangString4000", comment), again: again.test(comment),
                  rawResponse: accepts("CMIFeedback", t), rawComment: accepts("CMILangString4000", t)};
        })));
    """, TEXTS)
    assert isinstance(out, list)
    for text, row in zip(TEXTS, out, strict=True):
        assert row["response"] and row["moodle"] and row["again"], (text, row)
        assert decode_comment(row["comment"]) == normalise_text(text)
    # Before: the raw text with a line break, or starting with "{", was refused.
    assert not out[1]["rawResponse"] and not out[1]["rawComment"] and not out[2]["rawComment"]


def test_choice_ids_map_to_moodles_short_identifiers_and_back():
    ids = ["accept-and-tell", "ignore-and-report", "a", "opt-1-2"]
    out = node(MOODLE_CHECK + """
        console.log(JSON.stringify({mapped: data.map(C.choiceId2004),
                                    accepted: data.map(id => accepts("CMIShortIdentifier", C.choiceId2004(id))),
                                    raw: accepts("CMIShortIdentifier", data[0])}));
    """, ids)
    assert isinstance(out, dict)
    assert out["mapped"] == [choice_id_2004(i) for i in ids]
    assert all(out["accepted"]) and not out["raw"]
    assert choice_ids_from_2004("[,]".join(out["mapped"])) == ids


def test_reflection_blocks_are_read_whole_by_both_sides_and_survive_odd_texts():
    texts = {"accept-reflect": "Two\n\nparagraphs\n", "b": "[fake]\nheader inside", "c": "\U0001F642" * 3,
             "d": "line\n[d:3]\nabc"}
    out = node("""
        const blocks = Object.keys(data).map(id => C.reflectionBlock(id, data[id])).join("");
        const legacy = "[old]\\nwritten by an older package\\n\\nwith a blank line\\n[x]\\nlast\\n";
        console.log(JSON.stringify({blocks, parsed: C.parseComments(blocks), legacy: C.parseComments(legacy),
                                    damaged: C.parseComments(blocks.replace("[b:19]", "[b:99]"))}));
    """, texts)
    assert isinstance(out, dict)
    assert out["blocks"] == "".join(reflection_block(k, v) for k, v in texts.items())
    assert [tuple(b) for b in out["parsed"]] == parse_comments(out["blocks"]) == list(texts.items())
    assert [tuple(b) for b in out["legacy"]] == parse_comments("[old]\nwritten by an older package\n\nwith a blank line\n[x]\nlast\n") \
        == [("old", "written by an older package\n\nwith a blank line"), ("x", "last")]
    # A wrong length (an LMS that changed the text) falls back to the next block header.
    assert [tuple(b) for b in out["damaged"]] == parse_comments(out["blocks"].replace("[b:19]", "[b:99]"))
    assert dict(out["damaged"])["c"] == texts["c"]
    assert reflections_from_comments(out["blocks"] * 2) == texts  # appended twice: still one each


def test_truncation_never_splits_a_surrogate_pair():
    cases = [("\U0001F642" * 200, 255), ("a" + "\U0001F642" * 200, 255), ("short", 255), ("x" * 300, 250)]
    out = node("console.log(JSON.stringify(data.map(c => C.truncate(c[0], c[1]))))", cases)
    assert out == [truncate(text, limit) for text, limit in cases]
    for (_text, limit), value in zip(cases, out, strict=True):
        assert len(value.encode("utf-16-le")) // 2 <= limit
        value.encode("utf-8")  # no lone surrogate (PHP's fix_utf8 would drop it)


@pytest.mark.slow  # 360,000 durations through Moodle's own check
def test_durations_are_valid_for_moodle_at_every_hundredth_of_a_second():
    """P16: 9,996 ms was written "00:00:010.00"; a sweep over three hours in 1 ms steps."""
    out = node("""
        const timespan12 = /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\\.[0-9]{1,2})?$/;
        const iso = /^P(\\d+Y)?(\\d+M)?(\\d+D)?(T(((\\d+H)(\\d+M)?(\\d+(\\.\\d{1,2})?S)?)|((\\d+M)(\\d+(\\.\\d{1,2})?S)?)|((\\d+(\\.\\d{1,2})?S))))?$/;
        const bad = [];
        for (let ms = 0; ms <= 3 * 3600 * 1000 && bad.length < 5; ms++) {
          const t = C.clock(ms);
          const span = C.timespan12(ms);
          if (!timespan12.test(span) || t.s >= 60 || t.m >= 60) bad.push([ms, span]);
          if (!iso.test(C.isoDuration(ms))) bad.push([ms, C.isoDuration(ms)]);
        }
        console.log(JSON.stringify({bad, at9996: C.clock(9996), at59996: C.clock(59996)}));
    """, None)
    assert isinstance(out, dict)
    assert out["bad"] == []
    assert out["at9996"] == {"h": 0, "m": 0, "s": 10} and out["at59996"] == {"h": 0, "m": 1, "s": 0}


def test_quiz_answers_in_scorm_are_read_back_as_the_player_gave_them():
    """The formats tests/js/questions.test.js shows the player writing."""
    assert matching_from_2004("gift_rule[.]b[,]c[.]c") == [("gift-rule", "b"), ("c", "c")]
    assert matching_from_12("gift-rule.b,c.c") == [("gift-rule", "b"), ("c", "c")]
    assert matching_from_2004("") == matching_from_12("") == []
    assert fill_in_from_2004("\u241b{the} lead[\u241b,] or\u2424manager") == ("{the} lead[,] or\nmanager", False)
    assert fill_in_from_2004("{case_matters=true}DSL") == ("DSL", True)
