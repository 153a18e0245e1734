"""Content is read with YAML 1.2 semantics, and indentation that merges list items is a warning
(issue 17, from the new-user trial: a choice `No` failed with a misleading hint, and a bullet
indented one space too far was silently joined to the one above it)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from support.coursekit import run, write

from scormbuild.commands.validate import validate
from scormbuild.content.yamlpos import parse_yaml
from scormbuild.course import load_course
from scormbuild.errors import ContentError


def read(value: str) -> object:
    return parse_yaml(f"key: {value}\n", Path("course.yaml"))["key"]


@pytest.mark.parametrize("plain", ["Yes", "No", "yes", "no", "YES", "NO", "On", "Off", "on", "off", "ON", "OFF",
                                   "y", "n", "Y", "N", "1:30", "12:30:00", "190:20:30.15", "2024-01-05",
                                   "2001-12-14t21:59:43.10-05:00", "1_000", "0b101", "=", "+.5e", "0o8", "0xG"])
def test_what_yaml_1_1_read_as_a_yes_no_a_number_or_a_date_is_text(plain):
    assert read(plain) == plain


@pytest.mark.parametrize("plain, value", [
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("010", 10), ("-010", -10), ("+12", 12), ("0o17", 15), ("0x1F", 31), ("0", 0),
    ("1.5", 1.5), ("1e3", 1000.0), ("-.5", -0.5), ("1.", 1.0), ("6.02E23", 6.02e23),
    (".inf", math.inf), ("-.Inf", -math.inf),
    ("~", None), ("null", None), ("Null", None), ("", None),
])
def test_yaml_1_2_core_values(plain, value):
    assert read(plain) == value and type(read(plain)) is type(value)


def test_not_a_number_is_a_float():
    assert math.isnan(read(".nan"))  # type: ignore[arg-type]


def test_quoted_values_and_explicit_tags_are_as_written():
    assert read('"true"') == "true" and read("'010'") == "010"
    assert read("!!bool yes") is True and read("!!str 1.5") == "1.5"


# A decision whose choices are the trial's `Yes` and `No`.
YES_NO_DECISION = """
    ---
    kind: decision
    title: Tell the manager?
    choices:
      - text: Yes
        correct: true
        goto: end
      - text: No
        goto: end
    ---
    Do you tell the manager?
    """
END = "---\nkind: end\ntitle: End\n---\nBye.\n"


def course_with(tmp_path: Path, decision: str) -> Path:
    folder = tmp_path / "course"
    write(folder / "course.yaml", "id: t\ntitle: T\npass_mark: 50\n")
    write(folder / "scenes" / "01-ask.md", decision)
    write(folder / "scenes" / "02-end.md", END)
    return folder


def test_choices_yes_and_no_are_texts(tmp_path):
    course = load_course(course_with(tmp_path, YES_NO_DECISION))
    assert [choice.text for choice in course.scenes["ask"].choices] == ["Yes", "No"]


@pytest.mark.parametrize("written", ["yes", "Yes", "on", "y"])
def test_a_yes_no_key_written_yes_says_to_write_true(tmp_path, written):
    problems = validate(course_with(tmp_path, YES_NO_DECISION.replace("correct: true", f"correct: {written}")))
    [problem] = problems.errors
    assert (problem.location.file.name, problem.location.line) == ("01-ask.md", 6)
    assert problem.message == f"`correct` must be `true` or `false`, not {written}"
    assert "write `true` for yes" in problem.hint


def test_a_text_key_written_true_says_to_quote_it(tmp_path):
    [problem] = validate(course_with(tmp_path, YES_NO_DECISION.replace("text: No", "text: false"))).errors
    assert problem.location.line == 8 and problem.message == "`text` must be text, not false"
    assert problem.hint == 'YAML reads a bare `false` as a yes/no value: write it in quotes, e.g. `text: "false"`'


# The trial's reflection: the second bullet indented one space more than the first.
MERGED_POINTS = """
    ---
    kind: reflection
    title: Points
    next: ask
    points:
     - Do not promise to keep it secret, however hard it is to say, possibly more.
      - A promise you cannot keep breaks trust later.
     - Write down what was said.
    ---
    Body.
    """


def test_a_list_item_indented_too_far_is_a_warning_at_its_line(tmp_path):
    folder = course_with(tmp_path, YES_NO_DECISION)
    write(folder / "scenes" / "00-points.md", MERGED_POINTS)
    report = validate(folder)
    assert report.errors == []
    [warning] = report.warnings
    assert (warning.location.file.name, warning.location.line, warning.location.col) == ("00-points.md", 7, 3)
    assert warning.severity == "warning" and "(line 6)" in warning.message and "shown as one" in warning.message
    strict = run("validate", str(folder), "--strict")
    assert strict.returncode == 1 and "00-points.md:7:3: warning: this line starts with `- `" in strict.stderr


def test_merged_items_in_course_yaml_are_warned_of_too(tmp_path):
    folder = course_with(tmp_path, YES_NO_DECISION)
    (folder / "course.yaml").write_text("id: t\ntitle: T\ndescription: One\n  - two\n", "utf-8")
    [warning] = validate(folder).warnings
    assert (warning.location.file.name, warning.location.line) == ("course.yaml", 4)


@pytest.mark.parametrize("text", [
    "points:\n  - one\n  - two\n",                             # a list as meant
    "points:\n  - one\n    and more of one\n",                  # a long item wrapped on purpose
    "points:\n  - 'one\n    - quoted, so meant'\n",             # quoted: the author chose it
    "points:\n  - >\n    folded\n    - a dash in a block\n",    # a block text: YAML keeps its lines
    "text: a - b on one line\n",
])
def test_well_indented_or_quoted_texts_give_no_warning(text):
    data = parse_yaml(text, Path("x.yaml"))
    assert data.warnings == ()


def test_a_date_is_text_but_an_impossible_tagged_date_is_an_error_at_its_line():
    assert read("2024-13-45") == "2024-13-45"
    with pytest.raises(ContentError) as info:
        parse_yaml("a: 1\nkey: !!timestamp 2024-13-45\n", Path("course.yaml"))
    assert info.value.location.line == 2 and "cannot be read as a date" in info.value.message


def test_the_warning_line_counts_line_breaks_as_yaml_does():
    data = parse_yaml("title: T\r\npoints:\r\n - a\r\n  - b\r\n", Path("course.yaml"), line_offset=1)
    assert data["points"] == ["a - b"] and [w.location.line for w in data.warnings] == [5]
