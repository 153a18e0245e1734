"""import-twine on hostile Twee files: linear time, bounded memory, a clean `file:line` error or a
course that validates, and nothing written when it fails (security review #13, L1, L11; issue 14).

Time and memory are asserted by limits on a child process (tests/sandbox.py), never by timing.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.paths import DATA as TESTS_DATA
from support.sandbox import run_in_process, run_python, run_scormbuild

from scormbuild.commands.twine.expressions import Names
from scormbuild.commands.twine.passages import read_passage
from scormbuild.commands.twine.pieces import split_link
from scormbuild.commands.twine.story import MAX_HEADER_CHARS, Passage

DIALECTS = ["harlowe", "sugarcube", "chapbook", "any"]

DATA = TESTS_DATA / "twee"
MEMORY_MB = 512


def import_story(tmp_path: Path, text: str | bytes, seconds: float | None = None):
    """Run import-twine on ``text`` (as story.twee in tmp_path) into tmp_path/out: in a child process
    limited to ``seconds`` and MEMORY_MB when the test is about limits, else in this process."""
    story = tmp_path / "story.twee"
    if isinstance(text, bytes):
        story.write_bytes(text)
    else:
        story.write_bytes(text.encode("utf-8"))
    if seconds is None:
        return run_in_process("import-twine", "story.twee", "-o", "out", cwd=tmp_path)
    return run_scormbuild("import-twine", "story.twee", "-o", "out", cwd=tmp_path, memory_mb=MEMORY_MB, seconds=seconds)


def assert_refused(ended, tmp_path: Path, line: int, message: str) -> None:
    """A clean exit 1 whose first line is `story.twee:LINE:1: MESSAGE…`, and nothing written."""
    assert ended.clean and ended.returncode == 1, ended.explain()
    assert ended.stderr.startswith(f"story.twee:{line}:1: {message}"), ended.explain()
    assert "nothing was written" in ended.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.twee"], "a failed import left files behind"


def assert_imported(ended, tmp_path: Path) -> None:
    assert ended.clean and ended.returncode == 0, ended.explain()
    check = run_in_process("validate", "out", cwd=tmp_path)
    assert check.returncode == 0, check.explain()


# -- #13: the passage header -------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("header", [
    ":: a" + " " * (MAX_HEADER_CHARS - 5) + "[",  # the review's repro (400 spaces took 17 s), at the limit
    ":: a" + " \t" * ((MAX_HEADER_CHARS - 5) // 2) + "{",
    ":: " + "a " * ((MAX_HEADER_CHARS - 4) // 2) + "[",
    ":: " + "\\ " * ((MAX_HEADER_CHARS - 4) // 2) + "[x] junk",
])
def test_a_long_pathological_header_is_read_at_once(tmp_path, header):
    ended = import_story(tmp_path, header + "\nhi\n", seconds=20)
    assert ended.clean and ended.returncode == 1, ended.explain()
    assert ended.stderr.startswith("story.twee:1:1: "), ended.explain()


@pytest.mark.slow
def test_header_parsing_is_linear_even_without_the_length_cap():
    """A million-character header, with the cap lifted, in a child process limited to 20 s."""
    ended = run_python(["-c", textwrap.dedent("""
        from pathlib import Path
        import scormbuild.commands.twine.story as twine
        from scormbuild.errors import ContentError
        twine.MAX_HEADER_CHARS = 10**8
        for header in (":: a" + " " * 10**6 + "[", ":: " + "a " * 500000 + "{", ":: " + "\\\\[" * 500000):
            try:
                twine.parse_header(header, Path("s.twee"), 1)
            except ContentError:
                pass
        print("done")
        """)], memory_mb=MEMORY_MB, seconds=20)
    assert ended.clean and ended.returncode == 0 and "done" in ended.stdout, ended.explain()


def test_a_header_longer_than_the_limit_is_a_clear_error_with_its_line(tmp_path):
    ended = import_story(tmp_path, ":: Start\n[[Next]]\n\n:: Next" + " " * 100_000 + "[\nDone.\n")
    assert_refused(ended, tmp_path, 4, f"this passage header is 100,008 characters long; the limit is {MAX_HEADER_CHARS:,}")
    assert len(ended.stderr) < 1000  # the header itself is not echoed


def test_escaped_brackets_and_backslashes_in_names():
    from scormbuild.commands.twine.story import parse_header

    assert parse_header(r":: Start \[draft\] [a b] {\"x\":1}", Path("s"), 1) == ("Start [draft]", ["a", "b"])
    assert parse_header(r":: C:\\Temp\\ {x}", Path("s"), 1) == ("C:\\Temp\\", [])
    assert parse_header(":: \\{odd\\}", Path("s"), 1) == ("{odd}", [])


# -- L11: links and macros, duplicate and empty names ------------------------------------------

LINK = re.compile(r"\[\[(.+?)\]\]")
PIECES = ["[[", "]]", "[", "]", "<<", ">>", "<</if>>", "<<if $x>>", "<<else>>", "<", ">", "(", ")", "(a:", "(set:",
          "(if: $x)[", "(else:)[", "|h>[", "|h)[", "{", "}", "{link to: 'a'}", "[if x]\n", "[else]\n", ":", "a",
          " ", "$x", "''", "//", "\n", "|", "->", "<-", "][", "é"]


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from(DIALECTS))
def test_any_passage_text_is_read_without_error(text, dialect):
    converted = read_passage(Passage("p", [], text, 1, 1), dialect, Names())
    for link in converted.links:  # what a link holds is checked by validate after the import
        assert link.target and link.line >= 1
    for note in converted.notes:
        assert 1 <= note.line <= 1 + text.count("\n")


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(st.sampled_from(["[[", "]]", "[", "]", "a", " ", "\n", "é", "b"]), max_size=40).map("".join),
       st.sampled_from(DIALECTS))
def test_links_are_found_as_the_plain_pattern_finds_them(text, dialect):
    """In text without macros or hooks, links are exactly what `[[(.+?)]]` matches (a link never spans lines)."""
    found = [link.target for link in read_passage(Passage("p", [], text, 1, 1), dialect, Names()).links]
    assert found == [target for inner in LINK.findall(text) if (target := split_link(inner)[1])]


@pytest.mark.slow
def test_reading_passages_is_linear():
    """25,000 `[[` (the review: 200,000 took more than 60 s), `<<`, `(a:`, `{`, nested hooks or
    conditions, each read as Harlowe and SugarCube at once and as Chapbook, in a child limited to 20 s
    (a few seconds when linear; a quadratic scan would take hours)."""
    ended = run_python(["-c", textwrap.dedent("""
        from scormbuild.commands.twine.expressions import Names
        from scormbuild.commands.twine.markup import to_markdown
        from scormbuild.commands.twine.passages import read_passage
        from scormbuild.commands.twine.story import Passage
        for text in ("[[" * 25000, "[[a" * 25000 + "]]", "<<" * 25000, "(a:" * 25000, "(a:" * 25000 + ")",
                     "<<" * 25000 + "(a:" * 25000 + ">>)", ("[[x]]" + "<<" * 50 + "\\n") * 10000,
                     "(if: $x)[" * 12500 + "[[a]]" * 12500 + "]" * 12500, "<<if $x>>[[a]]" * 12500,
                     "{" * 25000, "[if x]\\n" * 25000, "''" * 25000 + "//" * 25000, "|a>[" * 12500,
                     "(set: $x to " * 12500):
            for dialect in ("any", "chapbook"):
                to_markdown(text, dialect)
                read_passage(Passage("p", [], text, 1, 1), dialect, Names())
        print("done")
        """)], memory_mb=MEMORY_MB, seconds=20)
    assert ended.clean and ended.returncode == 0 and "done" in ended.stdout, ended.explain()


@pytest.mark.slow
def test_a_passage_full_of_unclosed_links_and_macros_imports_in_bounded_time(tmp_path):
    """End to end (Markdown then renders the rest, which is linear too, but slower than the importer)."""
    story = ":: Start\n" + "[[" * 20_000 + "\n" + "<<" * 20_000 + "\n" + "(a:" * 20_000 + "\n[[End]]\n\n:: End\nDone.\n"
    ended = import_story(tmp_path, story, seconds=30)  # before the fix: about 50 s
    assert_imported(ended, tmp_path)


def test_two_passages_with_the_same_name_are_refused_at_import(tmp_path):
    ended = import_story(tmp_path, ":: a\n[[b]]\n\n:: b\nDone.\n\n:: a\nAgain.\n")
    assert_refused(ended, tmp_path, 7, "two passages are named `a`")
    assert "the other one is on line 1" in ended.stderr


@pytest.mark.parametrize("header", ["::", "::  ", ":: \t ", ":: [tag]", ":: {\"position\":\"1,1\"}"])
def test_a_passage_without_a_name_is_refused_at_import(tmp_path, header):
    ended = import_story(tmp_path, f":: Start\n[[End]]\n\n{header}\ntext\n\n:: End\nDone.\n")
    assert_refused(ended, tmp_path, 4, "this passage has no name")
    assert "hint: write a name after `::`" in ended.stderr


# -- L1: StoryData -----------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ("[1,2]", "StoryData must be a JSON object, not a list"),
    ('"text"', "StoryData must be a JSON object, not text"),
    ("5", "StoryData must be a JSON object, not a number"),
    ("null", "StoryData must be a JSON object, not null"),
    ("true", "StoryData must be a JSON object, not true or false"),
    ("[" * 100_000, "StoryData nests lists and objects more than 32 levels deep"),
    ('{"a":' * 100_000, "StoryData nests lists and objects more than 32 levels deep"),
    ('{"start": ' + "9" * 5000 + "}", "StoryData is not JSON that can be read"),
    ('{"start": 5}', "StoryData's `start` must be the name of a passage"),
    ('{"start": ["Start"]}', "StoryData's `start` must be the name of a passage"),
    ('{"start": "Nowhere"}', "the story's start passage `Nowhere` does not exist"),
    ('{"start": "StoryTitle"}', "the story's start passage `StoryTitle` does not exist"),
])
def test_storydata_that_is_not_a_json_object_is_a_clean_error(tmp_path, data, message):
    ended = import_story(tmp_path, f":: StoryTitle\nT\n\n:: StoryData\n{data}\n\n:: Start\nDone.\n")
    assert_refused(ended, tmp_path, 4, message)


def test_invalid_storydata_json_is_reported_at_its_own_line(tmp_path):
    ended = import_story(tmp_path, ':: StoryData\n\n{\n  "start": "Start",\n  oops\n}\n\n:: Start\nDone.\n')
    assert_refused(ended, tmp_path, 5, "StoryData is not valid JSON")


# -- what would have made a course that fails `validate` ---------------------------------------

@pytest.mark.parametrize("story, line, message", [
    (":: Start [decision]\n[[End]]\n\n:: End\nx\n", 1, "passage `Start` is tagged `decision` but has 1 link(s)"),
    (":: Start [page]\nNo links.\n\n:: End\nx\n", 1, "passage `Start` is tagged `page` but has no link"),
    (":: Start\n" + "".join(f"[[{i}->End]]\n" for i in range(36)) + "\n:: End\nx\n", 1,
     "passage `Start` has 36 links; a decision can have at most 35 choices"),
    (":: Start [feedback]\nNo links.\n\n:: End\nx\n", 1, "feedback passage `Start` has no links"),
    (":: Start\n[[A]]\n[[B]]\n\n:: A\n[[Start]]\n\n:: B\n[[A]]\n", 1, "the story has no ending"),
    (":: Start\n[[Loop]]\n[[End]]\n\n:: Loop\n[[Loop2]]\n\n:: Loop2\n[[Loop]]\n\n:: End\nx\n", 5,
     "learners who reach passage `Loop` can never get to an ending"),
    (":: Start\nSee ![the hoist](media/hoist.png)\n", 1,
     "passage `Start` would not validate as a scene: image `media/hoist.png` does not exist"),
    (":: Start\nA bell\x07 rings.\n", 2, "the file contains the control character U+0007"),
    (":: Start\nA\x85B\n", 2, "the file contains the control character U+0085"),
])
def test_a_story_that_would_not_validate_is_refused_at_its_passage(tmp_path, story, line, message):
    assert_refused(import_story(tmp_path, story), tmp_path, line, message)


def test_nul_bytes_and_invalid_utf8_are_clean_errors(tmp_path):
    assert_refused(import_story(tmp_path, b":: Start\nA\x00B\n"), tmp_path, 2, "file contains a NUL byte")
    assert_refused(import_story(tmp_path, b":: Start\nA\xffB\n"), tmp_path, 2, "file is not UTF-8 text")


@pytest.mark.slow
def test_a_story_that_is_not_a_regular_file_is_refused_before_reading(tmp_path):
    (tmp_path / "story.twee").symlink_to("/dev/zero")
    ended = run_scormbuild("import-twine", "story.twee", "-o", "out", cwd=tmp_path, memory_mb=MEMORY_MB, seconds=20)
    assert ended.clean and ended.returncode == 1, ended.explain()
    assert ended.stderr.startswith("story.twee:1:1: this is not a regular file"), ended.explain()


def test_a_failed_import_removes_the_folders_it_made(tmp_path):
    (tmp_path / "story.twee").write_text(":: Start\n![x](missing.png)\n", "utf-8")
    ended = run_in_process("import-twine", "story.twee", "-o", "new/deeper/out", cwd=tmp_path)
    assert ended.clean and ended.returncode == 1, ended.explain()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.twee"]


@pytest.mark.slow
def test_many_names_with_the_same_slug_get_short_unique_ids(tmp_path):
    marks = "!?.,;'~^"
    names = ["a" * 70 + "".join(marks[i // 8 ** d % 8] for d in range(4)) for i in range(1201)]  # all slug to 60 a's
    story = ":: Start\n" + "".join(f"[[{n}]]\n" for n in names[:35]) + "".join(f"\n:: {n}\nx\n" for n in names)
    ended = import_story(tmp_path, story, seconds=60)
    assert_imported(ended, tmp_path)
    ids = [p.name.split("-", 1)[1][:-3] for p in (tmp_path / "out" / "scenes").iterdir()]
    assert len(set(ids)) == len(ids) == 1202 and max(map(len, ids)) <= 64


# -- the corpus ---------------------------------------------------------------------------------

CORPUS = sorted([*DATA.glob("*.twee"), *DATA.glob("*.html")])


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_story_of_the_corpus_ends_as_its_name_says(tmp_path, path):
    """ok-*.twee import into a course that validates; bad-*.twee are refused with a located message."""
    ended = import_story(tmp_path, path.read_bytes(), seconds=20)
    if path.name.startswith("ok-"):
        assert_imported(ended, tmp_path)
    else:
        assert ended.clean and ended.returncode == 1, ended.explain()
        assert re.match(r"story\.twee:\d+:\d+: ", ended.stderr), ended.explain()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["story.twee"]


# -- Twine HTML ----------------------------------------------------------------------------------

@pytest.mark.parametrize("reference", ["&#7;", "&#x1B;", "&#xFFFF;"])
def test_a_control_character_written_as_a_reference_in_html_is_refused(tmp_path, reference):
    story = f'<html>\n<tw-storydata name="S">\n<tw-passagedata pid="1" name="A">a{reference}b</tw-passagedata>'
    assert_refused(import_story(tmp_path, story + "</tw-storydata>\n"), tmp_path, 3,
                   "passage `A` contains the control character U+")


def test_html_without_a_story_is_refused(tmp_path):
    assert_refused(import_story(tmp_path, "<html><body><p>Just a page <tw-storydata"), tmp_path, 1,
                   "this HTML file holds no Twine story")
