"""SCORM 1.2's size limits, checked in Chromium against scorm-again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.coursekit import decision_chain, write
from support.learner import Learner

from scormbuild.commands.build import build

SUSPEND_DATA_LIMIT = 4096


@pytest.mark.parametrize("decisions", [250])
def test_suspend_data_stays_under_4096_characters_for_a_long_course(decisions, page, web_root, tmp_path):
    course = decision_chain(tmp_path / "chain", decisions)
    [package] = build(course, ["scorm12"], tmp_path / "dist")
    path = web_root.add_package(package.path, f"chain-{decisions}")
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", path)
    # Alternate right and wrong answers, clicking each choice button as a learner would.
    learner.course_frame.evaluate(
        """async (count) => {
            for (let i = 0; i < count; i++) {
              const scene = document.querySelector('section.scene:not([hidden])');
              scene.querySelector(i % 2 ? '[data-choice="wrong"]' : '[data-choice="right"]').click();
            }
        }""",
        decisions,
    )
    learner.expect_scene("finish")
    cmi = learner.cmi()
    assert learner.rejected_sets() == []
    suspend_data = cmi["suspend_data"]
    print(f"suspend_data after {decisions} decisions: {len(suspend_data)} characters")
    assert len(suspend_data) <= SUSPEND_DATA_LIMIT
    assert cmi["core"]["score"]["raw"] == str(round(100 * ((decisions + 1) // 2) / decisions))
    assert int(learner.page.evaluate("lmsApi.LMSGetValue('cmi.interactions._count')")) == decisions


def test_a_long_reflection_is_kept_whole_in_the_comments_and_shortened_in_the_interaction(page, web_root, tmp_path):
    write(tmp_path / "c" / "course.yaml", "id: long\ntitle: Long\n")
    write(tmp_path / "c" / "scenes" / "01-r.md", "---\nkind: reflection\ntitle: Think\n---\nWrite a lot.\n")
    write(tmp_path / "c" / "scenes" / "02-end.md", "---\nkind: end\ntitle: End\n---\n")
    [package] = build(tmp_path / "c", ["scorm12"], tmp_path / "dist")
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", web_root.add_package(package.path, "long-reflection"))
    text = " ".join(f"sentence {i} of a long and careful reflection." for i in range(40))
    assert len(text) > 1000
    learner.reflect(text)
    learner.continue_()
    learner.expect_scene("end")
    cmi = learner.cmi()
    assert learner.rejected_sets() == []
    response = cmi["interactions"]["0"]["student_response"]
    assert len(response) == 255 and response.endswith("\u2026") and text.startswith(response[:-1])
    assert text in cmi["comments"]


def test_script_in_a_choice_is_shown_as_text_and_never_runs(page, web_root, tmp_path):
    write(tmp_path / "c" / "course.yaml", "id: xss\ntitle: XSS\n")
    write(tmp_path / "c" / "scenes" / "01-d.md", """
        ---
        kind: decision
        title: "<img src=x onerror=window.pwned=1>"
        choices:
          - text: "<script>window.pwned = 2</script>Pick me"
            goto: end
          - text: Or me
            goto: end
        ---
        <script>window.pwned = 3</script>
        """)
    write(tmp_path / "c" / "scenes" / "02-end.md", "---\nkind: end\ntitle: End\n---\n")
    [package] = build(tmp_path / "c", ["scorm12"], tmp_path / "dist")
    learner = Learner(page, web_root.base)
    learner.launch("scorm12", web_root.add_package(package.path, "xss"))
    expect(learner.scene_locator().locator('[data-choice="a"]')).to_have_text("<script>window.pwned = 2</script>Pick me")
    learner.choose("a")
    learner.expect_scene("end")
    assert learner.course_frame.evaluate("window.pwned") is None
