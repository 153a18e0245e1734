"""`scormbuild new --template`: each starter is a course that validates with --strict and builds,
written by the YAML emitter (issue 17: the trial found a single starter, and a course.yaml made by
pasting text into a template)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from support.coursekit import run

from scormbuild.commands.course_writer import yaml_text
from scormbuild.content.files import split_front_matter
from scormbuild.content.yamlpos import parse_yaml
from scormbuild.course import load_course
from scormbuild.lint import course_warnings
from scormbuild.starters import DEFAULT_TEMPLATE, TEMPLATES, load_starter


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_each_template_passes_validate_strict_and_builds_every_format(tmp_path, template):
    made = run("new", "course", "--template", template, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    check = run("validate", "course", "--strict", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert course_warnings(load_course(tmp_path / "course")) == []
    built = run("build", "course", "-o", "dist", "--strict", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    zips = sorted((tmp_path / "dist").glob("*.zip"))
    assert len(zips) == 4
    for package in zips:
        with zipfile.ZipFile(package) as archive:
            assert archive.testzip() is None and "index.html" in archive.namelist()


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_file_reads_back_as_the_starter_wrote_it(tmp_path, template):
    """The emitter's output, read by scormbuild's YAML 1.2 loader, is the starter's data."""
    starter = load_starter(template)
    run("new", "course", "--template", template, "--title", "A: b #c", cwd=tmp_path)
    folder = tmp_path / "course"
    course_yaml = parse_yaml((folder / "course.yaml").read_text("utf-8"), folder / "course.yaml")
    assert course_yaml["title"] == "A: b #c"
    assert {key: course_yaml[key] for key in starter.settings} == starter.settings
    for scene in starter.scenes:
        path = folder / "scenes" / scene.file
        front, body, _ = split_front_matter(path.read_text("utf-8"), path)
        assert parse_yaml(front, path) == scene.front and body == scene.body


def test_what_each_template_is():
    def kinds(name: str) -> set[str]:
        return {scene.front["kind"] for scene in load_starter(name).scenes}

    assert kinds("example") == {"page", "decision", "reflection", "feedback", "quiz", "end"}
    branching = load_starter("branching")
    assert sum(scene.front["kind"] == "decision" for scene in branching.scenes) >= 2
    assert any(option["goto"] == "at-the-door" for scene in branching.scenes
               for option in scene.front.get("options", []))  # try again
    compliance = load_starter("compliance")
    assert kinds("compliance") == {"page", "quiz", "end"} and compliance.settings["pass_mark"] == 80
    dialogue = load_starter("dialogue")
    assert {"dialogue", "decision", "end"} <= kinds("dialogue")
    assert dialogue.settings["characters"] and dialogue.settings["variables"]
    assert any("branches" in scene.front for scene in dialogue.scenes)


def test_the_dialogue_ending_depends_on_the_choice(tmp_path):
    run("new", "course", "--template", "dialogue", cwd=tmp_path)
    course = load_course(tmp_path / "course")
    [choice_that_sets] = [c for c in course.scenes["the-chart"].choices_and_options() if c.changes]
    assert [(change.name, change.value) for change in choice_that_sets.changes] == [("asked_for_help", True)]
    shift = course.scenes["end-of-shift"]
    assert [(branch.goto, branch.condition.text) for branch in shift.branches] == [("well-done", "asked_for_help")]
    assert shift.next == "revisit" and course_warnings(course) == []


def test_help_lists_every_template_with_one_line(tmp_path):
    result = run("new", "--help")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    for name, summary in TEMPLATES.items():
        assert f"    {name:<11} {summary}" in lines
        assert len(f"    {name:<11} {summary}") <= 80
    assert DEFAULT_TEMPLATE == "example" and "[default: example]" in result.stdout


def test_without_template_the_default_starter_is_written(tmp_path):
    run("new", "plain", cwd=tmp_path)
    run("new", "example", "--template", DEFAULT_TEMPLATE, cwd=tmp_path)
    for path in sorted((tmp_path / "example").rglob("*")):
        if path.is_file():
            twin = tmp_path / "plain" / path.relative_to(tmp_path / "example")
            assert twin.read_text("utf-8") == path.read_text("utf-8").replace("id: example", "id: plain").replace(
                "title: Example", "title: Plain").replace("course:example", "course:plain")


def test_an_unknown_template_is_a_usage_error_and_nothing_is_written(tmp_path):
    result = run("new", "course", "--template", "brnaching", cwd=tmp_path)
    assert result.returncode == 2 and "brnaching" in result.stderr and "branching" in result.stderr
    assert not (tmp_path / "course").exists()


@pytest.mark.parametrize("text", ["yes", "No", "on", "1e3", "0o17", "010", "1:30", "~", "- x", "a: b", "#c", "'q'",
                                  "true", "2024-01-05", "<<", "=", "@x", "`x`", "!x", "%x", "&x", "*x"])
def test_the_emitter_quotes_whatever_yaml_1_1_or_1_2_would_not_read_as_that_text(text):
    import yaml

    written = yaml_text({"title": text})
    assert parse_yaml(written, Path("course.yaml"))["title"] == text
    assert yaml.safe_load(written)["title"] == text  # other tools (YAML 1.1) read the same
