"""Atomic file writes: a file appears in its final place only once it is complete.

Each file is written to a hidden temporary ``.NAME.*.part`` beside its target and
renamed into place; several files are all written before the first is renamed, so
a failure (or a kill) while writing leaves every target as it was.
"""

from __future__ import annotations

import glob
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o644
STALE_PART_SECONDS = 3600  # a .part file this old belongs to no running build: a killed one left it

Writer = Callable[[BinaryIO], None]


def _temporary_beside(path: Path, write: Writer) -> Path:
    """A new hidden file beside ``path``, filled by ``write`` (renamed into place later)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        try:
            if time.time() - stale.lstat().st_mtime > STALE_PART_SECONDS and stale.is_file():
                stale.unlink()
        except OSError:
            pass
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(temporary, FILE_MODE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def replace_all(files: Sequence[tuple[Path, Writer]]) -> None:
    """Write every file beside its path, then rename them all: a failure or a kill while writing
    leaves every path as it was, and the renames come together at the end."""
    # Side by side: compressing (zlib) lets other threads run, so on two cores a build of all four
    # formats writes its zips in about half the time (bench/run.py, 1,000 scenes).
    pool = ThreadPoolExecutor(max_workers=min(len(files), os.cpu_count() or 1) or 1)
    futures = []
    try:
        futures = [(pool.submit(_temporary_beside, path, write), path) for path, write in files]
        written = [(future.result(), path) for future, path in futures]
        for temporary, path in written:
            os.replace(temporary, path)
    except BaseException:  # an error, or Ctrl-C while waiting: let the writers end, then clear up
        pool.shutdown(wait=True, cancel_futures=True)
        for future, _ in futures:  # every temporary that was written, whichever failed
            if not future.cancelled() and future.exception() is None:
                future.result().unlink(missing_ok=True)
        raise
    finally:
        pool.shutdown(wait=True)


def write_atomically(path: Path, records: Iterable[bytes]) -> None:
    """Write the records to a temporary file beside ``path``, then rename it into place."""
    replace_all([(path, lambda stream: stream.writelines(records))])
