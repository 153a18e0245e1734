"""scormbuild new: a small, working course with one scene of every kind."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from scormbuild.commands.course_writer import write_valid_course
from scormbuild.errors import ContentError, NewError, require_new_folder

COURSE_YAML = """\
# Course settings. See the README for every key.
id: {course_id}
{title_line}version: 1.0.0
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


def check_title(title: str) -> str:
    """The title as course.yaml will hold it: without surrounding whitespace (as `validate` reads
    every text), on one line, with no control characters. Anything else is refused, so
    that the title the course shows is exactly the one given."""
    title = title.strip()
    for position, char in enumerate(title, start=1):
        category = unicodedata.category(char)
        if category in ("Zl", "Zp") or (category in ("Cc", "Cs") and char != "\t") or char in "\ufffe\uffff":
            what = "a line break" if char in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else "a control character"
            raise NewError(f"--title contains {what} (U+{ord(char):04X}, character {position}): "
                           "give a title on one line, of text only")
    return title


def title_line(title: str) -> str:
    """`title: ...` as YAML writes it: quoted and escaped whenever the text needs it (`:`, `#`,
    quotes, a leading `-` or `[`, `yes`, `1.0` ...), so any title reads back as the same text."""
    return yaml.safe_dump({"title": title}, allow_unicode=True, width=float("inf"))


def new_course(target: Path, title: str | None = None) -> list[Path]:
    """Write the example course into ``target`` (which must not exist or be empty).

    The files are written to a hidden folder beside ``target`` and loaded as `validate` loads a
    course; only then is the folder renamed to ``target``, so `new` never leaves a course that
    does not validate, nor a half-written one."""
    require_new_folder("new", target)
    course_id = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-") or "my-course"
    chosen = check_title(title or "") or course_id.replace("-", " ").capitalize()
    files = {"course.yaml": COURSE_YAML.format(course_id=course_id[:64].strip("-"), title_line=title_line(chosen)),
             **{f"scenes/{name}": text for name, text in SCENES.items()}}
    def refuse(problems: list[ContentError], _written: Path) -> Exception:
        return NewError(f"the course would not validate: {problems[0].message}; choose another --title")

    return write_valid_course(target, files, "new", ("scenes", "media"), refuse)

