"""The player as learners meet it: accessible (axe-core, keyboard only), responsive, translated, themed, printable."""

from __future__ import annotations

import json
import logging
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support.coursekit import copy_sample, line_of
from support.learner import Learner, move_into_order
from support.paths import ROOT
from support.playthrough import COURSE, FIRST_REFLECTION, SECOND_REFLECTION, quiz_answers

from scormbuild.commands.build import build
from scormbuild.kinds.quiz import QuizScene

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]  # WCAG 2.2 AA (target size...)
CATALOGS = ROOT / "templates" / "messages"


def localised_sample(tmp_path: Path, language: str) -> Path:
    course = copy_sample(tmp_path / language)
    yaml_file = course / "course.yaml"
    yaml_file.write_text(re.sub(r"^language: .*$", f"language: {language}", yaml_file.read_text(), flags=re.M), "utf-8")
    return course


def open_standalone(page: Page, web_root, zip_path: Path, name: str) -> None:
    page.goto(f"{web_root.base}/{web_root.add_package(zip_path, name)}")
    expect(page.locator("section.scene:not([hidden])")).to_have_count(1)


def axe_violations(page: Page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']}: {v['nodes'][0]['html'][:100]}" for v in result["violations"]]


@pytest.mark.parametrize("language, width", [("en-GB", 1280), ("en-GB", 360), ("ar", 1280), ("ar", 360)])
def test_every_scene_has_no_axe_violations(page, web_root, tmp_path, language, width):
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make test` (it runs npm ci)")
    page.set_viewport_size({"width": width, "height": 800})
    [package] = build(localised_sample(tmp_path, language), ["scorm12"], tmp_path / "dist")
    open_standalone(page, web_root, package.path, f"axe-{language}-{width}")
    problems = {}
    for scene in COURSE.scene_list:
        page.evaluate("id => ScormbuildPlayer.show(id)", scene.id)
        if scene.kind == "reflection":  # and once more after submitting, with the model points shown
            page.locator("section:not([hidden]) textarea").fill(FIRST_REFLECTION)
            page.locator('section:not([hidden]) button[type="submit"]').click()
        if scene.kind == "quiz":  # answered, with the feedback shown
            for question_id, ids in quiz_answers(correct=False).items():
                question = page.locator(f'section:not([hidden]) [data-question="{question_id}"]')
                if question.get_attribute("data-kind") == "ordering":
                    move_into_order(question, ids)
                for option_id in ids if question.get_attribute("data-kind") != "ordering" else []:
                    question.locator(f'input[value="{option_id}"]').check()
                question.locator('[data-action="check"]').click()
        found = axe_violations(page)
        if found:
            problems[scene.id] = found
        if scene.kind == "reflection" and page.locator("section:not([hidden]) .self-check").count():
            page.locator('section:not([hidden]) [data-action="self-check"]').first.click()
            found = axe_violations(page)  # the self-check answered
            if found:
                problems[scene.id + " (self-check)"] = found
    assert problems == {}


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` inside the course frame."""
    frame = page.frame_locator("#course")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if frame.locator(f"{selector}:focus").count():
            return
    raise AssertionError(f"{selector} never received focus by keyboard")


def test_the_whole_course_can_be_played_with_the_keyboard_alone(page, web_root, sample_dist):
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", web_root.add_package(sample_dist["scorm12"], "keyboard"))
    frame = learner.frame
    page.locator("#course").focus()

    def heading_has_focus(scene_id: str) -> None:
        learner.expect_scene(scene_id)
        expect(frame.locator(f"#title-{scene_id}")).to_be_focused()

    def activate(selector: str, key: str = "Enter") -> None:
        tab_to(page, f"section:not([hidden]) {selector}")
        page.keyboard.press(key)

    learner.expect_scene("welcome")  # on first load the LMS page, not the course, has the focus
    activate('.actions [data-action="next"]')
    heading_has_focus("friend-request")
    activate('[data-choice="accept-and-tell"]')
    heading_has_focus("accept-reflect")
    tab_to(page, "section:not([hidden]) textarea")
    page.keyboard.type(FIRST_REFLECTION)
    activate('button[type="submit"]')
    expect(frame.locator("section:not([hidden]) .saved-note")).to_be_focused()
    activate('.model-points [data-action="next"]', key="Space")
    heading_has_focus("accept-feedback")
    activate('[data-option="try-again"]')
    heading_has_focus("friend-request")
    activate('[data-choice="ignore-and-report"]')
    activate('[data-action="next"]')
    heading_has_focus("jenny-message")
    activate('[data-choice="pass-to-care-manager"]')
    activate('.actions [data-action="next"]')
    heading_has_focus("ending-quiz")
    quiz = COURSE.scenes["ending-quiz"]
    assert isinstance(quiz, QuizScene)
    for question in quiz.questions:
        right = [o.id for o in question.options if o.correct]
        if question.kind == "ordering":  # Tab to an item's "Move up"; the focus stays on it while it moves
            for place, item in enumerate(right):
                order = frame.locator(f'[data-question="{question.id}"] li').evaluate_all(
                    "items => items.map(li => li.dataset.item)")
                if order.index(item) > place:
                    tab_to(page, f'section:not([hidden]) li[data-item="{item}"] [data-action="move-up"]')
                for _ in range(order.index(item) - place):
                    page.keyboard.press("Enter")
        elif question.kind == "multiple":
            for option_id in right:
                activate(f'[data-question="{question.id}"] input[value="{option_id}"]', key="Space")
        else:
            # Tab reaches the radio group; arrow keys move the choice within it, as in any form.
            tab_to(page, f'section:not([hidden]) [data-question="{question.id}"] input')
            for _ in range(len(question.options)):
                if frame.locator(f'[data-question="{question.id}"] input[value="{right[0]}"]:focus').count():
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        activate(f'[data-question="{question.id}"] [data-action="check"]')
        expect(frame.locator(f'[data-question="{question.id}"]')).to_have_attribute("data-answered", "correct")
    activate('.actions > [data-action="next"]')
    heading_has_focus("self-disclosure")
    activate('.actions [data-action="next"]')
    tab_to(page, "section:not([hidden]) textarea")
    page.keyboard.type(SECOND_REFLECTION)
    activate('button[type="submit"]')
    activate('.model-points [data-action="next"]')
    activate('.actions [data-action="next"]')
    heading_has_focus("end")
    ids = [learner.cmi()["interactions"][str(i)]["id"] for i in range(len(learner.cmi()["interactions"]))]
    assert ids == ["friend-request", "accept-reflect", "friend-request", "jenny-message",
                   *[f"ending-quiz_{q.id}" for q in quiz.questions], "disclosure-reflect"]


KIND_EXAMPLES = {"page": "ending-relationships", "decision": "friend-request", "dialogue": "social-media",
                 "feedback": "accept-feedback", "reflection": "accept-reflect", "quiz": "ending-quiz", "end": "end"}


@pytest.mark.parametrize("size", [(360, 740), (1280, 800)], ids=["phone", "desktop"])
def test_each_scene_kind_fits_the_screen_without_sideways_scrolling(browser, web_root, sample_dist, tmp_path, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        open_standalone(page, web_root, sample_dist["scorm12"], f"responsive-{size[0]}")
        for kind, scene_id in KIND_EXAMPLES.items():
            page.evaluate("id => ScormbuildPlayer.show(id)", scene_id)
            page.screenshot(path=str(tmp_path / f"{kind}-{size[0]}x{size[1]}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{kind} scene is {overflow}px wider than a {size[0]}px screen"
            assert (tmp_path / f"{kind}-{size[0]}x{size[1]}.png").stat().st_size > 1000
    finally:
        context.close()


def test_inside_a_narrow_lms_frame_nothing_overflows(page, web_root, sample_dist):
    learner = Learner(page, web_root.base)
    page.set_viewport_size({"width": 320, "height": 640})
    learner.launch("scorm12", web_root.add_package(sample_dist["scorm12"], "narrow"))
    learner.continue_()
    overflow = learner.course_frame.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_right_to_left_languages_mirror_the_layout(page, web_root, tmp_path):
    [package] = build(localised_sample(tmp_path, "ar"), ["scorm12"], tmp_path / "dist")
    open_standalone(page, web_root, package.path, "rtl")
    catalog = json.loads((CATALOGS / "ar.json").read_text("utf-8"))
    assert page.evaluate("document.documentElement.dir") == "rtl"
    expect(page.locator('section:not([hidden]) .actions [data-action="next"]')).to_have_text(catalog["continue"])
    expect(page.locator("#step-label")).to_have_text(catalog["step_n_of_m"].replace("{n}", "1").replace("{m}", "10"))
    page.evaluate("ScormbuildPlayer.show('friend-request')")
    page.screenshot(path=str(tmp_path / "rtl.png"))
    # The text of headings and choices starts at the right-hand edge.
    for selector in ("section:not([hidden]) h1", 'section:not([hidden]) [data-choice="accept"]'):
        box, text = page.evaluate("""sel => {
            const el = document.querySelector(sel);
            const range = document.createRange();
            range.selectNodeContents(el);
            const r = range.getBoundingClientRect(), b = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return [[b.left + parseFloat(style.paddingLeft), b.right - parseFloat(style.paddingRight)], [r.left, r.right]];
        }""", selector)
        assert abs(text[1] - box[1]) < 3, f"{selector} text does not start at the right: {text} in {box}"
        assert text[0] > box[0] + 10, f"{selector} text is not right-aligned: {text} in {box}"


def test_every_catalog_translates_every_message():
    english = json.loads((CATALOGS / "en.json").read_text("utf-8"))
    catalogs = sorted(CATALOGS.glob("*.json"))
    assert len(catalogs) >= 6
    for catalog in catalogs:
        messages = json.loads(catalog.read_text("utf-8"))
        assert set(messages) == set(english), catalog.name
        for key, text in messages.items():
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", english[key])), (catalog.name, key)


@pytest.mark.parametrize("standard, preference", [("scorm12", {"core": {}, "student_preference": {"language": "fr"}}),
                                                  ("scorm2004", {"learner_preference": {"language": "fr-CA"}})])
def test_the_learners_preferred_language_from_the_lms_is_used_for_the_buttons(page, web_root, sample_dist, standard,
                                                                                preference):
    """The LMS says the learner prefers French (SCORM learner_preference.language): the player's
    own words follow it, marked as French; the course's text stays as the author wrote it."""
    french = json.loads((CATALOGS / "fr.json").read_text("utf-8"))
    learner = Learner(page, web_root.base)
    learner.launch(standard, web_root.add_package(sample_dist[standard], f"prefers-fr-{standard}"),
                   saved={"cmi": preference})
    button = learner.scene_locator().locator('.actions [data-action="next"]')
    expect(button).to_have_text(french["continue"])
    expect(button).to_have_attribute("lang", "fr")
    expect(learner.frame.locator("#save-status")).to_have_text(french["status_saved"])
    expect(learner.frame.locator("#step-label")).to_have_text(french["step_n_of_m"].replace("{n}", "1").replace("{m}", "10"))
    expect(learner.scene_locator().locator("h1")).to_have_text(COURSE.scenes["welcome"].title)
    assert learner.course_frame.evaluate("document.documentElement.lang") == COURSE.language
    learner.continue_()
    learner.choose("accept")
    expect(learner.scene_locator().locator('button[type="submit"]')).to_have_text(french["submit_reflection"])
    assert learner.rejected_sets() == []


def test_the_end_s_result_follows_a_language_that_arrives_after_it_is_shown(page, web_root, sample_dist):
    """A finished course reopens on its end; the learner's catalog arrives after: the result lines,
    which the end scene writes itself, change language too."""
    french = json.loads((CATALOGS / "fr.json").read_text("utf-8"))
    held = []
    page.route("**/assets/messages/fr.json", lambda route: held.append(route))
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", web_root.add_package(sample_dist["scorm12"], "late-french"),
                   saved={"cmi": {"core": {}, "student_preference": {"language": "fr"}}})
    learner.course_frame.evaluate("ScormbuildPlayer.show('end')")
    result = learner.scene_locator().locator(".result p").last
    expect(result).not_to_have_text(re.compile("réussi|échoué|terminé", re.I))
    page.wait_for_timeout(100)
    assert held, "the player asked for the French catalog"
    held[0].continue_()
    expect(learner.scene_locator().locator('[data-action="look-again"]')).to_have_text(french["again_first-attempt"])
    first_words = {french["result_completed"].split()[0], french["result_failed"].split()[0],
                   french["result_passed"].split()[0]}
    expect(result).to_have_text(re.compile("^(" + "|".join(map(re.escape, first_words)) + ")"))


