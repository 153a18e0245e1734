"""Matching, ordering and fill-in questions answered by keyboard only, and what each format keeps:
scorm-again and Moodle 4.1's own runtime (SCORM 1.2 and 2004, no call refused) and a real LRS
(Ralph) for xAPI. The answers' encodings are read back with runtime_values."""

from __future__ import annotations

import json
import re
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect
from support.learner import Learner
from support.lms_runtimes import RUNTIMES, VERSIONS, Interaction, open_lms
from support.lrs import BASIC_AUTH
from support.questions import RIGHT, WRONG, question_course

from scormbuild.commands.build import build
from scormbuild.runtime_values import (
    choice_ids_from_2004,
    decode_text,
    fill_in_from_2004,
    matching_from_12,
    matching_from_2004,
)

ANSWERS = {"right": RIGHT, "wrong": WRONG}
IRI_INTERACTIONS = "interactions/quiz_"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = question_course(tmp_path_factory.mktemp("questions") / "course")
    return {p.standard.key: p.path for p in build(folder, ["scorm12", "scorm2004", "xapi"], folder.parent / "dist")}


def scene(frame: FrameLocator) -> Locator:
    return frame.locator("section.scene:not([hidden])")


def answer_by_keyboard(page: Page, frame: FrameLocator, answers: dict[str, Any]) -> None:
    """From the start page through the quiz to the end, with the keyboard only."""
    scene(frame).locator('[data-action="next"]').press("Enter")
    quiz = scene(frame)
    expect(quiz).to_have_attribute("data-scene", "quiz")
    answer_quiz(page, quiz, answers)
    quiz.locator('.actions > [data-action="next"]').press("Enter")
    expect(scene(frame)).to_have_attribute("data-scene", "end")


def answer_quiz(page: Page, quiz: Locator, answers: dict[str, Any]) -> None:
    """Each question answered and checked, with the keyboard only."""
    match = quiz.locator('[data-question="match-it"]')
    for source, target in answers["match-it"].items():
        select = match.locator(f'select[data-source="{source}"]')
        values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
        select.focus()
        for _ in range(values.index(target)):
            page.keyboard.press("ArrowDown")
        expect(select).to_have_value(target)
    match.locator('[data-action="check"]').press("Enter")

    steps = quiz.locator('[data-question="steps"]')
    shown = steps.locator("li").evaluate_all("items => items.map(li => li.dataset.item)")
    assert shown != RIGHT["steps"] and sorted(shown) == sorted(RIGHT["steps"])  # never shown in the right order
    status = steps.locator(".ordering-status")
    for place, item in enumerate(answers["steps"]):
        order = steps.locator("li").evaluate_all("items => items.map(li => li.dataset.item)")
        moves = order.index(item) - place
        if moves:
            steps.locator(f'li[data-item="{item}"] [data-action="move-up"]').focus()
        for _ in range(moves):
            page.keyboard.press("Enter")  # the focus stays on the moved item
            assert steps.locator(f'li[data-item="{item}"] button:focus').count() == 1
        if moves:
            expect(status).to_have_text(re.compile(rf": now position {place + 1} of 3$"))
    assert steps.locator("li").evaluate_all("items => items.map(li => li.dataset.item)") == answers["steps"]
    steps.locator('[data-action="check"]').press("Enter")

    who = quiz.locator('[data-question="who"]')
    who.locator("input").focus()
    page.keyboard.type(answers["who"])
    page.keyboard.press("Enter")  # in the box: checks the answer

    pick = quiz.locator('[data-question="pick"]')
    for option in answers["pick"]:
        pick.locator(f'input[value="{option}"]').press("Space")
    pick.locator('[data-action="check"]').press("Enter")


def check_marks(frame: FrameLocator, which: str) -> None:
    """Right and wrong are shown in words, each word once."""
    quiz = frame.locator('section[data-scene="quiz"]')
    feedback = quiz.locator(".question-feedback")
    if which == "right":
        expect(feedback).to_have_text(["Correct.", "Correct.", "Correct, the safeguarding lead.", "Correct."])
        expect(quiz.locator('[data-question="pick"] .mark')).to_have_text(["Your answer", "Correct answer"])
        expect(quiz.locator('[data-question="steps"] .mark')).to_have_text(["Right place"] * 3)
    else:
        expect(feedback).to_have_text(["Incorrect."] * 4)
        expect(quiz.locator('[data-question="match-it"] .mark-wrong')).to_have_text([
            "Correct answer: Decline politely and log it", "Correct answer: Share them and note it in the gifts book"])
        expect(quiz.locator('[data-question="steps"] .mark')).to_have_text(
            ["Right place: 2", "Right place: 1", "Right place"])
        expect(quiz.locator('[data-question="who"] .mark')).to_have_text("Correct answer: Safeguarding lead")
        pick = quiz.locator('[data-question="pick"]')  # shuffled: the labels' order is drawn at random
        expect(pick.locator("label.is-wrong .mark")).to_have_text("Your answer")
        expect(pick.locator("label.is-wrong")).to_contain_text("Drinking tea")
        expect(pick.locator("label.is-missed .mark")).to_have_text("Correct answer")
        expect(pick.locator("label.is-missed")).to_contain_text("Not lending money")


