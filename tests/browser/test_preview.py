"""scormbuild preview as an author uses it: a real server process, a real browser, real edits."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect
from support.coursekit import copy_sample, with_ctrl_c, write


@pytest.fixture
def preview(tmp_path):
    course = copy_sample(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "scormbuild", "preview", str(course), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=with_ctrl_c)
    line = process.stdout.readline()
    assert "http://127.0.0.1:" in line, line + process.stderr.read()
    url = line.split(" at ")[1].split()[0]
    yield course, url, process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_preview_shows_what_the_course_reports_and_reloads_on_edits(preview, page):
    course, url, process = preview
    page.goto(url)
    frame = page.frame_locator("#course")
    expect(frame.locator("section.scene:not([hidden]) h1")).to_have_text("Welcome")
    frame.locator('section.scene:not([hidden]) [data-action="next"]').click()
    frame.locator('[data-choice="ignore-and-report"]').click()
    card = page.locator("#record li.card").first
    expect(card.locator("h3")).to_have_text("1. friend-request")
    # A 1.2 choice id is stored as it is; the panel names it by its text (from the course's xAPI definition).
    expect(card).to_contain_text("Responseignore-and-report means “Do not respond, and tell Jenny's care manager")
    expect(card).to_contain_text("✓ correct")
    expect(page.locator("#record")).to_contain_text("Bookmarkright-feedback")
    expect(page.locator("#statements")).to_contain_text(
        "answered A friend request: response “ignore-and-report”, ✓ success")
    page.get_by_text("Raw data (for experts)").click()
    expect(page.locator("#cmi")).to_contain_text("cmi.interactions.0.id")

    # Live reload: the page reloads by itself and, like a real LMS, resumes at the same scene.
    feedback = course / "scenes" / "06-right-feedback.md"
    feedback.write_text(feedback.read_text().replace("Well done: that was", "Well done, edited: that was"), "utf-8")
    expect(frame.locator("section.scene:not([hidden]) h1")).to_have_text("Well done, edited: that was the right decision",
                                                                          timeout=10000)
    page.locator("#restart").click()
    expect(frame.locator("section.scene:not([hidden]) h1")).to_have_text("Welcome")
    welcome = course / "scenes" / "01-welcome.md"

    welcome.write_text(welcome.read_text().replace("kind: page", "kind: pgae"), "utf-8")
    expect(page.locator("#error")).to_contain_text("01-welcome.md:2:1: unknown scene kind `pgae`", timeout=10000)
    expect(page.get_by_role("alert")).to_contain_text("you are seeing its last good build")
    welcome.write_text(welcome.read_text().replace("kind: pgae", "kind: page"), "utf-8")
    expect(page.locator("#error-banner")).to_be_hidden(timeout=10000)

    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err


# -- rec 7: preview on library parts and the real pipeline ------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SCENE = "section.scene:not([hidden])"


def start(course: Path, *options: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "scormbuild", "preview", str(course), "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=with_ctrl_c)
    line = process.stdout.readline()
    assert "http://127.0.0.1:" in line, line + process.stderr.read()
    return process, line.split(" at ")[1].split()[0]


@pytest.fixture
def launched(tmp_path):
    """start() for a test; every process it started is stopped afterwards."""
    processes: list[subprocess.Popen] = []

    def launch(*options: str, course: Path | None = None) -> tuple[Path, str, subprocess.Popen]:
        folder = course or copy_sample(tmp_path)
        process, url = start(folder, *options)
        processes.append(process)
        return folder, url, process

    yield launch
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def answer_the_friend_request(page) -> None:  # noqa: ANN001
    frame = page.frame_locator("#course")
    expect(frame.locator(f"{SCENE} h1")).to_have_text("Welcome")
    frame.locator(f'{SCENE} [data-action="next"]').click()
    frame.locator('[data-choice="ignore-and-report"]').click()


def stop(process: subprocess.Popen) -> str:
    """Ctrl-C; the console's error output."""
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    return err


def test_a_warning_shows_in_the_panel_and_on_the_console_and_goes_when_fixed(launched, tmp_path, page):
    course = copy_sample(tmp_path)
    orphan = write(course / "scenes" / "99-orphan.md", """
        ---
        kind: page
        title: Nobody links here
        next: end
        ---
        A scene no choice leads to.
        """)
    _, url, process = launched(course=course)
    page.goto(url)
    warnings = page.locator("#warnings")
    expect(warnings).to_contain_text("99-orphan.md:2:1: warning: scene `orphan` can never be reached from `welcome`")
    expect(page.get_by_role("heading", name="Warnings")).to_be_visible()
    orphan.unlink()
    expect(page.locator("#warnings-section")).to_be_hidden(timeout=10000)
    assert "scene `orphan` can never be reached" in stop(process)


