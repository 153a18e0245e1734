"""Every kind of learner, in both SCORM runtimes and both versions: the LMS refuses no call
and stores what the learner did (tests/learner_kinds.py plays them; bench/lms_matrix.py prints
the same measures as a table).

* whole: reflections of several paragraphs with blank lines, quotes, emoji, right-to-left text
  and 3,000 characters; choice ids with hyphens;
* other-device: leaves mid-course, resumes where no local storage is;
* killed-tab: the tab's process is killed mid-course (no unload event), the learner comes back;
* review: comes back after finishing: sees the answers, nothing changes;
* browse: Moodle's Preview: nothing recorded (SCORM 1.2: "browsed");
* new-attempt: a new attempt (ab-initio) on the same device starts afresh;
* course-updated: a scene and a choice removed, scenes reordered between two sessions;
* stress: two right choices, texts starting with "{", points over 100, hyphenated option ids.
"""

from __future__ import annotations

import pytest
from support.learner_kinds import KINDS, Packages, play
from support.lms_runtimes import RUNTIMES, VERSIONS


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    return Packages(tmp_path_factory.mktemp("learner-kinds"))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("runtime", RUNTIMES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_lms_keeps_every_kind_of_learners_work(kind, runtime, version, browser, web_root, packages):
    outcome = play(kind, runtime, version, browser, web_root, packages)
    assert outcome.refused == []
    assert outcome.js_errors == []
    assert outcome.mismatches == []
    assert [note for note in outcome.notes if not note.startswith("second entry")] == []
    given, stored = outcome.interactions[1], outcome.interactions[0]
    assert stored == given
    assert outcome.reflections[0] == outcome.reflections[1]
    if kind in ("review", "browse", "new-attempt"):
        assert outcome.unchanged is True
