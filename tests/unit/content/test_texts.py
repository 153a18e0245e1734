"""The player's own words: per-course overrides in course.yaml, and every catalog packaged."""

from __future__ import annotations

import zipfile

from support.coursekit import copy_sample, line_of, run

from scormbuild.commands.build import build
from scormbuild.course import load_course
from scormbuild.messages import catalog_tags, messages
from scormbuild.render import Player


def with_texts(tmp_path, block: str):
    course = copy_sample(tmp_path)
    yaml_file = course / "course.yaml"
    yaml_file.write_text(yaml_file.read_text("utf-8") + "texts:\n" + block, "utf-8")
    return course


def test_a_course_replaces_the_players_words_in_its_own_language(tmp_path):
    course = with_texts(tmp_path, "  points_to_consider: Things to think about\n  result_score: 'You scored {score}.'\n")
    player = Player(load_course(course))
    page = player.files([])["index.html"].decode()
    assert "<h2 data-t=\"points_to_consider\">Things to think about</h2>" in page
    assert '"result_score":"You scored {score}."' in page
    assert messages("en")["points_to_consider"] not in page


def test_every_mistake_in_texts_is_reported_at_its_line_in_one_run(tmp_path):
    course = with_texts(tmp_path, "  points_to_considr: Things\n  result_score: Your score\n  continue: [a, b]\n")
    result = run("validate", str(course))
    assert result.returncode == 1
    yaml_file = course / "course.yaml"
    err = result.stderr
    assert f"course.yaml:{line_of(yaml_file, 'points_to_considr')}:" in err
    assert "unknown key `points_to_considr` in `texts` (did you mean `points_to_consider`?)" in err
    assert f"course.yaml:{line_of(yaml_file, 'result_score')}:" in err and "must contain {score}" in err
    assert f"course.yaml:{line_of(yaml_file, 'continue:')}:" in err and "`continue` must be text" in err


def test_every_interface_language_is_packaged_for_a_learner_who_prefers_it(tmp_path):
    for package in build(copy_sample(tmp_path), ["scorm12", "cmi5"], tmp_path / "dist"):
        with zipfile.ZipFile(package.path) as zip_file:
            names = set(zip_file.namelist())
            assert {f"assets/messages/{tag}.json" for tag in catalog_tags()} <= names
            if package.standard.key == "scorm12":
                assert "assets/messages/fr.json" in zip_file.read("imsmanifest.xml").decode()