def test_scorm2004_plays_in_scorm_again_which_holds_the_interaction_and_shows_what_it_refuses(launched, page):
    _, url, process = launched("--format", "scorm2004")
    page.goto(url)
    expect(page.locator("#standard")).to_contain_text("SCORM 2004 4th edition in scorm-again")
    answer_the_friend_request(page)
    card = page.locator("#record li.card").first
    # The 2004 id is stored with "_" (Moodle refuses "-"); the panel says which choice it is.
    expect(card).to_contain_text("Responseignore_and_report means “Do not respond, and tell Jenny's care manager")
    expect(card).to_contain_text("Description{lang=en-GB}A friend request means “A friend request”")
    expect(page.locator("#record")).to_contain_text("CompletionincompleteSuccessunknown")
    held = page.evaluate("""() => ["id", "type", "learner_response", "result"].map(
        (name) => window.API_1484_11.GetValue("cmi.interactions.0." + name))""")
    assert held == ["friend-request", "choice", "ignore_and_report", "correct"]
    assert page.evaluate("window.API_1484_11.GetValue('cmi.completion_status')") == "incomplete"
    expect(page.locator("#problems-section")).to_be_hidden()  # the player's calls are all accepted

    # A call scorm-again refuses is shown in the panel.
    assert page.evaluate("window.API_1484_11.SetValue('cmi.completion_status', 'finished')") == "false"
    expect(page.locator("#refused")).to_contain_text('scorm-again refused SetValue("cmi.completion_status", "finished"): 406')
    expect(page.get_by_role("heading", name="A strict LMS would refuse these")).to_be_visible()

    # A value scorm-again takes but Moodle's runtime refuses is listed with its element and why.
    assert page.evaluate("""() => [["id", "q2"], ["type", "choice"], ["learner_response", "accept-and-tell"]]
        .map(([name, value]) => window.API_1484_11.SetValue("cmi.interactions.1." + name, value))""") == ["true"] * 3
    expect(page.locator("#strict")).to_contain_text(
        'cmi.interactions.1.learner_response = accept-and-tell: Moodle accepts only letters, digits, _ and . in ids')
    stop(process)


def test_xapi_statements_reach_the_local_lrs_and_show_in_the_panel_and_a_reload_resumes(launched, page):
    course, url, process = launched("--format", "xapi")
    page.goto(url)
    expect(page.locator("#cmi-section")).to_be_hidden()
    answer_the_friend_request(page)
    statements = page.locator("#statements")
    expect(statements).to_contain_text("answered A friend request: response “ignore-and-report”, ✓ success")
    expect(statements).to_contain_text("initialized Professional boundaries in social care")
    expect(page.locator("#record")).to_be_empty()  # no CMI: the LRS is the record
    # The state document the player keeps in the LRS brings it back to the same scene after an edit.
    frame = page.frame_locator("#course")
    expect(frame.locator(f"{SCENE} h1")).to_have_text("Well done: that was the right decision")
    feedback = course / "scenes" / "06-right-feedback.md"
    feedback.write_text(feedback.read_text().replace("Well done: that was", "Well done, edited: that was"), "utf-8")
    expect(frame.locator(f"{SCENE} h1")).to_have_text("Well done, edited: that was the right decision", timeout=10000)
    stop(process)


def test_cmi5_gets_its_launch_from_the_preview_and_reports_to_its_lrs(launched, page):
    _, url, process = launched("--format", "cmi5")
    page.goto(url)
    answer_the_friend_request(page)
    statements = page.locator("#statements")
    expect(statements).to_contain_text("answered A friend request: response “ignore-and-report”, ✓ success")
    expect(statements).to_contain_text("initialized au")
    expect(page.get_by_role("heading", name="What the LRS will record")).to_be_visible()
    stop(process)


