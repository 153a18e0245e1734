"""scormbuild new: a small, working course to start from (a starter from scormbuild.starters).

Every file is written by a YAML emitter (commands/course_writer.py), never by pasting text into
a template, so any title reads back exactly as it was given."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from scormbuild.commands.course_writer import scene_text, write_valid_course, yaml_text
from scormbuild.errors import ContentError, NewError, require_new_folder
from scormbuild.starters import DEFAULT_TEMPLATE, load_starter

COURSE_COMMENT = "# Course settings: the user guide (docs/reference, course.yaml and scene keys) lists every key.\n"


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


def course_yaml(course_id: str, title: str, settings: dict[str, Any], description: str) -> str:
    """course.yaml: the course's own id and title, then the starter's settings."""
    return COURSE_COMMENT + yaml_text({"id": course_id, "title": title, "version": "1.0.0", "language": "en",
                                       "iri": f"urn:scormbuild:course:{course_id}", "description": description,
                                       **settings})


def new_course(target: Path, title: str | None = None, template: str = DEFAULT_TEMPLATE) -> list[Path]:
    """Write the starter ``template`` into ``target`` (which must not exist or be empty).

    The files are written to a hidden folder beside ``target`` and loaded as `validate` loads a
    course; only then is the folder renamed to ``target``, so `new` never leaves a course that
    does not validate, nor a half-written one."""
    require_new_folder("new", target)
    starter = load_starter(template)
    course_id = (re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-") or "my-course")[:64].strip("-")
    chosen = check_title(title or "") or course_id.replace("-", " ").capitalize()
    files = {"course.yaml": course_yaml(course_id, chosen, starter.settings, starter.description),
             **{f"scenes/{scene.file}": scene_text(scene.front, scene.body) for scene in starter.scenes}}
    def refuse(problems: list[ContentError], _written: Path) -> Exception:
        return NewError(f"the course would not validate: {problems[0].message}; choose another --title")

    return write_valid_course(target, files, "new", ("scenes", "media"), refuse)
