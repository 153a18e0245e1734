"""The preview's scene cache: a reload parses only what changed and never uses a stale scene.
Builds keep nothing on disk, and nothing they find in the output folder is ever loaded."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest
from support.coursekit import copy_sample, line_of, run

from scormbuild.content import loader
from scormbuild.content.cache import LEGACY_CACHE_DIR, SceneCache
from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The names of the scene files the loader really parses (it still parses them)."""
    names: list[str] = []
    real = loader.CourseLoader.load_scene

    def recording(self, path, data=None):  # noqa: ANN001, ANN202
        names.append(path.name)
        return real(self, path, data)

    monkeypatch.setattr(loader.CourseLoader, "load_scene", recording)
    return names


def reload(course: Path, cache: SceneCache):  # noqa: ANN201
    """What `scormbuild preview` does on each change: load with the cache, then keep what was used."""
    loaded = load_course(course, cache)
    cache.save()
    return loaded


def scene_files(course: Path) -> list[Path]:
    return sorted((course / "scenes").glob("*.md"))


def test_a_reload_parses_only_changed_files_and_gives_the_same_course(tmp_path, parsed):
    course = copy_sample(tmp_path)
    cache = SceneCache()
    first = reload(course, cache)
    assert len(parsed) == len(scene_files(course))
    parsed.clear()
    second = reload(course, cache)
    assert parsed == []
    assert [(s.id, s.title, s.body_html, s.next) for s in second.scene_list] == \
        [(s.id, s.title, s.body_html, s.next) for s in first.scene_list]
    scene = course / "scenes" / "11-self-disclosure.md"
    scene.write_text(scene.read_text("utf-8") + "\nA NEW PARAGRAPH.\n", "utf-8")
    parsed.clear()
    third = reload(course, cache)
    assert parsed == ["11-self-disclosure.md"]
    assert "A NEW PARAGRAPH." in third.scenes["self-disclosure"].body_html


def test_a_cached_scene_whose_image_is_gone_is_parsed_again_and_reported(tmp_path, parsed):
    course = copy_sample(tmp_path)
    cache = SceneCache()
    reload(course, cache)
    (course / "media" / "friend-request.svg").unlink()
    parsed.clear()
    with pytest.raises((ContentError, ContentErrors)) as info:
        reload(course, cache)
    assert parsed == ["02-friend-request.md"]
    scene = course / "scenes" / "02-friend-request.md"
    assert f"02-friend-request.md:{line_of(scene, 'friend-request.svg')}" in info.value.format(course)
    assert "does not exist" in info.value.format(course)


def test_captions_that_change_alone_are_checked_again(tmp_path, parsed):
    """The preview's author edits only the .vtt file: the scene that shows the video is parsed
    again, so broken captions are reported (and fixed ones are accepted) without touching it."""
    course = copy_sample(tmp_path)
    cache = SceneCache()
    reload(course, cache)
    captions = course / "media" / "social-media-rules.en.vtt"
    good = captions.read_bytes()
    captions.write_text("not WebVTT at all\n", "utf-8")
    parsed.clear()
    with pytest.raises((ContentError, ContentErrors)) as info:
        reload(course, cache)
    assert parsed == ["13-social-media.md"]
    assert "social-media-rules.en.vtt" in info.value.format(course)
    captions.write_bytes(good)
    parsed.clear()
    reload(course, cache)
    assert parsed == ["13-social-media.md"]
    parsed.clear()
    reload(course, cache)
    assert parsed == []  # nothing changed: everything from the cache


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_an_image_swapped_for_a_link_out_of_the_folder_is_not_taken_from_the_cache(tmp_path):
    course = copy_sample(tmp_path)
    cache = SceneCache()
    reload(course, cache)
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg>private</svg>", "utf-8")
    image = course / "media" / "friend-request.svg"
    image.unlink()
    image.symlink_to(secret)
    with pytest.raises((ContentError, ContentErrors)) as info:
        reload(course, cache)
    assert "outside the course folder" in info.value.format(course)


def test_a_new_file_between_two_scenes_changes_where_the_first_one_leads(tmp_path):
    """`next:` defaults to the following file, so a cached scene must not keep the old one."""
    course = copy_sample(tmp_path)
    cache = SceneCache()
    assert reload(course, cache).scenes["ending-relationships"].next == "ending-quiz"
    (course / "scenes" / "09-x-interlude.md").write_text(
        "---\nid: interlude\nkind: page\ntitle: Interlude\nnext: ending-quiz\n---\nA pause.\n", "utf-8")
    assert reload(course, cache).scenes["ending-relationships"].next == "interlude"


def test_a_file_too_big_to_be_a_scene_is_refused_with_the_cache_too(tmp_path):
    course = copy_sample(tmp_path)
    cache = SceneCache()
    reload(course, cache)
    big = course / "scenes" / "15-huge.md"
    big.write_bytes(b"---\nkind: page\ntitle: Huge\n---\n" + b"x" * (loader.MAX_SOURCE_BYTES + 1))
    with pytest.raises((ContentError, ContentErrors)) as info:
        reload(course, cache)
    assert "15-huge.md:" in info.value.format(course) and "larger than 2 MB" in info.value.format(course)


def test_a_pickle_planted_in_the_output_folder_never_runs(tmp_path):
    """Security review finding 1: older versions unpickled OUTPUT/.scormbuild-cache/*.pickle, so a
    course repository could ship one that runs code on the next build."""
    course = copy_sample(tmp_path / "repo")
    witness = tmp_path / "pwned.txt"

    class Payload:
        def __reduce__(self):  # noqa: ANN204
            return (Path.write_text, (witness, "code ran"))

    name = hashlib.blake2b(str(course.resolve()).encode(), digest_size=8).hexdigest()
    planted = tmp_path / "dist" / LEGACY_CACHE_DIR / f"scenes-{name}.pickle"
    planted.parent.mkdir(parents=True)
    planted.write_bytes(pickle.dumps(Payload()))
    result = run("build", str(course), "-o", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr
    assert not witness.exists()
    assert not planted.parent.exists()  # the old cache folder is cleared away
    assert sorted(p.suffix for p in (tmp_path / "dist").iterdir()) == [".zip"] * 4


def test_no_cache_is_still_accepted_and_nothing_but_the_zips_is_written(tmp_path):
    result = run("build", str(copy_sample(tmp_path)), "--format", "scorm12", "--no-cache", "-o", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["professional-boundaries-1.0.0-scorm12.zip"]
    result = run("build", str(copy_sample(tmp_path / "again")), "--format", "scorm12", "-o", str(tmp_path / "d"))
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["professional-boundaries-1.0.0-scorm12.zip"]


def test_an_in_memory_cache_serves_one_reload_after_another(tmp_path, parsed):
    """What `scormbuild preview` keeps between live reloads."""
    course = copy_sample(tmp_path)
    cache = SceneCache()
    every = len(scene_files(course))
    for expected in (every, 0, 1):
        if expected == 1:
            scene = course / "scenes" / "13-social-media.md"
            scene.write_text(scene.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        parsed.clear()
        assert len(reload(course, cache).scenes) == every
        assert len(parsed) == expected