def test_editor_swap_files_do_not_reload_and_a_file_the_course_refers_to_does(launched, page):
    course, url, process = launched()
    page.goto(url)
    frame = page.frame_locator("#course")
    expect(frame.locator(f"{SCENE} h1")).to_have_text("Welcome")
    page.evaluate("document.getElementById('course').contentWindow.notReloaded = true")
    scenes = course / "scenes"
    for name in (".01-welcome.md.swp", "01-welcome.md~", ".#01-welcome.md", "4913", "#01-welcome.md#"):
        (scenes / name).write_text("kind: broken\n", "utf-8")
    (course / "notes.txt").write_text("not part of the course\n", "utf-8")
    page.wait_for_timeout(1500)  # watchfiles reports a change within ~0.5 s: none may come
    assert page.evaluate("document.getElementById('course').contentWindow.notReloaded") is True
    expect(page.locator("#error")).to_be_hidden()
    checklist = course / "media" / "boundaries-checklist.txt"
    checklist.write_text(checklist.read_text("utf-8") + "One more line.\n", "utf-8")
    page.wait_for_function("!document.getElementById('course').contentWindow.notReloaded", timeout=10000)
    expect(frame.locator(f"{SCENE} h1")).to_have_text("Welcome")  # loaded whole before the server stops
    stop(process)


def test_the_watcher_counts_only_the_files_a_build_reads(tmp_path):
    from watchfiles import Change

    from scormbuild.commands.preview import CourseFiles, PreviewState

    course = copy_sample(tmp_path)
    state = PreviewState(course)
    counts = CourseFiles(state)
    root = course.resolve()
    for name in ("course.yaml", "scenes/01-welcome.md", "scenes/99-new.md", "scenes",
                 "media/friend-request.svg", "media/boundaries-checklist.txt"):
        assert counts(Change.modified, str(root / name)), name
    for name in ("scenes/.01-welcome.md.swp", "scenes/01-welcome.md~", "scenes/.#01-welcome.md", "scenes/4913",
                 "scenes/notes.txt", "media/unused.png", "notes.md", ".git/index"):
        assert not counts(Change.modified, str(root / name)), name
    state.show_problem("a content error")  # then any file may be the missing one
    assert counts(Change.added, str(root / "media" / "unused.png"))
    assert not counts(Change.added, str(root / "scenes" / ".01-welcome.md.swp"))


def test_the_preview_lms_is_scorm_again_from_npm_unchanged():
    from scormbuild.commands.preview import PREVIEW_DIR

    vendored = PREVIEW_DIR / "scorm-again.min.js"
    npm = ROOT / "node_modules" / "scorm-again"
    version = json.loads((ROOT / "package.json").read_text("utf-8"))["devDependencies"]["scorm-again"]
    assert f"scorm-again {version}" in (PREVIEW_DIR / "README.md").read_text("utf-8")
    if npm.is_dir():
        assert vendored.read_bytes() == (npm / "dist" / "scorm-again.min.js").read_bytes()
    assert (PREVIEW_DIR / "scorm-again.LICENSE").read_text("utf-8").startswith("MIT License")


