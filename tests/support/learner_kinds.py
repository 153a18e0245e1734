"""Every kind of learner whose work the LMS must keep, played in either SCORM runtime.

Each ``play_*`` function plays one kind of learner through a course in one LMS
(lms_runtimes: scorm-again or Moodle's own runtime, SCORM 1.2 or 2004) and returns an
``Outcome``: the calls the LMS refused and what it kept, measured the same way everywhere.
test_lms_tracking.py asserts on it; bench/lms_matrix.py prints it as a table.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect

from scormbuild.commands.build import build
from scormbuild.course import load_course
from scormbuild.runtime_values import (
    choice_ids_from_2004,
    decode_comment,
    decode_text,
    encode_text,
    normalise_text,
    scorm12_reflections,
    truncate,
)
from support.coursekit import write
from support.learner import Learner
from support.lms_runtimes import Stored, open_lms
from support.paths import ROOT
from support.playthrough import COURSE, SAMPLE, expected_percent, quiz_answers

# Reflections as learners write them: paragraphs, quotes, emoji, right-to-left text, length.
PARAGRAPHS = ("Accepting would blur the boundary.\n\n"
              "She wrote \"miss our chats\" \u2013 but I'm not her friend; I'm paid to support her \U0001F642.\n\n"
              "  I'd tell her care manager today, & ask in supervision.")
_RTL = "\u0623\u0641\u0636\u0651\u0644 \u0623\u0646 \u0623\u062d\u0627\u0641\u0638 \u0639\u0644\u0649 \u062e\u0635\u0648\u0635\u064a\u0629 \u0639\u0627\u0626\u0644\u062a\u064a. "
LONG_RTL = "\n\n".join(f"{index}. {_RTL}I keep my family life private, then ask about his plans. " * 2
                       for index in range(1, 200))[:3000].rstrip()
STRESS_REFLECTION = "{braces} first, a \u2424 and a \u241b too.\r\nSecond line\u2028third\n\n\u05e9\u05dc\u05d5\u05dd"
KINDS = ("whole", "other-device", "killed-tab", "review", "browse", "new-attempt", "course-updated", "stress")
KIND_LABELS = {
    "whole": "multi-paragraph, emoji, RTL, 3,000-char reflections; hyphenated choice ids",
    "other-device": "leaves mid-course, resumes on another device (no local storage)",
    "killed-tab": "tab killed mid-course (no unload event), comes back",
    "review": "comes back after finishing (review)",
    "browse": "takes Moodle's Preview (browse)",
    "new-attempt": "starts a new attempt (ab-initio) on the same device",
    "course-updated": "course updated between sessions (scene and choice removed, reordered)",
    "stress": "stress course: two right choices, `{` texts, points > 100",
}
Journal = list[tuple[str, Any]]  # (interaction id, what the learner answered: choice ids, text or "true"/"false")


@dataclass
class Outcome:
    kind: str
    runtime: str
    version: str
    refused: list[dict[str, Any]] = field(default_factory=list)
    interactions: tuple[int, int] = (0, 0)  # stored with a response / answers given
    reflections: tuple[int, int] = (0, 0)  # stored whole, once / written
    unchanged: bool | None = None  # review and browse: the attempt is as it was
    mismatches: list[str] = field(default_factory=list)  # stored value differs from what the learner did
    notes: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)
    failure: str = ""
    stored: Stored | None = None


@dataclass
class Packages:
    """The zips a kind of learner needs, by name ("sample", "updated", "stress"), per version."""

    folder: Path
    zips: dict[tuple[str, str], Path] = field(default_factory=dict)

    def get(self, name: str, version: str) -> Path:
        key = (name, version)
        if key not in self.zips:
            course = {"sample": lambda: SAMPLE, "updated": lambda: updated_sample(self.folder / "updated"),
                      "stress": lambda: stress_course(self.folder / "stress")}[name]()
            standard = "scorm12" if version == "1.2" else "scorm2004"
            [package] = build(course, [standard], self.folder / f"dist-{name}-{standard}")
            self.zips[key] = package.path
        return self.zips[key]


def updated_sample(folder: Path) -> Path:
    """Version 1.1.0 of the sample: the choice `accept` and the page `self-disclosure` removed,
    `reply-feedback` and `right-feedback` swapped, `social-media` moved to the front."""
    if (folder / "course.yaml").is_file():
        return folder
    shutil.copytree(SAMPLE, folder)
    course_yaml = folder / "course.yaml"
    text = course_yaml.read_text("utf-8").replace("version: 1.0.0", "version: 1.1.0")
    course_yaml.write_text(text + "start: welcome\n", "utf-8")
    scenes = folder / "scenes"
    decision = scenes / "02-friend-request.md"
    decision.write_text(re.sub(r"  - id: accept\n(    .*\n)+?(?=  - id:)", "", decision.read_text("utf-8")), "utf-8")
    (scenes / "11-self-disclosure.md").unlink()
    (scenes / "05-reply-feedback.md").rename(scenes / "065-reply-feedback.md")
    (scenes / "06-right-feedback.md").rename(scenes / "05-right-feedback.md")
    page = scenes / "13-social-media.md"
    page.write_text(page.read_text("utf-8").replace("kind: page\n", "kind: page\nnext: end\n", 1), "utf-8")
    page.rename(scenes / "00-social-media.md")
    return folder


def stress_course(folder: Path) -> Path:
    """A course made to stress what LMSs refuse: two right choices with hyphenated ids, texts
    starting with `{`, points over 100, hyphenated quiz option ids."""
    if (folder / "course.yaml").is_file():
        return folder
    write(folder / "course.yaml", "id: stress-test\ntitle: Stress test\nversion: 2.0.0\nlanguage: en-GB\npass_mark: 50\n")
    write(folder / "scenes" / "01-two-right.md", """
        ---
        kind: decision
        title: "{Two} right answers"
        choices:
          - id: tell-the-manager
            text: Tell the manager
            correct: true
            score: 150
            goto: think
          - id: write-it-down
            text: Write it down
            correct: true
            score: 150
            goto: think
          - id: keep-quiet
            text: Keep quiet
            goto: think
        ---
        Which of these is right?
        """)
    write(folder / "scenes" / "02-think.md", """
        ---
        kind: reflection
        title: "{Think} about it"
        ---
        Write what you would do.
        """)
    write(folder / "scenes" / "03-check.md", """
        ---
        kind: quiz
        title: Check
        questions:
          - id: braces-first
            kind: single
            text: "{Braces} open this question; which is right?"
            points: 200
            options:
              - id: opt-one
                text: This one
                correct: true
              - id: opt-two
                text: That one
          - id: many-right
            kind: multiple
            text: Pick both right ones
            options:
              - id: right-one
                text: Right one
                correct: true
              - id: right-two
                text: Right two
                correct: true
              - id: not-this
                text: Not this
          - id: is-it-true
            kind: true-false
            text: It is true
            answer: true
        ---
        Three questions.
        """)
    write(folder / "scenes" / "04-end.md", "---\nkind: end\ntitle: Done\n---\nThe end.\n")
    return folder


# ---------------------------------------------------------------------------------------
# Playing: devices, sessions, what the learner did
# ---------------------------------------------------------------------------------------

class Devices:
    """Browser profiles: a page on the same device keeps local storage; another device does not."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[Any] = []
        self.js_errors: list[str] = []

    def page(self, device: int = 0) -> Page:
        while len(self.contexts) <= device:
            self.contexts.append(self.browser.new_context(accept_downloads=True, viewport={"width": 1024, "height": 800}))
        page = self.contexts[device].new_page()
        page.on("pageerror", lambda error: self.js_errors.append(str(error)))
        return page

    def close(self) -> None:
        for context in self.contexts:
            try:
                context.close()
            except Exception:
                pass