def recorded(interactions: list[Interaction], version: str) -> dict[str, tuple[str, Any, list[Any], str]]:
    """Each question's type, response, patterns and result, decoded into the player's terms."""
    out = {}
    for rec in interactions:
        assert rec.id.startswith("quiz_")
        decode: Any
        if rec.type == "matching":
            decode = matching_from_12 if version == "1.2" else matching_from_2004
            decode = (lambda d: lambda v: dict(d(v)))(decode)
        elif rec.type == "sequencing" or rec.type == "choice":
            decode = (lambda v: v.split(",")) if version == "1.2" else choice_ids_from_2004
        else:
            decode = decode_text if version == "1.2" else (lambda v: fill_in_from_2004(v)[0])
        out[rec.id[len("quiz_"):]] = (rec.type, decode(rec.response or ""), [decode(p) for p in rec.patterns],
                                      rec.result)
    return out


@pytest.mark.parametrize("which", ["right", "wrong"])
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("runtime", RUNTIMES)
def test_new_questions_answered_by_keyboard_are_kept_by_the_lms(runtime, version, which, page, web_root, packages):
    answers = ANSWERS[which]
    lms = open_lms(runtime, page, web_root, packages["scorm12" if version == "1.2" else "scorm2004"], version)
    frame = lms.launch()
    answer_by_keyboard(page, frame, answers)
    check_marks(frame, which)
    lms.exit()
    assert lms.errors == []
    got = recorded(lms.stored().interactions, version)
    right = which == "right"
    result = "correct" if right else ("wrong" if version == "1.2" else "incorrect")
    pairs = {source: source for source in RIGHT["match-it"]}
    assert got["match-it"] == ("matching", answers["match-it"], [pairs], result)
    assert got["steps"] == ("sequencing", answers["steps"], [RIGHT["steps"]], result)
    assert got["who"] == ("fill-in", answers["who"].strip(), ["Safeguarding lead", "DSL"], result)
    assert got["pick"] == ("choice", answers["pick"], [["rule"]], result)


def test_new_questions_reach_the_lrs_in_xapi_formats(page, web_root, packages, ralph):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Sam Carer", "mbox": f"mailto:sam-{registration[:8]}@example.org"}
    path = web_root.add_package(packages["xapi"], f"questions-{registration[:8]}")
    learner = Learner(page, web_root.base)
    query = urllib.parse.urlencode({"endpoint": ralph.endpoint, "auth": BASIC_AUTH, "actor": json.dumps(actor),
                                    "registration": registration})
    learner.launch("xapi", f"{path}?{query}")
    answer_by_keyboard(page, learner.frame, WRONG)
    learner.leave()
    statements = ralph.wait_for(lambda found: any(s["verb"]["id"].endswith("/terminated") for s in found),
                                registration=registration)
    answered = {s["object"]["id"].split(IRI_INTERACTIONS)[-1]: s for s in statements
                if s["verb"]["id"].endswith("/answered")}
    assert {k: (v["object"]["definition"]["interactionType"], v["result"]["response"], v["result"]["success"])
            for k, v in answered.items()} == {
        "match-it": ("matching", "gift-card[.]chocolates[,]chocolates[.]gift-card[,]friend-request[.]friend-request",
                     False),
        "steps": ("sequencing", "record[,]listen[,]report", False),
        "who": ("fill-in", WRONG["who"].strip(), False),
        "pick": ("choice", "habit", False)}
    match = answered["match-it"]["object"]["definition"]
    assert match["correctResponsesPattern"] == [
        "gift-card[.]gift-card[,]chocolates[.]chocolates[,]friend-request[.]friend-request"]
    assert [s["id"] for s in match["source"]] == [s["id"] for s in match["target"]] == list(RIGHT["match-it"])
    assert match["target"][0]["description"] == {"en-GB": "Decline politely and log it"}
    assert answered["steps"]["object"]["definition"]["correctResponsesPattern"] == ["listen[,]record[,]report"]
    assert answered["who"]["object"]["definition"]["correctResponsesPattern"] == ["Safeguarding lead", "DSL"]


def test_new_questions_have_no_axe_violations_and_fit_a_phone(page, web_root, packages):
    """At 360 px wide: nothing wider than the screen, targets of 24 px at least, and axe-core finds
    nothing before and after the answers are checked (marks shown)."""
    from test_learner_experience import axe_violations, open_standalone

    page.set_viewport_size({"width": 360, "height": 740})
    open_standalone(page, web_root, packages["scorm12"], f"questions-axe-{uuid.uuid4().hex[:8]}")
    page.evaluate("id => ScormbuildPlayer.show(id)", "quiz")
    quiz = page.locator('section[data-scene="quiz"]')
    assert axe_violations(page) == []
    answer_quiz(page, quiz, WRONG)
    expect(quiz.locator(".mark")).to_have_count(9)  # 3 pairs, 3 items, 1 blank, 2 options
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = page.evaluate("""() => [...document.querySelectorAll(
        'section[data-scene="quiz"] :is(select, .ordering button, input[type=text], [data-action="check"])')]
        .map(el => el.getBoundingClientRect()).filter(r => r.width < 24 || r.height < 24).length""")
    assert small == 0
