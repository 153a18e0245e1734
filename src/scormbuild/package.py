"""Deterministic, atomic zip writing.

The same files always give the same bytes (sorted entries, a fixed timestamp,
fixed permissions), and a zip appears in its final place only once it is
complete: it is written to a temporary file beside it and renamed.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold
FILE_MODE = 0o644


def zip_bytes_to(path: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (package path -> content) as a zip at ``path``, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o100000 | FILE_MODE) << 16
                info.create_system = 3  # Unix, so the mode above is honoured everywhere
                archive.writestr(info, files[name])
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