class Session:
    """One kind of learner in one LMS: the sessions played so far and what was answered."""

    def __init__(self, kind: str, runtime: str, version: str, browser: Browser, web_root: Any,
                 packages: Packages) -> None:
        self.outcome = Outcome(kind, runtime, version)
        self.runtime, self.version, self.web_root, self.packages = runtime, version, web_root, packages
        self.devices = Devices(browser)
        self.lms: Any = None
        self.lmses: list[Any] = []
        self.journal: Journal = []
        self.reflections: dict[str, str] = {}
        self.expected: dict[str, str] = {}  # score and success the LMS must store (check_result)

    # -- sessions ------------------------------------------------------------------------
    def start(self, package: str = "sample", mode: str = "normal") -> Learner:
        self.lms = open_lms(self.runtime, self.devices.page(0), self.web_root, self.packages.get(package, self.version),
                            self.version, mode=mode)
        self.lmses.append(self.lms)
        self.lms.launch()
        return self._learner()

    def again(self, device: int = 0, mode: str = "normal", newattempt: bool = False, package: str | None = None,
              crashed: bool = False) -> Learner:
        if not crashed:
            self.lms.exit()
        if package is not None:
            self.lms.with_package(self.packages.get(package, self.version))
        page = self.devices.page(device)
        self.lms = self.lms.relaunch(page, mode=mode, newattempt=newattempt)
        self.lmses.append(self.lms)
        return self._learner()

    def _learner(self) -> Learner:
        learner = self.lms.learner()
        expect(learner.scene_locator()).to_have_count(1)
        return learner

    # -- what the learner does, remembered for the comparison ----------------------------
    def choose(self, learner: Learner, scene: str, choice: str, goes_to: str) -> None:
        learner.expect_scene(scene)
        learner.choose(choice)
        self.journal.append((scene, [choice]))
        learner.expect_scene(goes_to)

    def reflect(self, learner: Learner, scene: str, text: str) -> None:
        learner.expect_scene(scene)
        learner.reflect(text)
        self.journal.append((scene, normalise_text(text).strip()))
        self.reflections[scene] = normalise_text(text).strip()

    def quiz(self, learner: Learner, answers: dict[str, list[str]], scene: str = "ending-quiz") -> None:
        learner.expect_scene(scene)
        for question_id, option_ids in answers.items():
            learner.answer(question_id, option_ids)
            self.journal.append((f"{scene}_{question_id}", option_ids))

    def resumed_at(self, learner: Learner, scene: str) -> bool:
        try:
            learner.expect_scene(scene)
            return True
        except AssertionError:
            self.outcome.notes.append(f"expected to resume at {scene}, was at {learner.current_scene()}")
            return False

    # -- measuring -------------------------------------------------------------------------
    def finish(self, journal: Journal | None = None) -> Outcome:
        self.lms.exit()
        stored = self.lms.stored()
        self.outcome.stored = stored
        self.outcome.refused = [e for lms in self.lmses for e in lms.errors]
        self.measure(stored, self.journal if journal is None else journal)
        return self.outcome

    def measure(self, stored: Stored, journal: Journal) -> None:
        if self.expected:
            got = {"score": stored.score, "success": stored.success}
            if got != self.expected or not stored.done:
                self.outcome.mismatches.append(f"result stored {got!r} ({stored.completion}), shown {self.expected!r}")
        records = stored.interactions
        self.outcome.interactions = (sum(1 for r in records if r.response), len(journal))
        got = [(r.id, decode_response(r.response, r.type, stored.version)) for r in records]
        want = [(item, _comparable(value, stored.version)) for item, value in journal]
        if got != want:
            self.outcome.mismatches.append(f"interactions stored {got!r}, learner answered {want!r}")
        intact = 0
        for scene, text in self.reflections.items():
            kept = stored_reflections(stored).get(scene, [])
            if kept == [text]:
                intact += 1
            else:
                self.outcome.mismatches.append(f"reflection {scene}: stored {[k[:60] for k in kept]!r}")
        self.outcome.reflections = (intact, len(self.reflections))

    def close(self) -> None:
        self.outcome.js_errors = list(self.devices.js_errors)
        self.devices.close()


