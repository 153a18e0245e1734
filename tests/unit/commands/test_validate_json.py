"""`scormbuild validate --format json`: the shape CI reads (docs/validate-in-ci.md), its exit codes,
and that the guide's example is what the command really prints."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from support.coursekit import run, write_course
from support.paths import ROOT, SAMPLE

PROBLEM_KEYS = ["file", "line", "column", "severity", "message", "hint"]
REPORT_KEYS = ["format_version", "course", "ok", "strict", "counts", "errors", "warnings"]

DECISION_WITHOUT_GOTO = "---\nkind: decision\ntitle: D\nchoices:\n  - text: x\n    goto: end\n  - text: y\n---\n"
END = "---\nkind: end\ntitle: The end\n---\n"
ORPHAN_PAGE = "---\nkind: page\ntitle: Lost\nnext: end\n---\nNobody comes here.\n"


def validate_json(*args, cwd):
    """The command's exit code and its stdout read as JSON; stderr must stay empty."""
    result = run("validate", *args, "--format", "json", cwd=cwd)
    assert result.stderr == "", result.stderr
    report = json.loads(result.stdout)
    assert list(report) == REPORT_KEYS
    for problem in report["errors"] + report["warnings"]:
        assert list(problem) == PROBLEM_KEYS
    return result.returncode, report


def test_errors_name_the_file_relative_to_the_course_folder_with_line_column_and_hint(tmp_path):
    course = write_course(tmp_path / "courses" / "safeguarding", {"01-d.md": DECISION_WITHOUT_GOTO, "02-end.md": END},
                          course_yaml="id: t\ntitle: T\npass_mark: 70%\n")
    code, report = validate_json("courses/safeguarding", cwd=tmp_path)
    assert code == 1
    assert report["ok"] is False and report["strict"] is False
    assert report["course"] == "courses/safeguarding"
    assert report["counts"] == {"errors": 2, "warnings": 0}
    assert report["warnings"] == []
    choice, mark = sorted(report["errors"], key=lambda problem: problem["file"], reverse=True)
    assert choice == {"file": "scenes/01-d.md", "line": 7, "column": 5, "severity": "error",
                      "message": "this choice leads nowhere",
                      "hint": "add `goto: <scene id>` to the choice, or `next:` to the scene"}
    assert (mark["file"], mark["line"], mark["severity"]) == ("course.yaml", 3, "error")
    assert "pass_mark" in mark["message"] and mark["hint"] == ""
    # The same paths whatever the working folder: from inside the course, and by an absolute path.
    assert validate_json(".", cwd=course)[1]["errors"] == report["errors"]
    assert validate_json(str(course), cwd=tmp_path / "courses")[1]["errors"] == report["errors"]


def test_warnings_only_exit_0_unless_strict(tmp_path):
    write_course(tmp_path / "c", {"01-start.md": "---\nkind: page\ntitle: S\nnext: end\n---\n",
                                  "02-orphan.md": ORPHAN_PAGE, "03-end.md": END})
    code, report = validate_json("c", cwd=tmp_path)
    assert code == 0 and report["ok"] is True
    assert report["counts"] == {"errors": 0, "warnings": 1} and report["errors"] == []
    [warning] = report["warnings"]
    assert (warning["file"], warning["line"], warning["severity"]) == ("scenes/02-orphan.md", 2, "warning")
    assert "can never be reached" in warning["message"] and warning["hint"]

    strict_code, strict = validate_json("c", "--strict", cwd=tmp_path)
    assert strict_code == 1
    assert strict["ok"] is False and strict["strict"] is True
    assert strict["warnings"] == report["warnings"]


def test_a_course_folder_that_does_not_exist(tmp_path):
    code, report = validate_json("no-such-course", cwd=tmp_path)
    assert code == 1 and report["ok"] is False
    assert report["counts"] == {"errors": 1, "warnings": 0}
    assert report["errors"] == [{"file": ".", "line": 1, "column": 1, "severity": "error",
                                 "message": "course folder not found",
                                 "hint": "give the folder that holds course.yaml, e.g. content/my-course"}]


def test_a_clean_course_is_ok_with_empty_lists():
    code, report = validate_json(str(SAMPLE), "--strict", cwd=ROOT)
    assert code == 0
    assert report == {"format_version": 1, "course": str(SAMPLE), "ok": True, "strict": True,
                      "counts": {"errors": 0, "warnings": 0}, "errors": [], "warnings": []}


