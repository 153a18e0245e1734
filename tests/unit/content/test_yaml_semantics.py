"""Content is read with YAML 1.2 semantics,
(issue 17, from the new-user trial: a choice `No` failed with a misleading hint)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from support.coursekit import write

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


def test_a_date_is_text_but_an_impossible_tagged_date_is_an_error_at_its_line():
    assert read("2024-13-45") == "2024-13-45"
    with pytest.raises(ContentError) as info:
        parse_yaml("a: 1\nkey: !!timestamp 2024-13-45\n", Path("course.yaml"))
    assert info.value.location.line == 2 and "cannot be read as a date" in info.value.message
