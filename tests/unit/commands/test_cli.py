"""The command line as an author and an LMS admin use it: real processes, real exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.coursekit import copy_sample, line_of, run, write_course
from support.paths import SAMPLE


def test_build_writes_both_scorm_zips_and_they_validate(tmp_path):
    result = run("build", str(SAMPLE), "--format", "scorm12", "--format", "scorm2004", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["professional-boundaries-1.0.0-scorm12.zip", "professional-boundaries-1.0.0-scorm2004.zip"]
    check = run("validate-package", *(str(tmp_path / n) for n in names))
    assert check.returncode == 0, check.stderr
    assert check.stdout.count("valid") == 2


def test_format_all_builds_every_format(tmp_path):
    result = run("build", str(SAMPLE), "--format", "all", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.glob("*.zip"))) >= 2


BAD_CONTENT = {
    "yaml syntax": ("07-jenny-message.md", "title: A message from Jenny", "title: [oops", "YAML syntax error"),
    "missing target": ("02-friend-request.md", "goto: right-feedback", "goto: nowhere", "scene `nowhere` does not exist"),
    "unknown kind": ("09-ending-relationships.md", "kind: page", "kind: article", "unknown scene kind `article`"),
    "missing image": ("02-friend-request.md", "(media/friend-request.svg", "(media/missing.png", "does not exist"),
}


@pytest.mark.parametrize("case", BAD_CONTENT)
def test_bad_content_gives_one_clear_message_exit_1_no_traceback_no_zip(tmp_path, case):
    file_name, old, new, message = BAD_CONTENT[case]
    course = copy_sample(tmp_path)
    scene = course / "scenes" / file_name
    scene.write_text(scene.read_text("utf-8").replace(old, new), "utf-8")
    dist = tmp_path / "dist"
    result = run("build", "course", "-o", "dist", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    line = line_of(scene, new)
    if case == "yaml syntax":
        line += 1  # YAML reports the unclosed bracket where it gives up
    assert first.startswith(f"course/scenes/{file_name}:{line}:"), first
    assert message in first
    assert "hint:" in result.stderr
    assert not dist.exists() or list(dist.iterdir()) == []


def test_missing_course_folder(tmp_path):
    result = run("build", str(tmp_path / "nope"), "-o", str(tmp_path / "dist"))
    assert result.returncode == 1 and "course folder not found" in result.stderr and "Traceback" not in result.stderr


def test_validate_package_on_a_non_zip(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not a zip")
    result = run("validate-package", str(junk))
    assert result.returncode == 1 and "not a readable zip" in result.stderr and "Traceback" not in result.stderr


def test_a_build_time_lrs_credential_is_packaged_with_a_loud_warning(tmp_path):
    import json
    import zipfile

    result = run("build", str(SAMPLE), "-f", "scorm12", "-f", "xapi", "-o", str(tmp_path),
                 "--lrs-endpoint", "https://lrs.example.org/xAPI/", "--lrs-key", "writer", "--lrs-secret", "s3cret")
    assert result.returncode == 0, result.stderr
    assert "WARNING" in result.stderr and "WRITE" in result.stderr
    with zipfile.ZipFile(tmp_path / "professional-boundaries-1.0.0-scorm12.zip") as archive:
        config = json.loads(archive.read("lrs.json"))
        assert b'href="lrs.json"' in archive.read("imsmanifest.xml")
    assert config == {"endpoint": "https://lrs.example.org/xAPI/", "auth": "Basic d3JpdGVyOnMzY3JldA=="}
    with zipfile.ZipFile(tmp_path / "professional-boundaries-1.0.0-xapi.zip") as archive:
        assert "lrs.json" not in archive.namelist()  # xAPI packages get their LRS from the launch URL
    assert run("validate-package", *map(str, tmp_path.glob("*.zip"))).returncode == 0


def test_lrs_options_go_together(tmp_path):
    result = run("build", str(SAMPLE), "-o", str(tmp_path), "--lrs-endpoint", "https://lrs.example.org/xAPI/")
    assert result.returncode == 2 and "go together" in result.stderr


def test_validate_reports_every_problem_at_once_with_locations(tmp_path):
    course = write_course(tmp_path / "c", {
        "01-a.md": "---\nkind: pgae\ntitle: A\n---\n",
        "02-b.md": "---\nkind: page\ntitle: B\nnext: nowhere\n---\n",
        "03-c.md": "---\nkind: page\ntitle: C\ncolor: red\n---\n",
        "04-end.md": "---\nkind: end\ntitle: End\n---\n",
    })
    result = run("validate", str(course), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    problems = {(Path(e["file"]).name, e["line"]): e["message"] for e in report["errors"]}
    assert problems[("01-a.md", 2)].startswith("unknown scene kind `pgae` (did you mean `page`?)")
    assert "unknown key `color`" in problems[("03-c.md", 4)]
    assert problems[("02-b.md", 2)].startswith("scene `nowhere` does not exist")  # in the same run
    assert len(report["errors"]) == 3


def test_validate_warns_about_unreachable_scenes_and_decisions_without_a_right_answer(tmp_path):
    course = write_course(tmp_path / "c", {
        "01-start.md": "---\nkind: decision\ntitle: D\nchoices:\n  - text: x\n    goto: end\n  - text: y\n    goto: end\n---\n",
        "02-orphan.md": "---\nkind: page\ntitle: Lost\nnext: end\n---\n",
        "03-end.md": "---\nkind: end\ntitle: End\n---\n",
    })
    result = run("validate", str(course))
    assert result.returncode == 0
    assert "02-orphan.md:2:1: warning: scene `orphan` can never be reached" in result.stderr
    assert "01-start.md:2:1: warning: decision `start` has no right choice" in result.stderr
    assert "0 error(s), 2 warning(s)" in result.stderr
    assert run("validate", str(course), "--strict").returncode == 1
    built = run("build", str(course), "-o", str(tmp_path / "dist"))
    assert built.returncode == 0 and "warning: scene `orphan`" in built.stderr


def test_build_strict_fails_on_warnings_and_writes_nothing(tmp_path):
    course = write_course(tmp_path / "c", {
        "01-start.md": "---\nkind: page\ntitle: Start\nnext: end\n---\n",
        "02-orphan.md": "---\nkind: page\ntitle: Lost\nnext: end\n---\n",
        "03-end.md": "---\nkind: end\ntitle: End\n---\n",
    })
    strict = run("build", str(course), "--strict", "-o", str(tmp_path / "dist"))
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "02-orphan.md:2:1: warning: scene `orphan` can never be reached" in strict.stderr
    assert "build: 1 warning(s), and --strict makes warnings errors" in strict.stderr
    assert "error: 1 problem(s); nothing was written." in strict.stderr
    assert not (tmp_path / "dist").exists()
    clean = run("build", str(SAMPLE), "--strict", "-f", "xapi", "-o", str(tmp_path / "sample"))
    assert clean.returncode == 0, clean.stderr
    assert len(list((tmp_path / "sample").glob("*.zip"))) == 1


def test_build_logs_its_warnings_with_their_location(tmp_path, caplog):
    import logging

    from scormbuild.commands.build import build
    from scormbuild.errors import StrictError

    course = write_course(tmp_path / "c", {
        "01-start.md": "---\nkind: page\ntitle: Start\nnext: end\n---\n",
        "02-orphan.md": "---\nkind: page\ntitle: Lost\nnext: end\n---\n",
        "03-end.md": "---\nkind: end\ntitle: End\n---\n",
    })
    with caplog.at_level(logging.INFO, logger="scormbuild"):
        [package] = build(course, ["scorm12"], tmp_path / "dist")
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert (warning.problem.location.file.name, warning.problem.location.line) == ("02-orphan.md", 2)
    assert "scene `orphan` can never be reached" in warning.getMessage()
    assert any(r.getMessage() == "reading the content" for r in caplog.records)
    assert package.path.exists()
    with pytest.raises(StrictError):
        build(course, ["scorm2004"], tmp_path / "strict", strict=True)
    assert not (tmp_path / "strict").exists()


def test_a_loop_with_no_way_out_is_an_error(tmp_path):
    course = write_course(tmp_path / "c", {
        "01-a.md": "---\nkind: decision\ntitle: A\nchoices:\n  - text: x\n    goto: b\n    correct: true\n  - text: y\n    goto: end\n---\n",
        "02-b.md": "---\nkind: page\ntitle: B\nnext: c\n---\n",
        "03-c.md": "---\nkind: page\ntitle: C\nnext: b\n---\n",
        "04-end.md": "---\nkind: end\ntitle: End\n---\n",
    })
    result = run("validate", str(course))
    assert result.returncode == 1
    assert "02-b.md:2:1: learners who reach `b` can never get to an end scene" in result.stderr


def test_new_scaffolds_a_course_that_builds_straight_away_with_every_scene_kind(tmp_path):
    result = run("new", "my-first-course", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "my-first-course"
    from scormbuild.course import load_course

    course = load_course(folder)
    assert {s.kind for s in course.scene_list} == {"page", "decision", "feedback", "reflection", "quiz", "end"}
    assert course.id == "my-first-course"
    check = run("validate", str(folder), "--strict")
    assert check.returncode == 0, check.stderr
    built = run("build", str(folder), "-o", str(tmp_path / "dist"))
    assert built.returncode == 0, built.stderr
    assert len(list((tmp_path / "dist").glob("*.zip"))) == 4
    again = run("new", "my-first-course", cwd=tmp_path)
    assert again.returncode == 1 and "not empty" in again.stderr


@pytest.mark.parametrize("command", [
    ["build", str(SAMPLE), "-o", "{blocker}/dist"],
    ["graph", str(SAMPLE), "-o", "{blocker}/graph.svg"],
    ["new", "{blocker}/course"],
])
def test_an_unwritable_output_path_is_a_clear_error_not_a_traceback(tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    result = run(*[part.replace("{blocker}", str(blocker)) for part in command])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(blocker) in result.stderr


@pytest.mark.parametrize("options, message", [
    (["--lrs-endpoint", "javascript:alert(1)", "--lrs-key", "k", "--lrs-secret", "s"], "not an http(s) address"),
    (["--lrs-endpoint", "http://[::1", "--lrs-key", "k", "--lrs-secret", "s"], "not an http(s) address"),
    (["--lrs-endpoint", "https://lrs.example.org/", "--lrs-key", "a:b", "--lrs-secret", "s"], "cannot contain `:`"),
])
def test_lrs_options_are_checked(tmp_path, options, message):
    """Security review L12: a javascript: endpoint or a key with `:` were packaged without a word."""
    result = run("build", str(SAMPLE), "-o", str(tmp_path), *options)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_lrs_secret_can_come_from_the_environment_and_xapi_only_builds_are_not_warned(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SCORMBUILD_LRS_SECRET": "s3cret"}
    common = [sys.executable, "-m", "scormbuild", "build", str(SAMPLE), "--lrs-endpoint", "https://lrs.example.org/xAPI/",
              "--lrs-key", "writer"]
    scorm = subprocess.run([*common, "-f", "scorm12", "-o", str(tmp_path / "a")], capture_output=True, text=True, env=env)
    assert scorm.returncode == 0 and "WARNING" in scorm.stderr and "s3cret" not in scorm.stderr + scorm.stdout
    xapi = subprocess.run([*common, "-f", "xapi", "-o", str(tmp_path / "b")], capture_output=True, text=True, env=env)
    assert xapi.returncode == 0 and "WARNING" not in xapi.stderr and "only by SCORM packages" in xapi.stderr


def test_validate_package_checks_every_zip_and_counts_every_problem(tmp_path):
    built = run("build", str(SAMPLE), "-f", "scorm12", "-o", str(tmp_path))
    assert built.returncode == 0, built.stderr
    good = next(tmp_path.glob("*.zip"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    result = run("validate-package", str(bad), str(good))
    assert result.returncode == 1
    assert f"{good}: valid SCORM 1.2 package" in result.stdout  # the zip after the bad one was checked too
    assert "error: 1 problem(s)." in result.stderr
