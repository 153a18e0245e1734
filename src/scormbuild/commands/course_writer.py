"""Writing a new course folder whole, and only when it validates (`new`, `import-twine`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from scormbuild.course import load_course
from scormbuild.errors import ContentError, ContentErrors


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