# The interaction keeps the start of a reflection (the whole text is in the comments).
RESPONSE_LIMIT = {"1.2": 255, "2004": 250}


def _comparable(value: Any, version: str) -> Any:
    if isinstance(value, list):
        return sorted(value)
    return decode_text(truncate(encode_text(value), RESPONSE_LIMIT[version]))


def decode_response(value: str | None, kind: str, version: str) -> Any:
    """What the learner answered, from a stored learner_response / student_response."""
    if value is None:
        return None
    if kind in ("choice", "sequencing"):  # compared as sets, as the journal's lists are (_comparable)
        ids = choice_ids_from_2004(value) if version == "2004" else value.split(",")
        return sorted(ids)
    if kind == "true-false":
        return [{"t": "true", "f": "false", "1": "true", "0": "false"}.get(value, value)]
    return decode_text(value)


def stored_reflections(stored: Stored) -> dict[str, list[str]]:
    """Every reflection text the LMS keeps, by scene, as the learner wrote it."""
    found: dict[str, list[str]] = {}
    if stored.version == "1.2":
        for scene, text in scorm12_reflections(stored.comments, stored.suspend_data):
            found.setdefault(scene, []).append(text)
    else:
        for comment in stored.learner_comments:
            found.setdefault(comment.get("location", ""), []).append(decode_comment(comment.get("comment", "")))
    return found


