"""The player against a hostile or broken LMS or LRS (security review L5): it starts, lets the
learner work, and never stops on a value it was handed.

A real LMS does not hand these values out, so the SCORM cases use a small hand-written API in
the page above the package (as the review did); the xAPI and cmi5 cases use the test LMS in front
of the real LRS, with the hostile value put where the LMS would put it.
"""

from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import expect
from support.learner import Learner
from support.lrs import BASIC_AUTH
from support.playthrough import COURSE, FIRST_REFLECTION
from test_cmi5 import Cmi5Lms
from test_player_xapi import tincan_launch

HOST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Hostile LMS</title></head><body>
<script>
/* A SCORM 2004 API that answers whatever the test says, stores what it is given, and refuses nothing. */
var answers = JSON.parse(decodeURIComponent(location.hash.slice(1)));
var stored = {};
window.lmsCalls = [];
window.API_1484_11 = {
  Initialize: function () { return "true"; }, Terminate: function () { return "true"; },
  Commit: function () { return "true"; }, GetLastError: function () { return "0"; },
  GetErrorString: function () { return ""; }, GetDiagnostic: function () { return ""; },
  GetValue: function (e) { window.lmsCalls.push(e); return e in stored ? stored[e] : (e in answers ? answers[e] : ""); },
  SetValue: function (e, v) { stored[e] = String(v); return "true"; }
};
window.lmsStored = stored;
</script>
<iframe id="course" title="Course" style="width:100%;height:90vh;border:0"></iframe>
<script>document.getElementById("course").src = answers.__src__;</script>
</body></html>"""


@pytest.fixture
def hostile(page, web_root, sample_dist):
    (web_root.folder / "hostile.html").write_text(HOST, "utf-8")
    path = web_root.add_package(sample_dist["scorm2004"], "hostile-2004")

    def open_with(answers: dict, local: dict | None = None) -> Learner:
        if local is not None:  # another package on the same origin wrote the player's backup key
            page.goto(f"{web_root.base}/lms.html")  # the same origin, as another package on the LMS
            page.evaluate("([k, v]) => localStorage.setItem(k, v)", list(local.items())[0])
        page.goto(f"{web_root.base}/hostile.html#" + json.dumps({"__src__": f"/{path}", **answers}))
        learner = Learner(page, web_root.base)
        expect(learner.scene_locator()).to_have_count(1, timeout=10000)
        return learner

    return open_with


def test_an_lms_that_claims_two_billion_comments_does_not_freeze_the_page(hostile, page):
    learner = hostile({"cmi.comments_from_learner._count": "2000000000", "cmi.entry": "resume"})
    learner.expect_scene("welcome")
    assert sum(1 for e in page.evaluate("lmsCalls") if e.startswith("cmi.comments_from_learner.")) <= 3000
    learner.continue_()
    learner.expect_scene("friend-request")


@pytest.mark.parametrize("location", ["constructor", "__proto__", "toString"])
def test_a_location_that_names_an_object_property_is_not_a_scene(hostile, location):
    learner = hostile({"cmi.entry": "resume", "cmi.location": location, "cmi.suspend_data": "S3~5~3~2~~~~~"})
    learner.continue_()
    learner.expect_scene("friend-request")


def test_a_backup_another_package_wrote_under_our_key_is_read_as_data(hostile, page):
    key = f"scormbuild:scorm2004:{COURSE.id}:{COURSE.version}:hostile-learner"
    junk = json.dumps({"location": "constructor", "suspendData": "S3~zz~3~2~~~~~", "reflections": 5, "sent": [1]})
    learner = hostile({"cmi.learner_id": "hostile-learner", "cmi.entry": "resume"}, local={key: junk})
    learner.continue_()
    learner.choose("accept")
    learner.reflect(FIRST_REFLECTION)  # the reflections it held were a number: submitting must still work
    assert "accept-reflect" in json.dumps(page.evaluate("lmsStored"))


def test_an_lrs_state_document_of_the_wrong_shape_does_not_stop_the_learner(page, web_root, sample_dist, facade, ralph):
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "name": "Pat", "mbox": f"mailto:pat-{registration[:8]}@example.org"}
    path = web_root.add_package(sample_dist["xapi"], "xapi-hostile-state")
    facade.put_state(COURSE.iri, actor, registration, "scormbuild.state",
                     {"location": "welcome", "suspendData": "", "reflections": 5, "completed": "yes", "sent": "all"})
    learner = Learner(page, web_root.base)
    learner.launch("xapi", tincan_launch(path, f"{web_root.base}/lrs/", actor, registration))
    learner.continue_()
    learner.choose("accept")
    learner.reflect(FIRST_REFLECTION)
    learner.continue_()
    learner.expect_scene("accept-feedback")
    assert BASIC_AUTH  # the launch carried the real credential: statements reach Ralph
    found = ralph.wait_for(lambda s: any(x["verb"]["id"].endswith("answered") for x in s), registration=registration)
    assert any(x["verb"]["id"].endswith("answered") for x in found)


def test_a_cmi5_template_of_the_wrong_shape_still_records(page, web_root, sample_dist, facade, ralph):
    lms = Cmi5Lms(facade, web_root, sample_dist)
    session, learner = lms.open(page, context_activities="oops")
    expect(learner.frame.locator("#save-status")).not_to_contain_text("no LMS found")
    learner.continue_()
    learner.choose("accept")
    found = ralph.wait_for(lambda s: any(x["verb"]["id"].endswith("answered") for x in s),
                           registration=lms.registration)
    assert any(x["verb"]["id"].endswith("answered") for x in found)


def test_a_package_with_a_language_tag_the_browser_refuses_still_starts(page, web_root, sample_dist):
    """Security review #11: `language: en-GB-GB` passed the old checks, and Intl's RangeError left a blank
    page. The build refuses such tags now; packages built before still start (numbers in English)."""
    path = web_root.add_package(sample_dist["scorm12"], "bad-language")
    index = web_root.folder / path
    html = index.read_text("utf-8")
    assert '"language":"en-GB"' in html
    index.write_text(html.replace('"language":"en-GB"', '"language":"en-GB-GB"'), "utf-8")
    page.goto(f"{web_root.base}/{path}")
    expect(page.locator("section.scene:not([hidden])")).to_have_attribute("data-scene", "welcome")
    page.locator('section:not([hidden]) [data-action="next"]').click()
    page.locator('section:not([hidden]) [data-choice="ignore-and-report"]').click()  # a score to format
    page.evaluate("ScormbuildPlayer.show('end')")
    expect(page.locator("section:not([hidden]) .result")).to_contain_text("100%")
