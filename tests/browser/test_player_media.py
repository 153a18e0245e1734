"""Video and audio in Chromium: nothing requested before the scene, captions track, Continue held
until the media has played to its end (not in review, nor again after resuming), and the xAPI
Video Profile statements as a real LRS (Ralph) stores them."""

from __future__ import annotations

import json
import shutil
import urllib.parse
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support.coursekit import write_course
from support.learner import Learner
from support.lrs import BASIC_AUTH
from support.paths import DATA
from test_player_xapi import CMI5_SESSION, launch_cmi5

from scormbuild.commands.build import build
from scormbuild.player_data import messages

IRI = "https://learning.example.org/courses/media-test"
VIDEO_IRI = f"{IRI}/scenes/watch/video"
AUDIO_IRI = f"{IRI}/scenes/listen/audio"
VIDEO = "https://w3id.org/xapi/video/"
EN = messages("en")
MEDIA_FILES = ("clip.webm", "clip.en.vtt", "poster.svg", "tone.mp3")


@pytest.fixture(scope="module")
def media_dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = write_course(tmp_path_factory.mktemp("media") / "course", {
        "01-start.md": "---\nkind: page\ntitle: Start\n---\nFirst.\n",
        "02-watch.md": "---\nkind: page\ntitle: Watch\nvideo:\n  src: media/clip.webm\n  title: A clip\n"
                       "  poster: media/poster.svg\n  require_complete: true\n  captions:\n"
                       "    - src: media/clip.en.vtt\n      language: en\n      label: English\n---\nWatch it.\n",
        "03-listen.md": "---\nkind: page\ntitle: Listen\naudio:\n  src: media/tone.mp3\n  title: A tone\n"
                        "  transcript: |\n    A *beep*.\n---\nListen.\n",
        "04-end.md": "---\nkind: end\ntitle: End\n---\nBye.\n",
    }, course_yaml=f"id: media-test\ntitle: Media test\niri: {IRI}\n")
    shutil.copytree(DATA / "media", folder / "media")
    (folder / "media" / "poster.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"/>')
    out = tmp_path_factory.mktemp("media-dist")
    return {p.standard.key: p.path for p in build(folder, ["scorm12", "xapi", "cmi5"], out)}


def requested_media(requests: list[str]) -> list[str]:
    return [url for url in requests if url.rsplit("/", 1)[-1] in MEDIA_FILES]


def play_to_end(learner: Learner, selector: str) -> None:
    """Play it muted (Chromium lets a page start muted media without a gesture) and wait for the end."""
    learner.scene_locator().locator(selector).evaluate("el => { el.muted = true; return el.play(); }")
    expect(learner.scene_locator().locator(selector)).to_have_js_property("ended", True, timeout=10000)


def test_media_load_only_on_their_scene_and_continue_waits_for_the_end(page, web_root, media_dist):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", web_root.add_package(media_dist["scorm12"], "media12"))
    learner.expect_scene("start")
    page.wait_for_timeout(300)
    assert requested_media(requests) == []  # not the video, the captions, the poster, nor the audio
    learner.continue_()
    learner.expect_scene("watch")
    scene = learner.scene_locator()
    video = scene.locator("video")
    expect(video).to_have_attribute("src", "content/media/clip.webm")
    expect(video).to_have_attribute("poster", "content/media/poster.svg")
    expect(video).to_have_attribute("preload", "none")
    expect(video).to_have_attribute("controls", "")
    track = video.locator("track")
    expect(track).to_have_attribute("kind", "captions")
    expect(track).to_have_attribute("src", "content/media/clip.en.vtt")
    expect(track).to_have_attribute("srclang", "en")
    assert track.get_attribute("default") is not None
    # The captions are loaded and showing (their cue is the one in the .vtt file).
    page.wait_for_function("() => { const v = document.getElementById('course').contentDocument.querySelector("
                           "'#scene-watch video'); return v.textTracks[0].mode === 'showing' && "
                           "v.textTracks[0].cues && v.textTracks[0].cues.length === 1; }")
    assert video.evaluate("v => v.textTracks[0].cues[0].text") == "A one-second test clip."
    assert video.evaluate("el => el.paused && !el.autoplay")
    assert not any(url.endswith("tone.mp3") for url in requests)  # the next scene's audio: not yet
    # Held until the end, with the reason beside the button.
    button = scene.locator('[data-action="next"]')
    expect(button).to_be_disabled()
    gate = scene.locator(".media-gate")
    expect(gate).to_be_visible()
    expect(gate).to_have_text(EN["media_play_to_end"])
    assert button.get_attribute("aria-describedby") == gate.get_attribute("id")
    play_to_end(learner, "video")
    expect(button).to_be_enabled()
    expect(gate).to_be_hidden()
    learner.continue_()
    learner.expect_scene("listen")
    listen = learner.scene_locator()
    expect(listen.locator("audio")).to_have_attribute("src", "content/media/tone.mp3")
    expect(listen.locator('[data-action="next"]')).to_be_enabled()  # not required here
    transcript = listen.locator("details.transcript")
    transcript.locator("summary").click()
    expect(transcript.locator("em")).to_have_text("beep")
    # Back to the video: done in this session, so not required again.
    listen.locator('[data-action="back"]').click()
    learner.expect_scene("watch")
    expect(learner.scene_locator().locator('[data-action="next"]')).to_be_enabled()
    # SCORM's data model records nothing about media (no interaction).
    assert not [c for c in learner.lms_calls() if c["fn"] == "set" and "interactions" in str(c["element"])]


def test_resuming_after_the_video_does_not_require_it_again(page, web_root, media_dist):
    learner = Learner(page, web_root.base)
    path = web_root.add_package(media_dist["scorm12"], "media12-resume")
    learner.launch("scorm12", path)
    learner.continue_()
    play_to_end(learner, "video")
    learner.continue_()
    learner.expect_scene("listen")
    learner.scene_locator().locator('[data-action="back"]').click()
    learner.expect_scene("watch")
    core = learner.cmi()["core"]
    suspend = learner.cmi()["suspend_data"]
    learner.leave()
    saved = {"cmi": {"core": {"entry": "resume", "lesson_location": core["lesson_location"]},
                     "suspend_data": suspend}}
    again = Learner(page, web_root.base)
    again.launch("scorm12", path, saved=saved)
    again.expect_scene("watch")
    expect(again.scene_locator().locator('[data-action="next"]')).to_be_enabled()
    expect(again.scene_locator().locator(".media-gate")).to_be_hidden()


def test_a_fresh_attempt_on_the_video_scene_requires_it(page, web_root, media_dist):
    learner = Learner(page, web_root.base)
    path = web_root.add_package(media_dist["scorm12"], "media12-fresh")
    learner.launch("scorm12", path)
    learner.continue_()
    learner.expect_scene("watch")
    core, suspend = learner.cmi()["core"], learner.cmi()["suspend_data"]
    learner.leave()
    again = Learner(page, web_root.base)
    again.launch("scorm12", path, saved={"cmi": {"core": {"entry": "resume", "lesson_location": core["lesson_location"]},
                                                  "suspend_data": suspend}})
    again.expect_scene("watch")
    expect(again.scene_locator().locator('[data-action="next"]')).to_be_disabled()


def test_review_mode_does_not_hold_continue(page, web_root, media_dist):
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", web_root.add_package(media_dist["scorm12"], "media12-review"),
                   saved={"cmi": {"core": {"lesson_mode": "review"}}})
    assert learner.course_frame.evaluate("ScormbuildPlayer.mode()") == "review"
    learner.continue_()
    learner.expect_scene("watch")
    expect(learner.scene_locator().locator('[data-action="next"]')).to_be_enabled()


