"""Dialogue and speech as a learner meets them: names read out, portraits described, pictures loaded
only when their scene is shown, nothing wider than a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support.people import people_course

from scormbuild.commands.build import build


@pytest.fixture(scope="module")
def people_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("people")
    [package] = build(people_course(folder / "course"), ["scorm12"], folder / "dist")
    return package.path


def open_course(page: Page, web_root, package: Path, name: str) -> None:
    page.goto(f"{web_root.base}/{web_root.add_package(package, name)}")
    expect(page.locator("section.scene:not([hidden])")).to_have_count(1)


def fetched(page: Page) -> set[str]:
    names = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    return {name.rsplit("/", 1)[-1] for name in names}


def loaded(page: Page, selector: str) -> bool:
    return bool(page.locator(selector).evaluate("img => img.complete && img.naturalWidth > 0"))


def test_a_dialogue_reads_out_each_speaker_then_their_words(page, web_root, people_package):
    open_course(page, web_root, people_package, "dialogue")
    talk = page.locator("#scene-talk")
    expect(talk).to_be_visible()
    expect(talk.get_by_role("list").first).to_match_aria_snapshot("""
        - list:
          - listitem: It is Friday evening.
          - listitem:
            - figure "Jenny":
              - blockquote:
                - text: Hi Sam, can we be
                - emphasis: friends
                - text: now?
          - listitem:
            - figure "Sam, Support worker":
              - img "Sam, smiling, with a lanyard"
              - blockquote: I’m glad you got in touch.
        """)
    # the decorative background is not read out; the portrait is loaded, the next scene's pictures are not
    expect(talk.get_by_role("img")).to_have_count(1)
    expect(talk.locator("img.backdrop")).to_be_visible()
    assert loaded(page, "#scene-talk img.portrait")
    assert "accept.png" not in fetched(page)
    continue_button = talk.get_by_role("button", name="Continue")
    continue_button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#scene-answer")).to_be_visible()


def test_a_decision_shows_its_speech_before_choices_with_pictures(page, web_root, people_package):
    open_course(page, web_root, people_package, "decision")
    page.evaluate("ScormbuildPlayer.show('answer')")
    answer = page.locator("#scene-answer")
    expect(answer.get_by_role("img", name="A quiet street at dusk")).to_be_visible()
    expect(answer.get_by_role("figure", name="The request on Sam's phone")).to_be_visible()
    expect(answer.get_by_role("figure", name="Jenny")).to_contain_text("Please say yes.")
    choices = answer.get_by_role("group", name="What do you answer?")
    expect(choices).to_match_aria_snapshot("""
        - group "What do you answer?":
          - button "A thumbs-up Accept it.":
            - img "A thumbs-up"
          - button "Decline kindly."
        """)
    picture = answer.locator("img.choice-image")
    expect(picture).to_have_attribute("loading", "lazy")
    page.wait_for_function("document.querySelector('#scene-answer img.choice-image').complete")
    assert loaded(page, "#scene-answer img.choice-image")
    button = answer.get_by_role("button", name="A thumbs-up Accept it.")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 24 and box["width"] >= 24
    button.click()
    expect(page.locator("#scene-end")).to_be_visible()


def test_dialogue_and_pictures_fit_a_phone(browser, web_root, people_package):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        open_course(page, web_root, people_package, "phone")
        for scene in ("talk", "answer"):
            page.evaluate("id => ScormbuildPlayer.show(id)", scene)
            page.wait_for_function("id => [...document.querySelectorAll('#scene-' + id + ' img')]"
                                   ".every(img => img.complete)", arg=scene)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{scene} is {overflow}px wider than a 360px screen"
    finally:
        context.close()
