"""The scene cache: rebuilds parse only what changed and never use a stale scene."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursekit import copy_sample, line_of, run
from scormbuild.commands.build import build
from scormbuild.content import loader
from scormbuild.content.cache import CACHE_DIR, SceneCache
from scormbuild.content.loader import load_course
from scormbuild.errors import ContentErrors, ContentError
from scormbuild.package import read_zip
from scormbuild.standards import STANDARDS


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


def zips(built) -> dict[str, dict[str, bytes]]:  # noqa: ANN001
    return {package.standard.key: read_zip(package.path) for package in built}


def test_a_rebuild_parses_only_changed_files_and_gives_the_same_packages(tmp_path, parsed):
    course = copy_sample(tmp_path)
    first = zips(build(course, list(STANDARDS), tmp_path / "dist"))
    assert len(parsed) == 14
    parsed.clear()
    second = zips(build(course, list(STANDARDS), tmp_path / "dist"))
    assert parsed == [] and second == first
    fresh = zips(build(course, list(STANDARDS), tmp_path / "other", cache=False))
    assert fresh == first and not (tmp_path / "other" / CACHE_DIR).exists()

    parsed.clear()
    scene = course / "scenes" / "11-self-disclosure.md"
    scene.write_text(scene.read_text("utf-8") + "\nA NEW PARAGRAPH.\n", "utf-8")
    third = zips(build(course, ["scorm12"], tmp_path / "dist"))
    assert parsed == ["11-self-disclosure.md"]
    assert b"A NEW PARAGRAPH." in third["scorm12"]["index.html"]


def test_a_cached_scene_whose_image_is_gone_is_parsed_again_and_reported(tmp_path, parsed):
    course = copy_sample(tmp_path)
    build(course, ["scorm12"], tmp_path / "dist")
    (course / "media" / "friend-request.svg").unlink()
    parsed.clear()
    with pytest.raises((ContentError, ContentErrors)) as info:
        build(course, ["scorm12"], tmp_path / "dist")
    assert parsed == ["02-friend-request.md"]
    scene = course / "scenes" / "02-friend-request.md"
    assert f"02-friend-request.md:{line_of(scene, 'friend-request.svg')}" in info.value.format(course)
    assert "does not exist" in info.value.format(course)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_an_image_swapped_for_a_link_out_of_the_folder_is_not_taken_from_the_cache(tmp_path):
    course = copy_sample(tmp_path)
    build(course, ["scorm12"], tmp_path / "dist")
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg>private</svg>", "utf-8")
    image = course / "media" / "friend-request.svg"
    image.unlink()
    image.symlink_to(secret)
    with pytest.raises((ContentError, ContentErrors)) as info:
        build(course, ["scorm12"], tmp_path / "dist")
    assert "outside the course folder" in info.value.format(course)


def test_a_new_file_between_two_scenes_changes_where_the_first_one_leads(tmp_path):
    """`next:` defaults to the following file, so a cached scene must not keep the old one."""
    course = copy_sample(tmp_path)
    build(course, ["scorm12"], tmp_path / "dist")
    cache = SceneCache.in_output(tmp_path / "dist", course)
    assert load_course(course, cache).scenes["ending-relationships"].next == "ending-quiz"
    (course / "scenes" / "09-x-interlude.md").write_text(
        "---\nid: interlude\nkind: page\ntitle: Interlude\nnext: ending-quiz\n---\nA pause.\n", "utf-8")
    cache = SceneCache.in_output(tmp_path / "dist", course)
    assert load_course(course, cache).scenes["ending-relationships"].next == "interlude"


def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(tmp_path, parsed):
    course = copy_sample(tmp_path)
    build(course, ["scorm12"], tmp_path / "dist")
    (cache_file,) = (tmp_path / "dist" / CACHE_DIR).iterdir()
    for damage in (b"not a pickle", cache_file.read_bytes()[:100], b"\x80\x05N."):  # junk, cut short, None
        cache_file.write_bytes(damage)
        parsed.clear()
        build(course, ["scorm12"], tmp_path / "dist")
        assert len(parsed) == 14
        parsed.clear()
        build(course, ["scorm12"], tmp_path / "dist")
        assert parsed == []


def test_a_failed_build_writes_no_cache(tmp_path):
    course = copy_sample(tmp_path)
    scene = course / "scenes" / "14-end.md"
    scene.write_text(scene.read_text("utf-8").replace("kind: end", "kind: ending"), "utf-8")
    with pytest.raises((ContentError, ContentErrors)):
        build(course, ["scorm12"], tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_the_cli_builds_without_the_cache_when_asked(tmp_path):
    result = run("build", str(copy_sample(tmp_path)), "--format", "scorm12", "--no-cache", "-o", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["professional-boundaries-1.0.0-scorm12.zip"]


def test_caches_of_two_course_folders_do_not_mix(tmp_path):
    one, two = copy_sample(tmp_path / "a"), copy_sample(tmp_path / "b")
    scene = two / "scenes" / "01-welcome.md"
    scene.write_text(scene.read_text("utf-8").replace("Welcome", "Hello there", 1), "utf-8")
    build(one, ["scorm12"], tmp_path / "dist")
    built = build(two, ["scorm12"], tmp_path / "dist")
    assert b"Hello there" in read_zip(built[0].path)["index.html"]
    assert len(list((tmp_path / "dist" / CACHE_DIR).iterdir())) == 2
    assert SceneCache.in_output(tmp_path / "dist", one).file != SceneCache.in_output(tmp_path / "dist", two).file


def test_an_in_memory_cache_serves_one_reload_after_another(tmp_path, parsed):
    """What `scormbuild preview` keeps between live reloads."""
    course = copy_sample(tmp_path)
    cache = SceneCache()
    for expected in (14, 0, 1):
        if expected == 1:
            scene = course / "scenes" / "13-social-media.md"
            scene.write_text(scene.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        parsed.clear()
        assert len(load_course(course, cache).scenes) == 14
        cache.save()
        assert len(parsed) == expected
    assert cache.file is None


def test_a_file_too_big_to_be_a_scene_is_refused_in_a_cached_build_too(tmp_path):
    course = copy_sample(tmp_path)
    build(course, ["scorm12"], tmp_path / "dist")
    big = course / "scenes" / "15-huge.md"
    big.write_bytes(b"---\nkind: page\ntitle: Huge\n---\n" + b"x" * (loader.MAX_SOURCE_BYTES + 1))
    with pytest.raises((ContentError, ContentErrors)) as info:
        build(course, ["scorm12"], tmp_path / "dist")
    assert "15-huge.md:" in info.value.format(course) and "larger than 2 MB" in info.value.format(course)
