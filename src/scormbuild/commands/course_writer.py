"""Writing a new course folder whole, and only when it validates (`new`, `import-twine`), and the
YAML of its files, always through an emitter: a title with `: `, `#`, quotes or `yes` reads back
as written, which pasting text into a YAML template never guaranteed."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from scormbuild.content.yamlpos import CORE_SCHEMA
from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors


class _CourseDumper(yaml.SafeDumper):
    """PyYAML's safe emitter, made to quote any text that YAML 1.1 *or* YAML 1.2 reads as something
    else (`yes` for 1.1 readers, `1e3` and `0o17` for scormbuild's 1.2 loader), and to indent lists
    under their key as the user guide's examples do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


for _tag, _pattern, _first in CORE_SCHEMA:
    _CourseDumper.add_implicit_resolver(_tag, re.compile(rf"(?:{_pattern})\Z"), _first)


def yaml_text(data: dict[str, Any]) -> str:
    """``data`` as block YAML, keys in the order given, every text on one line (never folded:
    a folded line that began with `- ` would read as a list item indented too far)."""
    return yaml.dump(data, Dumper=_CourseDumper, sort_keys=False, allow_unicode=True, width=2**31 - 1,
                     default_flow_style=False)


def scene_text(front: dict[str, Any], body: str) -> str:
    """A scene file: ``front`` as its YAML front matter, then its Markdown ``body``."""
    return f"---\n{yaml_text(front)}---\n{body}"


def write_valid_course(target: Path, files: dict[str, str], kind: str, folders: tuple[str, ...] = ("scenes",),
                       refuse: Callable[[list[ContentError], Path], Exception] | None = None) -> list[Path]:
    """Write ``files`` (path in the course -> text) into a hidden folder beside ``target``, load it
    as `validate` does, and rename it to ``target`` only if it has no error. Otherwise the folder
    and any parent folders made for it are removed, and ``refuse(problems, folder the course was
    written to)`` is raised (ContentErrors by default): the caller
    never leaves a course that does not validate, nor a half-written one. ``target`` must not
    exist or be empty."""
    made = [folder for folder in [target.parent, *target.parent.parents] if not folder.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.{kind}-", dir=target.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(work, 0o777 & ~mask)  # mkdtemp makes it 0700; a new folder normally follows the umask
        for folder in folders:
            (work / folder).mkdir()
        for name, text in files.items():
            (work / name).write_text(text, "utf-8")
        try:
            load_course(work)
        except (ContentError, ContentErrors) as error:
            problems = error.errors if isinstance(error, ContentErrors) else [error]
            raise (refuse(problems, work) if refuse else ContentErrors(problems)) from None
        if target.exists():
            target.rmdir()  # empty, as the caller checked
        os.rename(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        for made_folder in made:  # deepest first
            try:
                made_folder.rmdir()
            except OSError:
                break
        raise
    return [target / name for name in files]
