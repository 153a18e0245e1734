"""Fuzzing import-twine (issue 14, "Tests"): random and mutated Twee files, each imported by
`scormbuild import-twine` in a child process with 512 MB of address space and 20 s, must end
cleanly every time: exit 0 with a course that `scormbuild validate` accepts, or exit 1 with a
`story.twee:LINE:COL:` message, no traceback, and nothing written.

The seeds are the stories in tests/data/ (friend-request.twee and tests/data/twee/*.twee); inputs
the fuzzer found interesting are kept there too (tests/test_hostile_twine.py replays them all).
Derandomized with a fixed number of examples, so CI runs the same inputs every time.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.paths import DATA as TESTS_DATA
from support.sandbox import run_scormbuild

pytestmark = pytest.mark.slow  # a fuzz layer: minutes, not seconds

DATA = TESTS_DATA
CORPUS = [DATA / "friend-request.twee", *sorted((DATA / "twee").glob("*.twee")), *sorted((DATA / "twee").glob("*.html"))]
# Mutations start from the stories that import (to reach conversion and validation) and splice in
# pieces of any story of the corpus.
SEED_TEXTS = [path.read_text("utf-8") for path in CORPUS if not path.name.startswith("bad-")]
PIECE_TEXTS = [path.read_text("utf-8") for path in CORPUS]
MEMORY_MB = 512
SECONDS = 20
EXAMPLES = 60

# Pieces of Twee, SugarCube, Harlowe, YAML, Markdown, JSON and text that parsers find awkward.
TOKENS = [
    "::", ":: ", "\n:: ", "\n::", "[[", "]]", "->", "<-", "|", "[", "]", "{", "}", "\\", "\\[", "\\{", "\\\\",
    "<<", ">>", "<<set $x to 1>>", "<</if>>", "(set:", "(if:", "(link-goto:", ")", "(", "$x", "//", "''",
    "\n", "\r\n", "\r", " ", "\t", "\n\n", "\n\n\n\n",
    "StoryTitle", "StoryData", "StoryInit", "Start", "End", "[end]", "[page]", "[decision]", "[feedback]",
    '{"start":"Start"}', '{"position":"1,1"}', '"', "'", ":", ": ", "- ", "# ", "#", "&a", "*a", "!!python/object",
    "---", "...", "yes", "null", "~", "0x1F", "2024-13-45", "9" * 50,
    "![x](y.png)", "[x](z.md)", "<b>", "<script>", "`", "*", "_", "> ", "1. ", "|---|",
    "é", "日本", "مرحبا", "🎓", "\u202e", "\u200b", "\u2028", "\ufeff", "\u00a0", "İ", "ß",
    "<tw-storydata>", "</tw-passagedata>", '<tw-passagedata name="x">', "&lt;&lt;", "&amp;", "&#0;", "&#xFFFF;",
    "[[a|b][$x to 1]]", "(if: $x)[", "<<else>>", "[if x]\n", "--\n", "x: 1\n", "{link to: 'a'}",
]
REPEATABLE = ["[[", "<<", "(a:", "[", "{", "\\", " ", "::", "\n", "]]", ">>", ")", "a", "é", "[[a]]", "<<a>>"]
RAW_BYTES = [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x07", b"\x1b[2J", b"\xc2\x85", b"\xef\xbf\xbe"]


@st.composite
def twee_files(draw) -> bytes:
    """A seed story with up to five mutations, or (one time in ten) a story made of tokens only.
    Mutations work on text, so that most inputs get past reading and parsing into conversion and
    validation; one in seventeen puts raw bytes (bad UTF-8, NUL, controls) into the file."""
    if draw(st.integers(0, 9)) == 0:
        return "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=120))).encode("utf-8")
    text = draw(st.sampled_from(SEED_TEXTS))
    raw: list[tuple[int, bytes]] = []
    for _ in range(draw(st.integers(1, 5))):
        where = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert"] * 5 + ["text"] * 4 + ["repeat"] * 3 + ["delete", "duplicate",
                                          "splice", "swap", "byte"]))
        if operation == "insert":
            text = text[:where] + "".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6))) + text[where:]
        elif operation == "text":
            text = text[:where] + draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1,
                                               max_size=20)) + text[where:]
        elif operation == "repeat":  # probes for work that grows faster than the input
            text = text[:where] + draw(st.sampled_from(REPEATABLE)) * draw(st.sampled_from([100, 1000, 5000])) + text[where:]
        elif operation == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 200)):]
        elif operation == "duplicate":
            text = text[:where] + text[where:where + draw(st.integers(1, 400))] * draw(st.integers(2, 4)) + text[where:]
        elif operation == "splice":
            other = draw(st.sampled_from(PIECE_TEXTS))
            cut = draw(st.integers(0, len(other)))
            text = text[:where] + other[cut:cut + draw(st.integers(1, 500))] + text[where:]
        elif operation == "swap":
            lines = text.split("\n")
            first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[first], lines[second] = lines[second], lines[first]
            text = "\n".join(lines)
        else:
            raw.append((draw(st.integers(0, 2**20)), draw(st.sampled_from(RAW_BYTES))))
    data = text.encode("utf-8")
    for where, piece in raw:
        where %= len(data) + 1
        data = data[:where] + piece + data[where:]
    return data


@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                                 HealthCheck.function_scoped_fixture])
@given(story=twee_files())
def test_import_twine_ends_cleanly_on_any_story(tmp_path_factory, story):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "story.twee").write_bytes(story)
    ended = run_scormbuild("import-twine", "story.twee", "-o", "out", cwd=folder, memory_mb=MEMORY_MB, seconds=SECONDS)
    keep = f"keep this input in tests/data/twee/ (it is in {folder / 'story.twee'})\n"
    assert ended.clean, keep + ended.explain()
    event(f"import-twine exit {ended.returncode}")  # see them with --hypothesis-show-statistics
    if ended.returncode == 0:
        check = run_scormbuild("validate", "out", cwd=folder, memory_mb=MEMORY_MB, seconds=SECONDS)
        assert check.returncode == 0, keep + "import-twine wrote a course that does not validate:\n" + check.explain()
    else:
        assert ended.returncode == 1, keep + ended.explain()
        assert re.match(r"story\.twee:\d+:\d+: \S", ended.stderr), keep + ended.explain()
        assert "nothing was written" in ended.stderr, keep + ended.explain()
        assert sorted(p.name for p in folder.iterdir()) == ["story.twee"], keep + "a failed import left files behind"
