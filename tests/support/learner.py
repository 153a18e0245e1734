"""Drives the player inside the test LMS the way a learner does: by clicking."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Frame, FrameLocator, Locator, Page, expect


class Learner:
    def __init__(self, page: Page, base_url: str, frame_selector: str = "#course") -> None:
        self.page = page
        self.base_url = base_url
        self.frame_selector = frame_selector

    # -- launching ------------------------------------------------------------
    def launch(self, standard: str, package_path: str, saved: dict[str, Any] | None = None) -> None:
        self.page.goto(f"{self.base_url}/lms.html")
        if standard.startswith("scorm"):
            self.page.evaluate("([s, src, saved]) => startLms(s, src, saved)", [standard, package_path, saved])
        else:
            self.page.evaluate("(src) => openCourse(src)", package_path)
        expect(self.scene_locator()).to_have_count(1)

    @property
    def frame(self) -> FrameLocator:
        return self.page.frame_locator(self.frame_selector)

    @property
    def course_frame(self) -> Frame:
        handle = self.page.query_selector(self.frame_selector)
        frame = handle.content_frame() if handle else None
        assert frame is not None, "the course frame is not there"
        return frame

    # -- what the learner sees ---------------------------------------------------
    def scene_locator(self) -> Locator:
        return self.frame.locator("section.scene:not([hidden])")

    def current_scene(self) -> str:
        return str(self.scene_locator().get_attribute("data-scene"))

    def expect_scene(self, scene_id: str) -> None:
        expect(self.scene_locator()).to_have_attribute("data-scene", scene_id)

    def status_text(self) -> str:
        return self.frame.locator("#save-status").inner_text()

    # -- what the learner does ---------------------------------------------------
    def continue_(self) -> None:
        self.scene_locator().locator('.actions:visible [data-action="next"]').click()

    def choose(self, choice_id: str) -> None:
        self.scene_locator().locator(f'[data-choice="{choice_id}"]').click()

    def pick_option(self, option_id: str) -> None:
        self.scene_locator().locator(f'[data-option="{option_id}"]').click()

    def reflect(self, text: str) -> None:
        scene = self.scene_locator()
        scene.locator("textarea").fill(text)
        scene.locator('button[type="submit"]').click()
        expect(scene.locator(".model-points")).to_be_visible()

    def answer(self, question_id: str, option_ids: list[str]) -> None:
        question = self.scene_locator().locator(f'[data-question="{question_id}"]')
        if question.get_attribute("data-kind") == "ordering":  # option_ids: the items in the order wanted
            move_into_order(question, option_ids)
        for option_id in option_ids if question.get_attribute("data-kind") != "ordering" else []:
            question.locator(f'input[value="{option_id}"]').check()
        question.locator('[data-action="check"]').click()
        expect(question).to_have_attribute("data-answered", re.compile(r"^(correct|incorrect)$"))

    def leave(self) -> None:
        """Close the course the way an LMS does: the frame goes elsewhere (pagehide)."""
        self.page.evaluate("document.getElementById('course').src = 'about:blank'")
        if self.page.evaluate("!!window.lmsApi"):
            self.page.wait_for_function("window.lmsCalls.some(c => c.fn === 'finish')")
        else:
            self.page.wait_for_function("document.getElementById('course').contentWindow.location.href === 'about:blank'")

    # -- what the LMS recorded ---------------------------------------------------
    def cmi(self) -> dict[str, Any]:
        return self.page.evaluate("lmsCmi()")

    def lms_calls(self) -> list[dict[str, Any]]:
        """Every call the package made to the scorm-again test LMS: {fn, element, value, result, code}."""
        return self.page.evaluate("window.lmsCalls")

    def rejected_sets(self) -> list[dict[str, Any]]:
        return [call for call in self.lms_calls() if call["fn"] == "set" and call["code"] not in ("0", "")]


def move_into_order(question: Locator, item_ids: list[str]) -> None:
    """Puts an ordering question's items in the given order with its "Move up" buttons."""
    for place, item in enumerate(item_ids):
        order = question.locator("li").evaluate_all("items => items.map(li => li.dataset.item)")
        for _ in range(order.index(item) - place):
            question.locator(f'li[data-item="{item}"] [data-action="move-up"]').click()
