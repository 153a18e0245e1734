"""Variables and conditions as a learner meets them, in both LMS runtimes and both SCORM versions:
choices and speech lines that appear only when their condition holds, an ending chosen by what
the learner did, the values kept across a relaunch in suspend_data, and shown in the journey."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from support.lms_runtimes import EVERY_LMS, STANDARD, open_lms
from support.story import story_course

from scormbuild.commands.build import build


@pytest.fixture(scope="module")
def story_dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("story")
    return {p.standard.key: p.path for p in build(story_course(folder / "course"), ["scorm12", "scorm2004"],
                                                   folder / "dist")}


def visible_choices(learner) -> list[str]:  # noqa: ANN001
    return learner.scene_locator().locator("[data-choice]:visible, [data-option]:visible").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('data-choice') || b.getAttribute('data-option'))")


@pytest.mark.parametrize("runtime, version", EVERY_LMS)
def test_what_the_learner_did_changes_the_story_and_survives_a_relaunch(runtime, version, page, web_root,
                                                                         story_dist):
    lms = open_lms(runtime, page, web_root, story_dist[STANDARD[version]], version)
    lms.launch()
    learner = lms.learner()
    learner.expect_scene("meet")
    assert visible_choices(learner) == ["listen", "leave"]  # `letter` needs trust >= 2

    learner.choose("leave")  # trust -1, kept at its min, 0
    learner.expect_scene("regret")
    assert visible_choices(learner) == ["again", "go-on", "apologise"]  # apologise: trust == 0
    learner.pick_option("again")
    learner.expect_scene("meet")
    assert visible_choices(learner) == ["listen", "leave"]
    learner.choose("listen")  # trust 2
    learner.expect_scene("talk")
    lines = learner.scene_locator().locator(".speech li")
    expect(lines.filter(has_text="Sam smiles.")).to_be_visible()
    expect(lines.filter(has_text="Sam looks away.")).to_be_hidden()

    # The LMS keeps the values: after a relaunch, the choice that needs trust is offered.
    lms = lms.relaunch()
    learner = lms.learner()
    learner.expect_scene("talk")
    expect(learner.scene_locator().locator(".speech li").filter(has_text="Sam smiles.")).to_be_visible()
    learner.course_frame.evaluate("ScormbuildPlayer.show('meet')")
    learner.expect_scene("meet")
    assert visible_choices(learner) == ["listen", "leave", "letter"]
    learner.choose("letter")
    learner.expect_scene("talk")
    learner.continue_()

    # A choice without `goto:` goes where the branches say: told and trust >= 2 -> the good ending.
    learner.expect_scene("tell")
    learner.choose("tell")
    learner.expect_scene("good-end")
    journey = learner.scene_locator().locator(".answers")
    expect(journey.locator("dt", has_text="Trust built")).to_be_visible()
    expect(journey.locator("dt", has_text="Trust built").locator("xpath=following-sibling::dd[1]")).to_have_text("2")

    lms.exit()
    assert lms.errors == []
    stored = lms.stored()
    assert stored.done and stored.suspend_data.startswith("S3~")
    assert stored.suspend_data.count("~") == 9  # the variables' part is there


@pytest.mark.parametrize("version", ["1.2"])
def test_the_other_ending_when_the_condition_does_not_hold(version, page, web_root, story_dist):
    lms = open_lms("moodle", page, web_root, story_dist[STANDARD[version]], version)
    lms.launch()
    learner = lms.learner()
    learner.choose("leave")
    learner.pick_option("apologise")  # trust 1
    learner.expect_scene("talk")
    expect(learner.scene_locator().locator(".speech li").filter(has_text="Sam looks away.")).to_be_visible()
    learner.continue_()
    learner.choose("tell")  # told, but trust < 2
    learner.expect_scene("other-end")
    lms.exit()
    assert lms.errors == []