def test_a_file_name_that_is_not_utf8_still_gives_json_every_reader_accepts(tmp_path):
    course = write_course(tmp_path / "c", {"01-end.md": END})
    (course / "scenes").joinpath(b"02-\xff.md".decode("utf-8", "surrogateescape")).write_text("no front matter")
    result = run("validate", "c", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    result.stdout.encode("utf-8")  # no lone surrogate, in the text or as a \udcff escape
    assert "\\ud" not in result.stdout
    [problem] = json.loads(result.stdout)["errors"]
    assert problem["file"] == "scenes/02-\ufffd.md"


def test_text_output_is_unchanged_by_the_json_option(tmp_path):
    write_course(tmp_path / "c", {"01-d.md": DECISION_WITHOUT_GOTO, "02-end.md": END})
    result = run("validate", "c", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "c/scenes/01-d.md:7:5: this choice leads nowhere",
        "    hint: add `goto: <scene id>` to the choice, or `next:` to the scene",
        "1 error(s), 0 warning(s)",
    ]


def guide_page(title):
    """The guide's page "Validate in CI / pre-commit", up to its section on editors."""
    text = (ROOT / "docs" / "validate-in-ci.md").read_text("utf-8")
    return text[:text.find("\n## In your editor")]


def test_the_guide_s_example_is_what_validate_prints(tmp_path):
    """The guide describes a course (`pass_mark: 70%`, a choice without `goto:`) and shows its
    JSON; the same course, validated here, must print exactly that."""
    section = guide_page("Validate in CI")
    [example] = re.findall(r"```json\n(.*?)```", section, re.S)
    write_course(tmp_path / "content" / "my-course", {"01-d.md": DECISION_WITHOUT_GOTO, "02-end.md": END},
                 course_yaml="id: t\ntitle: T\npass_mark: 70%\n")
    result = run("validate", "content/my-course", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout) == json.loads(example)
    assert result.stdout.strip() == example.strip()


def readme_blocks(section, language):
    return re.findall(rf"```{language}\n(.*?)```", guide_page(section), re.S)


def test_the_guide_s_ci_job_annotates_each_problem_and_fails_on_errors_and_warnings(tmp_path):
    """The guide's GitHub Actions step, run here with bash and jq over a folder of three
    courses (clean, warnings only, errors) and the scormbuild of this test run."""
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed (Debian's jq; GitHub's runners have it)")
    workflow = yaml.safe_load(next(block for block in readme_blocks("Validate in CI", "yaml") if "jobs:" in block))
    [job] = workflow["jobs"].values()
    assert job["runs-on"] and all("uses" in step or "run" in step for step in job["steps"])
    [script] = [step["run"] for step in job["steps"] if step.get("name") == "Validate every course"]
    shutil.copytree(SAMPLE, tmp_path / "content" / "clean")
    write_course(tmp_path / "content" / "lost", {"01-start.md": "---\nkind: page\ntitle: S\nnext: end\n---\n",
                                                 "02-orphan.md": ORPHAN_PAGE, "03-end.md": END})
    write_course(tmp_path / "content" / "broken", {"01-d.md": DECISION_WITHOUT_GOTO, "02-end.md": END},
                 course_yaml="id: t\ntitle: T\npass_mark: 70%\n")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PATH": path}, timeout=120)
    assert result.returncode == 1, result.stderr
    assert sorted(result.stdout.splitlines()) == [
        "::error file=content/broken/course.yaml,line=3,col=1::`pass_mark` must be a whole number from 0 to 100, "
        "not 70%25 ",
        "::error file=content/broken/scenes/01-d.md,line=7,col=5::this choice leads nowhere "
        "add `goto: <scene id>` to the choice, or `next:` to the scene",
        "::warning file=content/lost/scenes/02-orphan.md,line=2,col=1::scene `orphan` can never be reached from "
        "`start` link to it from another scene (`next:`, `goto:`), or delete it",
    ]


def test_the_pre_commit_hook_is_a_valid_manifest_whose_command_validates_a_course(tmp_path):
    """pre-commit's own reader of .pre-commit-hooks.yaml (no network: nothing is installed), then
    the hook's command with the guide's `args:` as pre-commit would run it."""
    from pre_commit.clientlib import load_config, load_manifest

    [hook] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "scormbuild-validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    program, *command = hook["entry"].split()
    scripts = [point.name for point in metadata.distribution("scormbuild").entry_points
               if point.group == "console_scripts"]
    assert program in scripts

    [example] = [block for block in readme_blocks("Validate in CI", "yaml") if "repos:" in block]
    config_file = tmp_path / ".pre-commit-config.yaml"
    config_file.write_text(example, "utf-8")
    [repo] = load_config(str(config_file))["repos"]
    [configured] = repo["hooks"]
    assert configured["id"] == hook["id"]
    assert re.search(configured["files"], "content/my-course/scenes/01-welcome.md")

    folder = configured["args"][0]
    shutil.copytree(SAMPLE, tmp_path / folder)
    assert run(*command, *hook["args"], *configured["args"], cwd=tmp_path).returncode == 0
    (tmp_path / folder / "scenes" / "01-welcome.md").write_text("no front matter", "utf-8")
    failed = run(*command, *hook["args"], *configured["args"], cwd=tmp_path)
    assert failed.returncode == 1 and f"{folder}/scenes/01-welcome.md:1:1:" in failed.stderr
