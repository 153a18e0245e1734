"""Loading the content folder into the model, and the errors authors see."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.coursekit import copy_sample, line_of, write
from support.paths import SAMPLE

from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors, ScormbuildError
from scormbuild.kinds.decision import DecisionScene
from scormbuild.kinds.end import EndScene
from scormbuild.kinds.feedback import FeedbackScene
from scormbuild.kinds.quiz import QuizScene
from scormbuild.kinds.reflection import ReflectionScene


def only_error(error: ScormbuildError) -> ContentError:
    if isinstance(error, ContentErrors):
        assert len(error.errors) == 1, error.format()
        return error.errors[0]
    assert isinstance(error, ContentError)
    return error


def load_error(folder: Path) -> ContentError:
    with pytest.raises(ScormbuildError) as info:
        load_course(folder)
    return only_error(info.value)


def test_the_sample_course_loads_with_every_scene_kind():
    course = load_course(SAMPLE)
    kinds = {scene.kind for scene in course.scene_list}
    assert kinds == {"page", "decision", "dialogue", "feedback", "reflection", "quiz", "end"}
    assert course.start == "welcome"
    assert course.pass_mark == 70
    decision = course.scenes["friend-request"]
    assert isinstance(decision, DecisionScene) and len(decision.choices) >= 2
    assert [c.id for c in decision.choices if c.correct] == ["ignore-and-report"]
    follow_up = course.scenes["jenny-message"]
    assert isinstance(follow_up, DecisionScene)
    feedback = course.scenes["accept-feedback"]
    assert isinstance(feedback, FeedbackScene) and feedback.download and feedback.reflection == "accept-reflect"
    assert {o.goto for o in feedback.options} == {"friend-request", "social-media", "jenny-message"}
    assert isinstance(course.scenes["accept-reflect"], ReflectionScene)
    quiz = course.scenes["ending-quiz"]
    assert isinstance(quiz, QuizScene)
    assert {q.kind for q in quiz.questions} == {"single", "multiple", "true-false", "ordering"}
    assert isinstance(course.scenes["end"], EndScene)
    assert [a.package_path for a in course.assets] == [
        "content/media/boundaries-checklist.txt", "content/media/friend-request.svg",
        "content/media/people/jenny.svg", "content/media/people/priya.svg", "content/media/people/you.svg",
        "content/media/social-media-rules-poster.svg", "content/media/social-media-rules.en.vtt",
        "content/media/social-media-rules.mp4"]


def test_scene_ids_come_from_file_names_and_next_defaults_to_the_following_file(tmp_path):
    write(tmp_path / "course.yaml", "id: tiny\ntitle: Tiny\n")
    write(tmp_path / "scenes" / "01-hello-there.md", "---\nkind: page\ntitle: Hello\n---\nHi.\n")
    write(tmp_path / "scenes" / "02-bye.md", "---\nkind: end\ntitle: Bye\n---\nBye.\n")
    course = load_course(tmp_path)
    assert list(course.scenes) == ["hello-there", "bye"]
    assert course.scenes["hello-there"].next == "bye"
    assert course.version == "1.0.0" and course.language == "en" and course.pass_mark is None


def test_html_in_content_is_escaped_unless_the_scene_says_raw_html(tmp_path):
    write(tmp_path / "course.yaml", "id: x\ntitle: X\n")
    write(tmp_path / "scenes" / "01-a.md", "---\nkind: page\ntitle: A\n---\n<script>alert(1)</script> *hi*\n")
    write(tmp_path / "scenes" / "02-b.md", "---\nkind: page\ntitle: B\nraw_html: true\n---\n<span class=x>raw</span>\n")
    write(tmp_path / "scenes" / "03-c.md", "---\nkind: end\ntitle: C\n---\n")
    course = load_course(tmp_path)
    assert "<script>" not in course.scenes["a"].body_html
    assert "&lt;script&gt;" in course.scenes["a"].body_html
    assert '<span class=x>raw</span>' in course.scenes["b"].body_html


def test_yaml_syntax_error_points_at_file_and_line(tmp_path):
    course = copy_sample(tmp_path)
    scene = course / "scenes" / "07-jenny-message.md"
    scene.write_text(scene.read_text().replace("title: A message from Jenny", "title: [unclosed"), "utf-8")
    error = load_error(course)
    assert error.location.file == scene
    assert error.location.line == line_of(scene, "title: [unclosed") + 1  # YAML notices at the next line
    assert "YAML syntax error" in error.message


def test_yaml_error_in_course_yaml(tmp_path):
    course = copy_sample(tmp_path)
    (course / "course.yaml").write_text("id: x\ntitle: Bad: colon: here\n", "utf-8")
    error = load_error(course)
    assert error.location.file == course / "course.yaml"
    assert error.location.line == 2


def test_missing_scene_target_names_the_choice_line_and_suggests(tmp_path):
    course = copy_sample(tmp_path)
    scene = course / "scenes" / "02-friend-request.md"
    scene.write_text(scene.read_text().replace("goto: right-feedback", "goto: rigth-feedback"), "utf-8")
    error = load_error(course)
    assert error.location.file == scene
    assert error.location.line == line_of(scene, "goto: rigth-feedback")
    assert "`rigth-feedback` does not exist" in error.message and "did you mean `right-feedback`" in error.message


def test_unknown_scene_kind(tmp_path):
    course = copy_sample(tmp_path)
    scene = course / "scenes" / "09-ending-relationships.md"
    scene.write_text(scene.read_text().replace("kind: page", "kind: pgae"), "utf-8")
    error = load_error(course)
    assert (error.location.file, error.location.line) == (scene, line_of(scene, "kind: pgae"))
    assert "unknown scene kind `pgae`" in error.message and "did you mean `page`" in error.message


def test_missing_image(tmp_path):
    course = copy_sample(tmp_path)
    (course / "media" / "friend-request.svg").unlink()
    scene = course / "scenes" / "02-friend-request.md"
    error = load_error(course)
    assert (error.location.file, error.location.line) == (scene, line_of(scene, "![A phone screen"))
    assert "media/friend-request.svg" in error.message and "does not exist" in error.message


def test_image_without_alt_text(tmp_path):
    course = copy_sample(tmp_path)
    scene = course / "scenes" / "02-friend-request.md"
    text = scene.read_text()
    start = text.index("![") + 2
    scene.write_text(text[:start] + text[text.index("](", start):], "utf-8")
    error = load_error(course)
    assert "has no alt text" in error.message and error.location.file == scene


def test_files_outside_the_course_folder_are_refused(tmp_path):
    course = copy_sample(tmp_path)
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    scene = course / "scenes" / "01-welcome.md"
    scene.write_text(scene.read_text() + "\n[notes](../secret.txt)\n", "utf-8")
    error = load_error(course)
    assert "outside the course folder" in error.message
    assert (error.location.file, error.location.line) == (scene, line_of(scene, "../secret.txt"))


def test_several_problems_are_reported_together(tmp_path):
    course = copy_sample(tmp_path)
    for name in ("09-ending-relationships.md", "11-self-disclosure.md"):
        scene = course / "scenes" / name
        scene.write_text(scene.read_text().replace("kind: page", "kind: nope"), "utf-8")
    with pytest.raises(ContentErrors) as info:
        load_course(course)
    assert len(info.value.errors) == 2


@pytest.mark.parametrize(
    "front, message",
    [
        ("kind: decision\ntitle: D\nchoices:\n  - text: only one\n    goto: end", "at least two choices"),
        ("kind: page\ntitle: P\ncolour: red", "unknown key `colour`"),
        ("kind: page\ntitle: P\nnext: Not An Id", "not a valid identifier"),
        ("kind: quiz\ntitle: Q\nquestions:\n  - text: T?\n    kind: single\n    options:\n      - text: a\n      - text: b",
         "exactly one option with `correct: true`"),
        ("kind: quiz\ntitle: Q\nquestions:\n  - text: T?\n    kind: true-false", "needs `answer: true`"),
        ("kind: page\ntitle: P\ntitle: again", "`title` is given twice"),
        ("kind: feedback\ntitle: F", "needs `options:` or `next:`"),
    ],
)
def test_scene_mistakes_have_clear_messages(tmp_path, front, message):
    write(tmp_path / "course.yaml", "id: x\ntitle: X\n")
    write(tmp_path / "scenes" / "01-a.md", f"---\n{front}\n---\nBody\n")
    write(tmp_path / "scenes" / "02-end.md", "---\nkind: end\ntitle: End\n---\n")
    error = load_error(tmp_path)
    assert message in error.message, error.format()
    assert error.location.file == tmp_path / "scenes" / "01-a.md"


def test_non_utf8_and_binary_files_are_reported_not_crashed_on(tmp_path):
    write(tmp_path / "course.yaml", "id: x\ntitle: X\n")
    (tmp_path / "scenes").mkdir()
    (tmp_path / "scenes" / "01-a.md").write_bytes(b"---\nkind: page\ntitle: caf\xe9\n---\n")
    (tmp_path / "scenes" / "02-b.md").write_bytes(b"---\nkind: page\ntitle: B\n---\n\x00\x01\x02")
    write(tmp_path / "scenes" / "03-end.md", "---\nkind: end\ntitle: End\n---\n")
    with pytest.raises(ContentErrors) as info:
        load_course(tmp_path)
    messages = {e.location.file.name: (e.location.line, e.message) for e in info.value.errors}
    assert messages["01-a.md"] == (3, "file is not UTF-8 text")
    assert messages["02-b.md"][0] == 5 and "NUL byte" in messages["02-b.md"][1]


def test_a_big_course_loads_in_order_and_reports_an_error_in_a_late_file(tmp_path):
    from support.coursekit import decision_chain

    course_dir = decision_chain(tmp_path / "big", 500)
    course = load_course(course_dir)
    assert len(course.scenes) == 501
    assert list(course.scenes)[:3] == ["d0", "d1", "d2"] and list(course.scenes)[-1] == "finish"
    late = sorted((course_dir / "scenes").glob("*.md"))[-3]
    late.write_text(late.read_text().replace("kind: decision", "kind: decisoin"), "utf-8")
    error = load_error(course_dir)
    assert (error.location.file, error.location.line) == (late, 3)
    assert "did you mean `decision`" in error.message and error.hint