def post(url: str, path: str, body: bytes = b"", method: str = "POST", origin: str | None = None) -> tuple[int, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Content-Length": str(len(body)), **({"Origin": origin} if origin else {})}
    connection.request(method, path, body, headers)
    response = connection.getresponse()
    return response.status, response.read()


def test_the_cmi5_launch_is_one_session_with_its_launch_data_and_a_fetch_url_that_works_once(launched):
    _, url, process = launched("--format", "cmi5")
    assert post(url, "/preview/launch", origin="http://evil.example")[0] == 403
    status, body = post(url, "/preview/launch", origin=url.rstrip("/"))
    launch = json.loads(body)
    assert status == 200 and launch["format"] == "cmi5" and launch["passMark"] == 70
    params = {name: values[0] for name, values in parse_qs(urlsplit(launch["url"]).query).items()}
    assert params["activityId"] == "urn:scormbuild:course:professional-boundaries/au"
    fetch_path = urlsplit(params["fetch"]).path
    assert "auth-token" in json.loads(post(url, fetch_path)[1])
    assert json.loads(post(url, fetch_path)[1])["error-code"] == "1"  # once per session (cmi5 8.2.3)

    state = "/xapi/activities/state?" + urlencode({"activityId": params["activityId"], "agent": params["actor"],
                                                   "registration": params["registration"], "stateId": "LMS.LaunchData"})
    status, body = post(url, state, method="GET")
    launch_data = json.loads(body)
    assert status == 200 and launch_data["launchMode"] == "Normal" and launch_data["masteryScore"] == 0.7
    assert launch_data["moveOn"] == "CompletedAndPassed"
    session = launch_data["contextTemplate"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
    assert session in fetch_path

    # A state document the AU writes is read back by the same agent, whatever the order of its keys.
    mine = state.replace("LMS.LaunchData", "scormbuild.state")
    assert post(url, mine, b'{"location": "x"}', method="PUT")[0] == 204
    actor = json.loads(params["actor"])
    shuffled = mine.replace(urlencode({"agent": params["actor"]}),
                            urlencode({"agent": json.dumps(dict(reversed(list(actor.items()))))}))
    assert post(url, shuffled, method="GET") == (200, b'{"location": "x"}')
    assert post(url, "/xapi/reset")[0] == 204
    assert post(url, mine, method="GET")[0] == 404
    stop(process)


# -- issue 17: what the LMS will record, on a phone too, and never a traceback ----------------------

HOSTILE_REFLECTION = "I would <b>not</b> accept &amp; say so.\nSecond line: {braces} ␤ stay."


def test_a_reflection_shows_as_the_learner_wrote_it_and_as_the_lms_stores_it(launched, page):
    from support.learner import Learner

    _, url, process = launched("--format", "scorm2004")
    page.goto(url)
    learner = Learner(page, url)
    learner.expect_scene("welcome")
    learner.continue_()
    learner.choose("accept-and-tell")
    learner.expect_scene("accept-reflect")
    learner.reflect(HOSTILE_REFLECTION)
    reflections = page.locator("#record section", has=page.get_by_role("heading", name="Reflections (1)"))
    expect(reflections.locator("h3")).to_have_text("accept-reflect")
    expect(reflections.locator("p.text")).to_have_text(HOSTILE_REFLECTION)  # course text stays text
    assert page.locator("aside b").count() == 0
    stored = page.evaluate("window.API_1484_11.GetValue('cmi.interactions.1.learner_response')")
    assert "\n" not in stored and "␤" in stored  # the player's mapping: every LMS accepts it
    card = page.locator("#record li.card", has=page.get_by_role("heading", name="2. accept-reflect"))
    expect(card.locator(".means").filter(has_text="I would")).to_have_text(f" means “{HOSTILE_REFLECTION}”")
    expect(card).to_contain_text("Resultneutral")
    expect(page.locator("#problems-section")).to_be_hidden()
    stop(process)


def test_values_over_scorm_12_limits_are_listed_with_the_element_and_why(launched, page):
    _, url, process = launched()
    page.goto(url)
    answer_the_friend_request(page)
    expect(page.locator("#record")).to_contain_text(re.compile(r"Resume state\d+ of 4,096 characters"))
    page.evaluate("""() => {
        window.API.LMSSetValue("cmi.suspend_data", "x".repeat(5000));
        window.API.LMSSetValue("cmi.interactions.1.id", "q".repeat(300));
    }""")
    problems = page.locator("#problems-section")
    expect(problems).to_be_visible()
    # Whether scorm-again refuses the call or takes it, the panel says which element and why.
    expect(problems).to_contain_text("cmi.suspend_data")
    expect(problems).to_contain_text("cmi.interactions.1.id")
    stop(process)


def no_horizontal_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_course_width_toggle_shows_the_course_at_a_phones_width(launched, page):
    _, url, process = launched()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url)
    course = page.locator("#course")
    for label, width in (("390 px", 390), ("360 px", 360)):
        page.get_by_label(label).check()
        expect(course).to_have_js_property("offsetWidth", width)
    page.get_by_label("Full").check()
    expect(page.locator("#stage")).to_have_attribute("data-width", "full")
    assert course.bounding_box()["width"] > 700
    stop(process)


def test_the_preview_page_is_usable_on_a_phone(launched, page):
    _, url, process = launched()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url)
    answer_the_friend_request(page)
    expect(page.locator("#record li.card")).to_have_count(1)
    page.get_by_text("Raw data (for experts)").click()
    expect(page.locator("#cmi")).to_contain_text("cmi.core.lesson_location")
    assert no_horizontal_scroll(page)
    course, panel = page.locator("#course").bounding_box(), page.locator("aside").bounding_box()
    assert panel["y"] >= course["y"] + course["height"] and course["width"] == 360  # the panel below the course
    for target in (page.locator("#restart"), page.locator("#raw summary")):
        assert target.bounding_box()["height"] >= 44
    expect(page.locator("fieldset.widths")).to_be_hidden()  # the course is already at the phone's width
    stop(process)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_preview_page_has_no_axe_violations(launched, page, width):
    from test_learner_experience import AXE, axe_violations

    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make test` (it runs npm ci)")
    _, url, process = launched("--format", "scorm2004")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url)
    answer_the_friend_request(page)
    page.evaluate("window.API_1484_11.SetValue('cmi.completion_status', 'finished')")  # a refusal listed
    page.get_by_text("Raw data (for experts)").click()
    expect(page.locator("#refused li")).to_have_count(1)
    assert axe_violations(page) == []
    stop(process)


def disconnect_mid_answer(url: str, path: str) -> None:
    """As a closed tab does: ask, take the first bytes, and reset the connection (no FIN, an RST)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as client:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        assert client.recv(64).startswith(b"HTTP/1.1 200")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_closing_tabs_mid_answer_and_a_reload_storm_print_no_traceback(launched, tmp_path, page):
    course = copy_sample(tmp_path)
    big = course / "media" / "boundaries-checklist.txt"  # a download the course links to
    big.write_bytes(b"A long checklist.\n" * (2 * 2**20))  # 36 MiB: more than a socket buffers
    _, url, process = launched(course=course)
    for _ in range(3):
        disconnect_mid_answer(url, "/course/content/media/boundaries-checklist.txt")

    page.goto(url)
    expect(page.frame_locator("#course").locator(f"{SCENE} h1")).to_have_text("Welcome")
    for _ in range(15):  # a reload storm: each page leaves mid-load, its event stream open
        page.goto(url, wait_until="commit")
    page.goto(url)
    expect(page.frame_locator("#course").locator(f"{SCENE} h1")).to_have_text("Welcome")
    page.evaluate("fetch('/course/content/media/boundaries-checklist.txt').then(() => 0)")
    page.close()  # a real tab closed while its download streams

    # The preview still answers, whole, and stops cleanly with nothing on the console.
    status, body = post(url, "/course/content/media/boundaries-checklist.txt", method="GET")
    assert status == 200 and len(body) == big.stat().st_size
    err = stop(process)
    assert "Traceback" not in err and "Error" not in err, err


def test_sigterm_stops_the_preview_as_ctrl_c_does(launched):
    _, url, process = launched()
    assert post(url, "/preview/launch")[0] == 200
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0 and "Stopped." in out, err
    assert "Traceback" not in err


READINGS = [  # (format, type, stored response, what the panel says it means; "" when it is the stored value)
    ("scorm2004", "matching", "gift_card[.]chocolates[,]cake[.]card", "gift-card → chocolates, cake → card"),
    ("scorm2004", "sequencing", "listen[,]write_down", "listen then write-down"),
    ("scorm2004", "fill-in", "{case_matters=true}DSL[,]Lead␤two", "“DSL / Lead\ntwo” (case matters)"),
    ("scorm2004", "long-fill-in", "{lang=en-GB}␛{a}␤<b>x</b>", "“{a}\n<b>x</b>”"),
    ("scorm2004", "choice", "a_b[,]c", "a-b, c"),
    ("scorm2004", "choice", "a[,]b", ""),  # nothing mapped, no text known: the stored value says it
    ("scorm12", "matching", "gift-card.chocolates", "gift-card → chocolates"),
    ("scorm12", "true-false", "t", "true"),
    ("scorm12", "fill-in", "one␤two", "“one\ntwo”"),
    ("scorm12", "choice", "a,b", ""),
]


@pytest.mark.parametrize("format_key", ["scorm12", "scorm2004"])
def test_the_panel_reads_each_stored_response_back_as_the_player_maps_it(launched, page, format_key):
    _, url, process = launched("--format", format_key)
    page.goto(url)
    expect(page.frame_locator("#course").locator(f"{SCENE} h1")).to_have_text("Welcome")
    cases = [case for case in READINGS if case[0] == format_key]
    response = "learner_response" if format_key == "scorm2004" else "student_response"
    meanings = page.evaluate("""([format, response, cases]) => {
        const interactions = {};
        cases.forEach(([, type, stored], i) => { interactions[i] = { id: "<i>q" + i + "</i>", type, [response]: stored }; });
        const box = document.createElement("div");
        ScormbuildPanel.renderRecord(box, format, { core: { score: {} }, score: {}, interactions }, 70, {});
        return [...box.querySelectorAll("li.card")].map((card) => {
            const means = card.querySelector("dd .means");
            return [card.querySelector("h3").textContent, means ? means.textContent : ""];
        });
    }""", [format_key, response, cases])
    assert meanings == [[f"{i + 1}. <i>q{i}</i>", f" means {meaning}" if meaning else ""]
                        for i, (_, _, _, meaning) in enumerate(cases)]
    stop(process)