def test_xapi_video_profile_statements_reach_a_real_lrs(page, web_root, media_dist, ralph):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Media Tester", "mbox": f"mailto:m-{registration[:8]}@example.org"}
    path = web_root.add_package(media_dist["xapi"], "media-xapi")
    query = urllib.parse.urlencode({"endpoint": ralph.endpoint, "auth": BASIC_AUTH, "actor": json.dumps(actor),
                                    "registration": registration, "activity_id": IRI})
    learner = Learner(page, web_root.base)
    learner.launch("xapi", f"{path}?{query}")
    learner.continue_()
    learner.expect_scene("watch")
    video = learner.scene_locator().locator("video")
    video.evaluate("el => { el.muted = true; return el.play(); }")
    page.wait_for_timeout(400)
    paused_at = video.evaluate("el => { el.pause(); return el.currentTime; }")
    video.evaluate("el => { el.currentTime = 0.1; }")
    expect(video).to_have_js_property("seeking", False)
    seeked_to = video.evaluate("el => el.currentTime")  # where the browser's seek landed
    play_to_end(learner, "video")
    learner.continue_()
    play_to_end(learner, "audio")
    learner.continue_()
    learner.leave()

    def media_done(found: list[dict]) -> bool:
        return sum(s["verb"]["id"].endswith("/completed") and s["object"]["id"] in (VIDEO_IRI, AUDIO_IRI)
                   for s in found) == 2
    statements = sorted(ralph.wait_for(media_done, registration=registration), key=lambda s: s["timestamp"])
    video_statements = [s for s in statements if s["object"]["id"] == VIDEO_IRI]
    verbs = [s["verb"]["id"] for s in video_statements]
    assert verbs[0] == "http://adlnet.gov/expapi/verbs/initialized"
    assert verbs[1] == VIDEO + "verbs/played"
    assert VIDEO + "verbs/paused" in verbs and VIDEO + "verbs/seeked" in verbs
    assert verbs[-1] == "http://adlnet.gov/expapi/verbs/completed"
    sessions = {s["context"]["extensions"][VIDEO + "extensions/session-id"] for s in video_statements}
    assert len(sessions) == 1
    for statement in video_statements:
        assert statement["object"]["definition"]["type"] == VIDEO + "activity-type/video"
        assert statement["object"]["definition"]["name"] == {"en": "A clip"}
        assert {"id": "https://w3id.org/xapi/video"}.items() <= statement["context"]["contextActivities"]["category"][0].items()
        assert statement["context"]["extensions"][VIDEO + "extensions/length"] == pytest.approx(1, abs=0.1)
    initialized = video_statements[0]
    assert initialized["context"]["extensions"][VIDEO + "extensions/completion-threshold"] == 1
    seeked = next(s for s in video_statements if s["verb"]["id"] == VIDEO + "verbs/seeked")
    assert seeked["result"]["extensions"][VIDEO + "extensions/time-to"] == pytest.approx(seeked_to, abs=0.002)
    assert seeked["result"]["extensions"][VIDEO + "extensions/time-from"] == pytest.approx(paused_at, abs=0.002)
    completed = video_statements[-1]
    extensions = completed["result"]["extensions"]
    assert completed["result"]["completion"] is True
    assert extensions[VIDEO + "extensions/time"] == pytest.approx(1, abs=0.1)
    assert extensions[VIDEO + "extensions/progress"] == pytest.approx(1, abs=0.1)
    assert extensions[VIDEO + "extensions/played-segments"].startswith("0[.]")
    audio = [s for s in statements if s["object"]["id"] == AUDIO_IRI]
    assert audio[0]["object"]["definition"]["type"] == "https://w3id.org/xapi/audio/activity-type/audio"
    assert audio[-1]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert len({s["id"] for s in statements}) == len(statements)


