"""`video:` and `audio:` on a scene: read, checked (WebVTT, media types, speech, other hosts),
packaged and listed in every manifest; lint's warnings about media a package does not hold."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from support.coursekit import run, write_course
from support.paths import DATA

from scormbuild.commands.validate_package import validate_package
from scormbuild.content.media import check_webvtt
from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors
from scormbuild.render import player_asset

MEDIA = DATA / "media"
END = "---\nkind: end\ntitle: End\n---\nBye.\n"
CAPTIONS = "  captions:\n    - src: media/clip.en.vtt\n      language: en\n      label: English\n"


def course_with(tmp_path: Path, front: str, body: str = "Watch this.\n") -> Path:
    """A two-scene course whose first (page) scene has ``front`` added to its front matter."""
    folder = write_course(tmp_path / "course", {"01-start.md": f"---\nkind: page\ntitle: Start\n{front}---\n{body}",
                                                "02-end.md": END})
    shutil.copytree(MEDIA, folder / "media")
    return folder


def problems(folder: Path) -> list[ContentError]:
    with pytest.raises((ContentError, ContentErrors)) as caught:
        load_course(folder)
    error = caught.value
    return list(error.errors) if isinstance(error, ContentErrors) else [error]


def only_problem(folder: Path) -> ContentError:
    found = problems(folder)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


VIDEO = "video:\n  src: media/clip.mp4\n  title: A clip\n" + CAPTIONS


def test_a_video_and_an_audio_are_read_with_their_captions_poster_and_transcript(tmp_path):
    folder = course_with(tmp_path, VIDEO + "  poster: media/poster.svg\n  require_complete: true\n"
                         "audio:\n  src: media/tone.mp3\n  title: A tone\n  transcript: |\n    A *beep*.\n")
    (folder / "media" / "poster.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    course = load_course(folder)
    video, audio = course.scenes["start"].media
    assert (video.kind, video.src, video.mime, video.title, video.require_complete) == \
        ("video", "content/media/clip.mp4", "video/mp4", "A clip", True)
    assert [(t.package_path, t.language, t.label) for t in video.captions] == \
        [("content/media/clip.en.vtt", "en", "English")]
    assert video.poster == "content/media/poster.svg"
    assert (audio.kind, audio.src, audio.mime) == ("audio", "content/media/tone.mp3", "audio/mpeg")
    assert audio.transcript_html == "<p>A <em>beep</em>.</p>\n"
    assert {a.package_path for a in course.assets} == {
        "content/media/clip.mp4", "content/media/clip.en.vtt", "content/media/poster.svg", "content/media/tone.mp3"}


@pytest.mark.parametrize(("text", "line", "col", "message"), [
    ("WEBVT\n\n00:00.000 --> 00:01.000\nHi\n", 1, 1, "must start with the line `WEBVTT`"),
    ("\ufeffWEBVTT\n\n00:00,000 --> 00:01.000\nHi\n", 3, 1, "`00:00,000` is not a WebVTT time"),
    ("WEBVTT\n\n00:00.000 --> 00:01,000\nHi\n", 3, 15, "`00:01,000` is not a WebVTT time"),
    ("WEBVTT\n\n00:00.000 --> 00:61.000\nHi\n", 3, 15, "`00:61.000` is not a WebVTT time"),
    ("WEBVTT\n\n00:02.000 --> 00:01.000\nHi\n", 3, 15, "the cue ends (00:01.000) before it starts"),
    ("WEBVTT\n\n00:02.000 --> 00:03.000\nA\n\n00:01.000 --> 00:04.000\nB\n", 6, 1, "before the one above it"),
    ("WEBVTT\n\n1\nHello\nthere\n", 3, 1, "this cue has no timing line"),
    ("WEBVTT\n\n00:00.000 -> 00:01.000\nHi\n", 3, 1, "this cue has no timing line"),
    ("WEBVTT\n\nNOTE only a note\n", 1, 1, "has no cues"),
])
def test_webvtt_mistakes_are_found_at_their_line_and_column(tmp_path, text, line, col, message):
    path = tmp_path / "c.vtt"
    with pytest.raises(ContentError) as caught:
        check_webvtt(text.lstrip("\ufeff"), path)
    error = caught.value
    assert message in str(error), str(error)
    assert (error.location.line, error.location.col) == (line, col)
    assert error.hint


def test_good_webvtt_with_ids_notes_styles_and_settings_passes(tmp_path):
    text = ("WEBVTT - a title\n\nNOTE a note\nover two lines\n\nSTYLE\n::cue { color: yellow }\n\n"
            "intro\n00:00:00.000 --> 00:00:01.500 line:0 position:50%\n<v Jenny>Hello\n\n"
            "01:00.000 --> 01:02.000\nLater\n")
    assert check_webvtt(text, tmp_path / "ok.vtt") == 2


def test_a_broken_captions_file_is_reported_in_the_captions_file(tmp_path):
    folder = course_with(tmp_path, VIDEO)
    (folder / "media" / "clip.en.vtt").write_text("WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nHi\n", "utf-8")
    error = only_problem(folder)
    assert error.location.file.name == "clip.en.vtt" and error.location.line == 3
    assert "dot before the milliseconds" in error.hint


@pytest.mark.parametrize(("front", "line", "message"), [
    ("video:\n  src: media/clip.mp4\n  title: A clip\n", 4, "a video needs captions"),
    ("audio:\n  src: media/tone.mp3\n  title: A tone\n", 4, "an audio needs a transcript"),
    ("video:\n  src: media/clip.avi\n  title: A clip\n  no_speech: true\n", 5, "not in a video format"),
    ("video:\n  src: media/tone.mp3\n  title: A clip\n  no_speech: true\n", 5, "not in a video format"),
    ("audio:\n  src: media/clip.mp3\n  title: A tone\n  no_speech: true\n", 5, "does not hold audio/mpeg data"),
    ("video:\n  src: media/missing.mp4\n  title: A clip\n  no_speech: true\n", 5, "does not exist"),
    ("video:\n  src: ../outside.mp4\n  title: A clip\n  no_speech: true\n", 5, "outside the course folder"),
    ("video:\n  src: https://videos.example.org/a.mp4\n  title: A clip\n  no_speech: true\n", 5,
     "is on another server"),
    ("video:\n  src: media/clip.mp4\n  no_speech: true\n", 5, "needs `title`"),
    ("video:\n  src: media/clip.mp4\n  title: A clip\n  no_speech: true\n  autoplay: true\n", 8,
     "unknown key `autoplay`"),
    ("video:\n  src: media/clip.mp4\n  title: A clip\n  captions:\n    - src: media/clip.en.srt\n"
     "      language: en\n      label: English\n", 8, "must be a WebVTT file"),
    ("video:\n  src: media/clip.mp4\n  title: A clip\n  captions:\n    - src: media/clip.en.vtt\n"
     "      language: English\n      label: English\n", 9, "not a language tag"),
    ("video:\n  src: media/clip.mp4\n  title: A clip\n  no_speech: true\n  poster: media/tone.mp3\n", 8,
     "`poster` must be a picture"),
    ("video: media/clip.mp4\n", 4, "must be a set of `key: value` lines"),
])
def test_media_mistakes_are_reported_at_their_key(tmp_path, front, line, message):
    folder = course_with(tmp_path, front)
    (folder / "media" / "clip.mp3").write_bytes((MEDIA / "clip.mp4").read_bytes())  # an mp4 named .mp3
    (folder / "media" / "clip.en.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n", "utf-8")
    error = only_problem(folder)
    assert message in str(error), str(error)
    assert error.location.file.name == "01-start.md" and error.location.line == line, str(error)
    assert error.hint or "needs `title`" in str(error) or "set of" in str(error)


def test_every_problem_of_a_media_key_is_reported_in_one_run(tmp_path):
    folder = course_with(tmp_path, "video:\n  src: media/clip.avi\n  captions:\n    - src: media/none.vtt\n"
                                   "      language: en\n      label: English\n")
    messages = " | ".join(str(p) for p in problems(folder))
    assert "needs `title`" in messages and "not in a video format" in messages and "does not exist" in messages


def test_the_media_files_are_in_every_package_and_manifest_and_the_packages_are_valid(tmp_path):
    folder = course_with(tmp_path, VIDEO + "  poster: media/poster.svg\n"
                         "audio:\n  src: media/tone.mp3\n  title: A tone\n  no_speech: true\n")
    (folder / "media" / "poster.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    built = run("build", str(folder), "-o", str(tmp_path / "dist"), "--strict")
    assert built.returncode == 0, built.stderr
    wanted = {"content/media/clip.mp4", "content/media/clip.en.vtt", "content/media/poster.svg",
              "content/media/tone.mp3"}
    packages = sorted((tmp_path / "dist").glob("*.zip"))
    assert len(packages) == 4
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
            assert wanted <= names, package.name
            assert archive.read("content/media/clip.mp4") == (MEDIA / "clip.mp4").read_bytes()
            manifest = next(n for n in ("imsmanifest.xml", "tincan.xml", "cmi5.xml") if n in names)
            listed = archive.read(manifest).decode()
            html = archive.read("index.html").decode()
        validate_package(package)  # XSDs, and every content file listed (SCORM)
        if manifest == "imsmanifest.xml":
            assert all(f'href="{path}"' in listed for path in wanted), package.name
        # Nothing is requested before the scene: no src or poster in the markup, only data- attributes.
        media_tags = re.findall(r"<(?:video|audio|track)\b[^>]*>", html)
        assert len(media_tags) == 3 and not any(re.search(r"\s(?:src|poster)=", tag) for tag in media_tags)
        assert 'preload="none"' in html and "autoplay" not in html
        assert player_asset("media.js").decode() in html  # in the page, as the rest of the player
        data = json.loads(re.search(r'id="course-data">(.*?)</script>', html, re.S).group(1))
        start = next(s for s in data["scenes"] if s["id"] == "start")
        assert start["media"][0] == {"type": "video", "id": "urn:scormbuild:course:t/scenes/start/video",
                                     "title": "A clip", "requireComplete": False}


def test_a_course_without_media_ships_no_media_script(tmp_path):
    folder = course_with(tmp_path, "")
    built = run("build", str(folder), "-o", str(tmp_path / "dist"), "-f", "xapi")
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(next((tmp_path / "dist").glob("*.zip"))) as archive:
        assert "assets/media.js" not in archive.namelist()
        assert b"media.js" not in archive.read("index.html")


def test_an_external_source_is_allowed_when_asked_and_then_build_warns(tmp_path):
    folder = course_with(tmp_path, "video:\n  src: https://videos.example.org/a.mp4\n  title: A clip\n"
                         "  external: true\n" + CAPTIONS)
    course = load_course(folder)
    assert course.scenes["start"].media[0].src == "https://videos.example.org/a.mp4"
    built = run("build", str(folder), "-o", str(tmp_path / "dist"), "-f", "xapi")
    assert built.returncode == 0 and "01-start.md:4:1: warning: `video` is loaded from https://videos" in built.stderr
    assert "makes requests outside" in built.stderr
    strict = run("build", str(folder), "-o", str(tmp_path / "strict"), "-f", "xapi", "--strict")
    assert strict.returncode == 1 and not (tmp_path / "strict").exists()


def test_raw_html_media_with_a_local_file_is_a_warning_that_points_to_the_keys(tmp_path):
    body = '<video controls src="media/clip.mp4"></video>\n'
    folder = course_with(tmp_path, "raw_html: true\n", body)
    checked = run("validate", str(folder))
    assert "warning: the body's HTML <video> refers to `media/clip.mp4`, which is not packaged" in checked.stderr
    assert "use `video:` or `audio:`" in checked.stderr
    for fine in ('<video controls src="https://example.org/a.mp4"></video>\n', "<p>No media.</p>\n"):
        (folder / "scenes" / "01-start.md").write_text(f"---\nkind: page\ntitle: Start\nraw_html: true\n---\n{fine}")
        assert "not packaged" not in run("validate", str(folder)).stderr


def test_a_media_file_is_packaged_once_when_two_scenes_share_it(tmp_path):
    folder = course_with(tmp_path, "audio:\n  src: media/tone.mp3\n  title: A tone\n  no_speech: true\n")
    (folder / "scenes" / "01b-again.md").write_text(
        "---\nkind: page\ntitle: Again\naudio:\n  src: media/tone.mp3\n  title: Again\n  no_speech: true\n---\nx\n")
    course = load_course(folder)
    assert [a.package_path for a in course.assets].count("content/media/tone.mp3") == 1