def test_numbers_and_dates_follow_the_course_language(page, web_root, tmp_path):
    [package] = build(localised_sample(tmp_path, "fr"), ["scorm12"], tmp_path / "dist")
    open_standalone(page, web_root, package.path, "french")
    page.evaluate("ScormbuildPlayer.show('friend-request')")
    page.locator('[data-choice="ignore-and-report"]').click()
    page.evaluate("ScormbuildPlayer.show('end')")
    result = page.locator("section:not([hidden]) .result").inner_text()
    assert "\u00a0%" in result or "\u202f%" in result  # French puts a (narrow) space before %
    page.evaluate("ScormbuildPlayer.show('accept-feedback')")
    with page.expect_download() as info:
        page.locator('section:not([hidden]) [data-action="download"]').click()
    copy = Path(info.value.path()).read_text("utf-8")
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]
    assert any(month in copy for month in months) and 'lang="fr"' in copy


def test_a_theme_brings_colours_font_logo_and_css_into_the_package_and_warns_on_low_contrast(tmp_path, page, web_root,
                                                                                             caplog):
    course = copy_sample(tmp_path)
    (course / "media" / "brand").mkdir()
    (course / "media" / "brand" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="24"><rect width="80" height="24" fill="#036"/></svg>')
    (course / "media" / "brand" / "body.woff2").write_bytes(b"wOF2 not really a font")
    (course / "media" / "brand" / "extra.css").write_text(".course-title { letter-spacing: .02em; }\n")
    with (course / "course.yaml").open("a") as f:
        f.write("theme:\n  primary: '#7fa8d6'\n  text: '#222222'\n  font: media/brand/body.woff2\n"
                "  font_family: Care Sans\n  logo: media/brand/logo.svg\n  logo_alt: Care Academy\n"
                "  css: media/brand/extra.css\n")
    with caplog.at_level(logging.WARNING, logger="scormbuild"):
        [package] = build(course, ["scorm12"], tmp_path / "dist")
    warnings = [record.problem for record in caplog.records if hasattr(record, "problem")]
    assert [w.message.split(" has ")[0] for w in warnings] == ["theme `primary: #7fa8d6`"]
    assert warnings[0].location.line == line_of(course / "course.yaml", "primary:")
    with zipfile.ZipFile(package.path) as archive:
        names = archive.namelist()
        theme_css = archive.read("assets/theme.css").decode()
        manifest = archive.read("imsmanifest.xml").decode()
    assert {"content/media/brand/logo.svg", "content/media/brand/body.woff2", "assets/theme.css"} <= set(names)
    assert 'href="assets/theme.css"' in manifest
    assert "--accent: #7fa8d6;" in theme_css and '"Care Sans"' in theme_css and "letter-spacing" in theme_css
    assert 'url("../content/media/brand/body.woff2")' in theme_css
    open_standalone(page, web_root, package.path, "themed")
    expect(page.locator("img.logo")).to_have_attribute("alt", "Care Academy")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Care Sans"')
    # The theme's colour reaches the hover, pressed and notice backgrounds too, not only the buttons.
    page.evaluate("ScormbuildPlayer.show('friend-request')")
    choice = page.locator('section:not([hidden]) [data-choice="accept"]')
    choice.hover()
    assert choice.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(245, 248, 252)"  # #7fa8d6 at 8 %
    assert choice.evaluate("b => getComputedStyle(b).borderTopColor") == "rgb(127, 168, 214)"


def test_scenes_print_without_buttons(page, web_root, sample_dist):
    open_standalone(page, web_root, sample_dist["scorm12"], "print")
    page.evaluate("ScormbuildPlayer.show('accept-feedback')")
    page.emulate_media(media="print")
    assert page.locator("section:not([hidden]) .points").is_visible()
    assert not page.locator('section:not([hidden]) [data-action="download"]').is_visible()
    assert not page.locator(".topbar").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("language", ["en-GB", "fr"])
def test_a_quiz_without_feedback_text_says_right_or_wrong_once_in_the_course_language(page, web_root, tmp_path, language):
    """Before, a quiz whose author wrote no feedback said "Correct. Correct." (and English words in
    French courses): the default feedback came from the loader, not from the catalog."""
    course = localised_sample(tmp_path, language)
    quiz_file = next(path for path in (course / "scenes").glob("*.md") if "kind: quiz" in path.read_text("utf-8"))
    quiz_file.write_text(re.sub(r"^\s*feedback_(?:in)?correct:.*\n", "", quiz_file.read_text("utf-8"), flags=re.M), "utf-8")
    [package] = build(course, ["scorm12"], tmp_path / "dist")
    open_standalone(page, web_root, package.path, f"quiz-words-{language}")
    quiz = next(scene for scene in COURSE.scene_list if isinstance(scene, QuizScene))
    page.evaluate("id => ScormbuildPlayer.show(id)", quiz.id)
    words = json.loads((CATALOGS / f"{language[:2]}.json").read_text("utf-8"))
    right, wrong = quiz_answers(correct=True), quiz_answers(correct=False)
    first, second = list(right)[:2]
    for question_id, ids, correct in ((first, right[first], True), (second, wrong[second], False)):
        question = page.locator(f'section:not([hidden]) [data-question="{question_id}"]')
        for option_id in ids:
            question.locator(f'input[value="{option_id}"]').check()
        question.locator('[data-action="check"]').click()
        expect(question.locator(".question-feedback")).to_have_text(
            (words["correct"] if correct else words["incorrect"]) + ".")