def poke(learner: Learner, clicks: int = 6) -> None:
    """What a learner does in a review: click the first thing there is to click, a few times."""
    for _ in range(clicks):
        scene = learner.scene_locator()
        textarea = scene.locator("textarea:visible")
        if textarea.count():
            textarea.fill("Written again during the review.")
            scene.locator('button[type="submit"]').click()
            continue
        buttons = scene.locator("button:visible:enabled")
        if not buttons.count():
            return
        buttons.first.click()


MESSAGES = {**json.loads((ROOT / "templates" / "messages" / "en.json").read_text("utf-8"))}


def check_result(s: Session, learner: Learner, first_choices: dict[str, str], answers: dict[str, list[str]],
                 course: Any = COURSE) -> None:
    """The end scene shows the score of the first attempts, and the LMS stores the same."""
    percent = expected_percent(first_choices, answers, course)
    expect(learner.scene_locator().locator(".result")).to_contain_text(f"{percent}%")
    s.expected = {"score": str(percent),
                  "success": "passed" if course.pass_mark is not None and percent >= course.pass_mark else "failed"}


def check_copy(learner: Learner, folder: Path, text: str) -> None:
    """The downloadable feedback copy shows the reflection exactly as typed."""
    with learner.page.expect_download() as download_info:
        learner.scene_locator().locator('[data-action="download"]').click()
    target = folder / download_info.value.suggested_filename
    download_info.value.save_as(target)
    quoted = re.search(r"<blockquote>(.*?)</blockquote>", target.read_text("utf-8"), re.S)
    assert quoted and html.unescape(quoted.group(1)) == text, f"the copy shows {quoted.group(1)[:80] if quoted else None!r}"


# ---------------------------------------------------------------------------------------
# The kinds of learner
# ---------------------------------------------------------------------------------------

SAMPLE_PATH_CHOICES = {"friend-request": "accept-and-tell", "jenny-message": "pass-to-care-manager"}


def _first_half(s: Session, learner: Learner, reflection: str = PARAGRAPHS) -> None:
    """Welcome -> a wrong choice -> a reflection -> its feedback."""
    learner.expect_scene("welcome")
    learner.continue_()
    s.choose(learner, "friend-request", "accept-and-tell", "accept-reflect")
    s.reflect(learner, "accept-reflect", reflection)
    learner.continue_()
    learner.expect_scene("accept-feedback")


def _second_half(s: Session, learner: Learner, reflection: str = LONG_RTL, from_feedback: bool = True) -> None:
    """(accept-feedback ->) try again -> the right choices -> quiz -> reflection -> end."""
    if from_feedback:
        learner.pick_option("try-again")
        s.choose(learner, "friend-request", "ignore-and-report", "right-feedback")
        learner.continue_()
    s.choose(learner, "jenny-message", "pass-to-care-manager", "ending-relationships")
    learner.continue_()
    s.quiz(learner, quiz_answers(correct=True))
    learner.continue_()
    learner.expect_scene("self-disclosure")
    learner.continue_()
    s.reflect(learner, "disclosure-reflect", reflection)
    learner.continue_()
    learner.expect_scene("social-media")
    learner.continue_()
    learner.expect_scene("end")


