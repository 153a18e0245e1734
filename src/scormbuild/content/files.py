"""Reading the author's files safely: only regular files inside the course folder, at most
a set number of bytes (counted on what is read), as UTF-8 text without NUL bytes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from scormbuild.errors import ContentError, Location

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # one course.yaml or scene file, counted on what is read
MAX_MEDIA_BYTES = 2**30  # one image, video or download: a package is at most 4 GiB
READ_CHUNK = 2**20


def read_source(path: Path, root: Path | None = None) -> str:
    """Read a UTF-8 text file, turning every way it can fail into a ContentError."""
    return decode_source(path, read_source_bytes(path, root))


def inside(path: Path, root: Path) -> Path:
    """``path`` with its links resolved, which must stay inside the folder ``root``."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, or a loop of links
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a loop of links"
        raise ContentError(Location(path), f"cannot read file: {reason}") from None
    top = root.resolve()
    if real != top and top not in real.parents:
        raise ContentError(Location(path), "this is a link to a file outside the course folder",
                           "put the file itself in the course folder")
    return real


def read_source_bytes(path: Path, root: Path | None = None, folder: Path | None = None) -> bytes:
    """A source file's bytes (inside ``root``, links resolved), at most MAX_SOURCE_BYTES.

    ``folder``: the real path of ``path``'s folder, checked already. A file there that is not a
    link is then opened without resolving its path again (refusing a link swapped in meanwhile):
    resolving every scene file was a fifth of a big course's load time."""
    hint = "split it into several scenes; put big media in separate files"
    if folder is not None and not path.is_symlink():
        return read_regular_file(folder / path.name, MAX_SOURCE_BYTES, hint, shown=path, follow=False)
    real = inside(path, root) if root is not None else path
    return read_regular_file(real, MAX_SOURCE_BYTES, hint, shown=path)


def read_regular_file(path: Path, limit: int, hint: str, shown: Path | None = None, follow: bool = True) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them read (the size the file system
    reports is not trusted). A device, a pipe or /dev/zero behind a link is refused, never read."""
    where = Location(shown or path)
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
        fd = os.open(path, flags)  # non-blocking: a pipe must not block the open
        with os.fdopen(fd, "rb", buffering=0) as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ContentError(where, "not a regular file (a folder, device, pipe or socket)",
                                   "course files must be ordinary files")
            chunks: list[bytes] = []
            total = 0
            while total <= limit and info.st_size <= limit:  # in pieces: read(n) would reserve n bytes at once
                chunk = stream.read(min(READ_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise ContentError(where, f"cannot read file: {exc.strerror or 'input/output error'}") from None
    if len(data) > limit or info.st_size > limit:
        size = f"{limit // 2**30} GiB" if limit >= 2**30 else f"{limit // 2**20} MB"
        raise ContentError(where, f"file is larger than {size}", hint)
    return data


def decode_source(path: Path, data: bytes) -> str:
    """A source file's bytes as text: UTF-8 (a BOM is dropped) and no NUL bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(Location(path, line), "file is not UTF-8 text",
                           "save the file as UTF-8 in your editor") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ContentError(Location(path, line), "file contains a NUL byte: it looks like a binary file, not text")
    return text


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, line number of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(Location(path, 1), "a scene file must start with a `---` line",
                           "begin with ---, then `kind:` and `title:` lines, then --- and the text")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise ContentError(Location(path, 1), "the front matter that starts on line 1 is never closed",
                       "add a line with just `---` after the scene's settings")