def video_statements(ralph, **query: str) -> list[dict]:
    """The statements about the test video, once its `completed` is stored, in order."""
    def about_video(found: list[dict]) -> list[dict]:
        return sorted((s for s in found if s["object"]["id"] == VIDEO_IRI), key=lambda s: s["timestamp"])

    found = ralph.wait_for(lambda found: any(s["verb"]["id"].endswith("/completed") for s in about_video(found)),
                           **query)
    return about_video(found)


def test_a_scorm_package_mirrors_the_media_statements_to_the_lrs(page, web_root, media_dist, ralph):
    learner_id = f"media-{uuid.uuid4().hex[:8]}"
    config = {"endpoint": ralph.endpoint, "auth": BASIC_AUTH, "homePage": "https://lms.example.org"}
    path = web_root.add_package(media_dist["scorm12"], "media12-mirror") + "?" + urllib.parse.urlencode(config)
    learner = Learner(page, web_root.base)
    page.goto(f"{web_root.base}/lms.html")
    page.evaluate("([src, id]) => startLms('scorm12', src, {cmi: {core: {student_id: id}}})", [path, learner_id])
    expect(learner.scene_locator()).to_have_count(1)
    learner.continue_()
    play_to_end(learner, "video")
    agent = json.dumps({"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": learner_id}})
    statements = video_statements(ralph, agent=agent)
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in sorted(statements, key=lambda s: s["timestamp"])]
    assert verbs == ["initialized", "played", "completed"]
    # SCORM's own data model has nothing of it.
    assert page.evaluate("lmsApi.LMSGetValue('cmi.interactions._count')") == "0"


def test_cmi5_sends_media_statements_as_allowed_ones_with_the_context_template(page, web_root, media_dist,
                                                                               facade, ralph):
    actor = {"objectType": "Agent", "name": "Ari", "mbox": f"mailto:ari-{uuid.uuid4().hex[:8]}@example.org"}
    url, registration, session = launch_cmi5(facade, web_root, {"cmi5": media_dist["cmi5"]}, actor)
    learner = Learner(page, web_root.base)
    learner.launch("cmi5", url)
    learner.continue_()
    play_to_end(learner, "video")
    statements = video_statements(ralph, registration=registration)
    assert len(statements) == 3
    for statement in statements:
        context = statement["context"]
        assert context["registration"] == registration
        assert context["extensions"][CMI5_SESSION] == session  # the LMS's template, kept
        assert VIDEO + "extensions/session-id" in context["extensions"]
        categories = [c["id"] for c in context["contextActivities"]["category"]]
        assert categories == ["https://w3id.org/xapi/video"]  # "cmi5 allowed": no cmi5 category
