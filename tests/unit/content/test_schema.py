"""The declared content schema: every problem of a file in one run, and the reference
(README tables, editor JSON Schemas) generated from the same declarations."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from support.coursekit import copy_sample, run, write

from scormbuild import reference
from scormbuild.content.files import split_front_matter
from scormbuild.course import load_course
from scormbuild.errors import ContentErrors, ScormbuildError
from scormbuild.kinds import KINDS
from scormbuild.messages import TEMPLATES_DIR, catalog_tags, messages
from scormbuild.render import Player

ROOT = Path(__file__).resolve().parents[3]


def test_a_scene_with_five_mistakes_gets_every_key_problem_in_one_run(tmp_path):
    """The architecture review's example: before, `validate` reported only `titel`."""
    course = copy_sample(tmp_path)
    scene = write(course / "scenes" / "02-friend-request.md", """
        ---
        kind: decision
        titel: A friend request
        choise: 2
        choices:
          - text: Accept it
            score: -4
            goto: end
          - text: Report it
            goto: nowhere-at-all
            correct: tru
        ---
        Body.
        """)
    result = run("validate", str(course))
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() + result.stderr.splitlines()
                if line.startswith(str(scene))]
    expected = {"a decision scene needs `title`": 2, "unknown key `titel`": 3, "unknown key `choise`": 4,
                "`score` must be a whole number": 7, "`correct` must be `true` or `false`": 11}
    for message, line in expected.items():
        assert any(message in problem and f":{line}:" in problem for problem in problems), (message, problems)
    assert "did you mean `title`" in result.stdout + result.stderr


def test_the_editor_schemas_are_generated_from_the_declarations():
    for name, which in reference.SCHEMA_FILES.items():
        assert (ROOT / "editor" / name).read_text("utf-8") == reference.schema_text(which), name


def test_every_declared_key_is_in_the_guide_s_key_reference():
    page = reference.markdown()  # docs/hooks.py makes the guide's reference/keys.md from it
    for kind in KINDS.values():
        assert f"| `{kind.name}` |" in page
        for key in kind.keys:
            assert f"| `{key.name}` |" in page


def _front_matters(course: Path) -> list[dict]:
    matters = []
    for path in sorted((course / "scenes").glob("*.md")):
        front, _, _ = split_front_matter(path.read_text("utf-8"), path)
        matters.append(yaml.safe_load(front))
    return matters


def test_the_json_schemas_accept_the_sample_course_and_refuse_mistakes(sample_course=ROOT / "content" / "professional-boundaries"):
    scene_schema = reference.json_schema("scene")
    course_schema = reference.json_schema("course")
    jsonschema.Draft202012Validator.check_schema(scene_schema)
    for matter in _front_matters(sample_course):
        jsonschema.validate(matter, scene_schema)
    jsonschema.validate(yaml.safe_load((sample_course / "course.yaml").read_text("utf-8")), course_schema)
    for bad in ({"kind": "decision", "titel": "x", "choices": []},
                {"kind": "page", "title": "x", "choices": [{"text": "a"}]},
                {"kind": "quiz", "title": "x", "questions": [{"text": "q", "points": -1}]},
                {"kind": "video", "title": "x"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, scene_schema)


def test_every_kind_has_its_template_and_graph_style():
    for kind in KINDS.values():
        assert (TEMPLATES_DIR / kind.template).is_file(), kind.name
        assert kind.graph_shape and kind.graph_fill.startswith("#")
    assert len({kind.graph_shape for kind in KINDS.values()}) == len(KINDS)
    assert sum(kind.ends_course for kind in KINDS.values()) >= 1


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_interface_defaults_come_from_the_catalog_of_the_course_language(tmp_path, language):
    """A feedback scene's options heading is not English in a French or Arabic course."""
    assert all("options_prompt" in messages(tag) for tag in catalog_tags())
    course = copy_sample(tmp_path)
    text = (course / "course.yaml").read_text("utf-8")
    (course / "course.yaml").write_text(text.replace("language: en-GB", f"language: {language}"), "utf-8")
    html = Player(load_course(course)).files([])["index.html"].decode()
    assert "<h2>What do you want to do now?</h2>" not in html  # (the English catalog is in the page's data)
    assert f"<h2>{messages(language)['options_prompt']}</h2>" in html


ONE_MISTAKE = {
    "a bad next and choices that rely on it": (
        "kind: decision\ntitle: T\nnext: Bad\nchoices:\n  - text: a\n  - text: b\n", "`next` is `Bad`"),
    "a bad next on feedback without options": ("kind: feedback\ntitle: T\nnext: Bad\n", "`next` is `Bad`"),
    "question options that are not a list": (
        "kind: quiz\ntitle: T\nquestions:\n  - text: Q\n    options: 5\n", "`options` must be a list"),
    "an answer option without text": (
        "kind: quiz\ntitle: T\nquestions:\n  - text: Q\n    options:\n      - text: a\n        correct: true\n"
        "      - correct: false\n", "an answer option needs `text`"),
}


@pytest.mark.parametrize("name", ONE_MISTAKE)
def test_one_mistake_gives_one_message_not_its_knock_on_effects(tmp_path, name):
    front, message = ONE_MISTAKE[name]
    course = copy_sample(tmp_path)
    write(course / "scenes" / "02-friend-request.md", f"---\n{front}---\nBody.\n")
    with pytest.raises(ScormbuildError) as info:
        load_course(course)
    problems = info.value.errors if isinstance(info.value, ContentErrors) else [info.value]
    assert [message in problem.message for problem in problems] == [True], info.value.format()