def play_whole(s: Session) -> Outcome:
    learner = s.start()
    _first_half(s, learner)
    _second_half(s, learner)
    check_result(s, learner, SAMPLE_PATH_CHOICES, quiz_answers(correct=True))
    return s.finish()


def play_other_device(s: Session) -> Outcome:
    learner = s.start()
    _first_half(s, learner)
    learner = s.again(device=1)
    s.resumed_at(learner, "accept-feedback")
    expect(learner.frame.locator("#notice")).to_have_text(MESSAGES["resumed"])
    with tempfile.TemporaryDirectory() as folder:
        check_copy(learner, Path(folder), normalise_text(PARAGRAPHS).strip())
    _second_half(s, learner)
    check_result(s, learner, SAMPLE_PATH_CHOICES, quiz_answers(correct=True))
    return s.finish()


def play_killed_tab(s: Session) -> Outcome:
    learner = s.start()
    _first_half(s, learner)
    learner.pick_option("try-again")
    s.choose(learner, "friend-request", "ignore-and-report", "right-feedback")
    s.lms.crash()
    learner = s.again(device=0, crashed=True)
    if s.resumed_at(learner, "right-feedback"):
        learner.continue_()
    _second_half(s, learner, from_feedback=False)
    check_result(s, learner, SAMPLE_PATH_CHOICES, quiz_answers(correct=True))
    return s.finish()


def play_review(s: Session) -> Outcome:
    learner = s.start()
    _first_half(s, learner)
    _second_half(s, learner)
    s.lms.exit()
    before = s.lms.stored().attempt_data()
    learner = s.again()
    s.outcome.notes.append(f"second entry in {s.lms.mode} mode")
    check_review(s, learner)
    poke(learner)
    outcome = s.finish()
    after = outcome.stored.attempt_data() if outcome.stored else {}
    outcome.unchanged = before == after
    if not outcome.unchanged:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        outcome.notes.append("changed by the review: " + ", ".join(changed[:8]) + (" ..." if len(changed) > 8 else ""))
    return outcome


def check_review(s: Session, learner: Learner) -> None:
    """A finished attempt entered again: marked as a review; the answers and the result are shown
    where the LMS gave the attempt back (Moodle gives SCORM 2004 an empty data model)."""
    expect(learner.frame.locator("#notice")).to_have_text(MESSAGES["review_notice"])
    expect(learner.frame.locator("#save-status")).to_have_text(MESSAGES["status_review"])
    if s.runtime == "moodle" and s.version == "2004":
        learner.expect_scene("welcome")
        return
    learner.expect_scene("end")
    answers = learner.scene_locator().locator(".answers")
    expect(answers).to_contain_text("Accept it, then let Jenny's care manager know that you have.")
    questions = len(quiz_answers(correct=True))
    expect(answers).to_contain_text(MESSAGES["summary_quiz"].format(n=questions, m=questions))
    percent = expected_percent(SAMPLE_PATH_CHOICES, quiz_answers(correct=True))
    expect(learner.scene_locator().locator(".result")).to_contain_text(f"{percent}%")


def play_browse(s: Session) -> Outcome:
    learner = s.start(mode="browse")
    expect(learner.frame.locator("#notice")).to_have_text(MESSAGES["browse_notice"])
    _first_half(s, learner)
    _second_half(s, learner)
    expect(learner.scene_locator().locator(".result")).to_have_text(MESSAGES["browse_end"])
    s.reflections.clear()  # nothing is to be recorded: measured below
    outcome = s.finish(journal=[])
    stored = outcome.stored
    assert stored is not None
    kept = stored_reflections(stored)
    outcome.unchanged = not stored.interactions and not stored.score and not stored.suspend_data and \
        not kept and stored.completion in ("", "not attempted", "browsed", "unknown")
    if stored.version == "1.2" and stored.completion != "browsed":  # else Moodle's LMSFinish says "completed"
        outcome.mismatches.append(f"a SCORM 1.2 preview stored lesson_status {stored.completion!r}, not 'browsed'")
    if not outcome.unchanged:
        outcome.notes.append(f"browse recorded: status {stored.completion!r}, score {stored.score!r}, "
                             f"{len(stored.interactions)} interactions, {len(kept)} reflections")
    return outcome


