"""scormbuild new --title: any one-line title is written as YAML text that reads back exactly
(security review L8: it was written unquoted, so `:`, `"` or `#` broke course.yaml and a
newline injected keys; the new-user trial of issue 17 met the same with its titles below). Since
issue 17 every file `new` writes comes from the YAML emitter, which also quotes what YAML 1.2 reads
as a number (`1e3`, `0o17`)."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.coursekit import run

from scormbuild.commands.new import NewError, check_title, new_course
from scormbuild.course import load_course

AWKWARD = [
    'Care: a "quoted" #title',
    "- starts like a list item",
    "[not] a {flow} collection",
    "&anchor *alias !tag %directive @at `backtick`",
    "'single' and \"double\" quotes \\ and a backslash\\",
    "yes",
    "null",
    "~",
    "1.0",
    "0x1F",
    "2024-13-45",
    "--- three dashes",
    "...",
    "key: value # comment",
    "Ünïcödé, 日本語, العربية, emoji 🎓",
    "\u202eRTL override",
    "tab\tinside",
    "x" * 300,
    # The new-user trial's titles (issue 17).
    "Safeguarding: responding to a disclosure",
    "Safeguarding: responding",
    "Care: the basics",
    '"Dignity" in care',
    "- Infection control",
    "Yes",
    "No",
    "Fire safety #1",
    # What YAML 1.2 (scormbuild's loader) reads as a number but PyYAML's 1.1 emitter left unquoted.
    "1e3",
    "0o17",
]


@pytest.mark.parametrize("title", AWKWARD, ids=range(len(AWKWARD)))
def test_new_then_validate_succeeds_and_the_title_reads_back_exactly(tmp_path, title):
    result = run("new", "course", "--title", title, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    check = run("validate", "course", "--strict", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert load_course(tmp_path / "course").title == title
    assert (tmp_path / "course" / "course.yaml").read_text("utf-8").count("\nid: ") == 1


@pytest.mark.parametrize("title, what", [
    ("multi\nline: injected\nid: evil", "a line break (U+000A, character 6)"),
    ("carriage\rreturn", "a line break (U+000D"),
    ("next\u2028line", "a line break (U+2028"),
    ("bell\x07", "a control character (U+0007"),
    ("escape \x1b[2J", "a control character (U+001B"),
    ("not a character \ufffe", "a control character (U+FFFE"),
])
def test_a_title_with_a_line_break_or_a_control_character_is_refused_and_nothing_is_written(tmp_path, title, what):
    result = run("new", "course", "--title", title, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"new: --title contains {what}"), result.stderr
    assert not (tmp_path / "course").exists()


def test_surrounding_whitespace_is_dropped_and_an_empty_title_means_the_default(tmp_path):
    assert run("new", "a", "--title", "  Spaced out  ", cwd=tmp_path).returncode == 0
    assert load_course(tmp_path / "a").title == "Spaced out"
    assert run("new", "my-course", "--title", "   ", cwd=tmp_path).returncode == 0
    assert load_course(tmp_path / "my-course").title == "My course"


def _refused(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Zl", "Zp", "Cs") or (category == "Cc" and char != "\t") or char in "\ufffe\uffff"


@settings(max_examples=100, derandomize=True, database=None, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list(string.punctuation + " \t\n")),
               max_size=60))
def test_any_title_reads_back_exactly_or_is_refused(tmp_path_factory, title):
    target = tmp_path_factory.mktemp("new") / "course"
    if any(_refused(c) for c in title.strip()):
        with pytest.raises(NewError):
            check_title(title)
        return
    new_course(target, title)
    expected = title.strip() or "Course"
    assert load_course(target).title == expected
