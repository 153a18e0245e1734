"""scormbuild new: a small, working course with one scene of every kind."""

from __future__ import annotations

import re
from pathlib import Path

from scormbuild.errors import ContentError, Location

COURSE_YAML = """\
# Course settings. See the README for every key.
id: {course_id}
title: {title}
version: 1.0.0
language: en
pass_mark: 70
iri: urn:scormbuild:course:{course_id}
description: A short example course made by `scormbuild new`. Replace it with yours.
"""

SCENES = {
    "01-welcome.md": """\
---
kind: page
title: Welcome
---
This is an information page. Write it in **Markdown**.

Pages lead to the next file unless they say `next:`.
""",
    "02-first-decision.md": """\
---
kind: decision
title: Your first decision
choices:
  - id: check-first
    text: Check the policy before acting.
    correct: true
    score: 10
    goto: well-done
  - id: act-now
    text: Act straight away without checking.
    goto: think-again
---
Describe a situation, then ask: **what do you do?**
""",
    "03-think-again.md": """\
---
kind: reflection
title: Think it through
next: wrong-choice
points:
  - What could go wrong if you act without checking?
  - Who else should know?
---
Write what you would do differently, and why.
""",
    "04-wrong-choice.md": """\
---
kind: feedback
title: That was not the best choice
reflection: think-again
download: true
points:
  - Checking the policy first protects you and the people you support.
options:
  - text: Try the decision again
    goto: first-decision
  - text: Continue
    goto: quick-quiz
---
Here is what a good answer would have covered.
""",
    "05-well-done.md": """\
---
kind: feedback
title: Well done
next: quick-quiz
points:
  - You checked before acting.
---
That was the right decision.
""",
    "06-quick-quiz.md": """\
---
kind: quiz
title: Quick quiz
questions:
  - kind: true-false
    text: Policies only matter for new staff.
    answer: false
  - kind: single
    text: Who should you tell about a concern?
    options:
      - text: Your manager
        correct: true
      - text: Nobody
  - kind: multiple
    text: Which of these are good habits? Choose all that apply.
    options:
      - text: Asking when unsure
        correct: true
      - text: Writing things down
        correct: true
      - text: Guessing
---
Answer each question and check it.
""",
    "07-end.md": """\
---
kind: end
title: Well done
---
You have finished the example course.
""",
}


def new_course(target: Path, title: str | None = None) -> list[Path]:
    """Write the example course into ``target`` (which must not exist or be empty)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ContentError(Location(target), "the folder already exists and is not empty",
                           "choose a new folder name; scormbuild new never overwrites files")
    course_id = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-") or "my-course"
    written = []
    target.mkdir(parents=True, exist_ok=True)
    course_file = target / "course.yaml"
    course_file.write_text(COURSE_YAML.format(course_id=course_id[:64].strip("-"),
                                              title=title or course_id.replace("-", " ").capitalize()), "utf-8")
    written.append(course_file)
    (target / "scenes").mkdir()
    (target / "media").mkdir()
    for name, text in SCENES.items():
        path = target / "scenes" / name
        path.write_text(text, "utf-8")
        written.append(path)
    return written