def play_new_attempt(s: Session) -> Outcome:
    learner = s.start()
    _first_half(s, learner)
    s.lms.exit()
    first_attempt = s.lms.stored().attempt_data()
    first_number = s.lms.attempt
    learner = s.again(newattempt=True)
    if learner.current_scene() != "welcome":
        s.outcome.notes.append(f"the new attempt {s.lms.attempt} opened at {learner.current_scene()}, not the start")
    s.journal.clear()
    s.reflections.clear()
    learner.expect_scene("welcome")
    learner.continue_()
    s.choose(learner, "friend-request", "ignore-and-report", "right-feedback")
    learner.continue_()
    _second_half(s, learner, from_feedback=False)
    check_result(s, learner, {"friend-request": "ignore-and-report", "jenny-message": "pass-to-care-manager"},
                 quiz_answers(correct=True))
    outcome = s.finish()
    outcome.unchanged = s.lms.attempt != first_number and s.lms.attempt_stored(first_number).attempt_data() == first_attempt
    return outcome


def play_course_updated(s: Session) -> Outcome:
    learner = s.start()
    learner.expect_scene("welcome")
    learner.continue_()
    s.choose(learner, "friend-request", "ignore-and-report", "right-feedback")
    learner.continue_()
    learner.expect_scene("jenny-message")
    learner = s.again(package="updated")
    s.resumed_at(learner, "jenny-message")
    s.choose(learner, "jenny-message", "pass-to-care-manager", "ending-relationships")
    learner.continue_()
    s.quiz(learner, quiz_answers(correct=True))
    learner.continue_()
    s.reflect(learner, "disclosure-reflect", PARAGRAPHS)
    learner.continue_()
    learner.expect_scene("end")
    # The choice made before the update still counts: by id, not by position.
    updated = load_course(updated_sample(s.packages.folder / "updated"))
    check_result(s, learner, {"friend-request": "ignore-and-report", "jenny-message": "pass-to-care-manager"},
                 quiz_answers(correct=True), updated)
    return s.finish()


STRESS_ANSWERS = {"braces-first": ["opt-one"], "many-right": ["right-one", "right-two"], "is-it-true": ["true"]}


def play_stress(s: Session) -> Outcome:
    learner = s.start(package="stress")
    s.choose(learner, "two-right", "write-it-down", "think")
    s.reflect(learner, "think", STRESS_REFLECTION)
    learner.continue_()
    s.quiz(learner, STRESS_ANSWERS, scene="check")
    learner.continue_()
    learner.expect_scene("end")
    outcome = s.finish()
    # A decision with two right choices: one correct-response pattern per right choice.
    decision = outcome.stored.interactions[0] if outcome.stored and outcome.stored.interactions else None
    patterns = [decode_response(p, "choice", s.version) for p in decision.patterns] if decision else None
    if patterns != [["tell-the-manager"], ["write-it-down"]] or (decision and decision.result != "correct"):
        outcome.mismatches.append(f"two right choices stored as {patterns!r}, {decision.result if decision else None}")
    return outcome


PLAYERS: dict[str, Callable[[Session], Outcome]] = {
    "whole": play_whole, "other-device": play_other_device, "killed-tab": play_killed_tab, "review": play_review,
    "browse": play_browse, "new-attempt": play_new_attempt, "course-updated": play_course_updated,
    "stress": play_stress,
}


def play(kind: str, runtime: str, version: str, browser: Browser, web_root: Any, packages: Packages,
         catch: bool = False) -> Outcome:
    """Play one kind of learner; with ``catch``, a failure is noted in the outcome instead of raised."""
    session = Session(kind, runtime, version, browser, web_root, packages)
    try:
        return PLAYERS[kind](session)
    except Exception as error:  # noqa: BLE001 - the matrix reports what went wrong
        if not catch:
            raise
        session.outcome.failure = f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
        session.outcome.notes.append(traceback.format_exc(limit=3).splitlines()[-1][:160])
        for lms in session.lmses:
            try:
                session.outcome.refused += lms.errors
            except Exception:
                pass
        return session.outcome
    finally:
        session.close()
