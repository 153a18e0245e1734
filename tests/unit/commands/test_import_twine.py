"""scormbuild import-twine: Twee 3 stories into content folders that build."""

from __future__ import annotations

from support.coursekit import run
from support.paths import DATA

from scormbuild.course import load_course
from scormbuild.kinds.decision import DecisionScene
from scormbuild.kinds.end import EndScene
from scormbuild.kinds.feedback import FeedbackScene
from scormbuild.kinds.page import PageScene

STORY = DATA / "friend-request.twee"


def test_a_twine_story_becomes_a_course_that_builds(tmp_path):
    target = tmp_path / "imported"
    result = run("import-twine", str(STORY), "-o", str(target))
    assert result.returncode == 0, result.stderr
    course = load_course(target)
    assert course.title == "Friend request sketch" and course.start == "the-request"
    request = course.scenes["the-request"]
    assert isinstance(request, DecisionScene)
    assert [(c.text, c.goto) for c in request.choices] == [
        ("Accept it", "accepted"), ("Ignore it and tell the care manager", "reported"),
        ("Reply privately", "reply-privately")]
    assert "[[" not in request.body_html and "friend request" in request.body_html
    accepted = course.scenes["accepted"]
    assert isinstance(accepted, FeedbackScene)
    assert [o.goto for o in accepted.options] == ["the-request", "wrap-up"]
    assert "(set:" not in accepted.body_html
    assert isinstance(course.scenes["reported"], PageScene) and course.scenes["reported"].next == "wrap-up"
    assert isinstance(course.scenes["wrap-up"], EndScene)
    built = run("build", str(target), "-o", str(tmp_path / "dist"))
    assert built.returncode == 0, built.stderr


def test_a_broken_link_in_the_story_is_reported_with_its_line(tmp_path):
    story = tmp_path / "s.twee"
    story.write_text(":: Start\nGo [[Nowhere]] or [[End]]\n\n:: End\nDone.\n", "utf-8")
    result = run("import-twine", str(story), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{story}:1:1: passage `Start` links to `Nowhere`, which is not a passage" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_without_passages(tmp_path):
    story = tmp_path / "empty.twee"
    story.write_text("just some text\n", "utf-8")
    result = run("import-twine", str(story), "-o", str(tmp_path / "out"))
    assert result.returncode == 1 and "no story passages" in result.stderr
