"""Deterministic, atomic zip writing with the standard library's zipfile.

The same files always give the same bytes: entries sorted by name, a fixed
date, fixed permissions. Every zip of a build is checked against the limits of
a zip without ZIP64 (which not every LMS importer reads) before the first is
written, and all appear in their final places together, once all are complete
(``scormbuild.fsutil.replace_all``). Files that deflate cannot shrink (images,
fonts, video) are stored as they are.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import BinaryIO

from scormbuild.errors import PackageError
from scormbuild.fsutil import FILE_MODE, replace_all

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold
MAX_ENTRIES = 0xFFFF  # beyond these a zip needs the ZIP64 extension, which LMS importers
MAX_ZIP_BYTES = 0xFFFFFFFF  # do not all read; scormbuild refuses rather than write one
_ENTRY_OVERHEAD = 30 + 46  # a local header and a central directory entry, besides the name (twice)
_END_RECORD = 22
COMPRESSIBILITY_SAMPLE = 4096  # a file is deflated if its first 4 KiB shrink (media that are compressed already do not)


def _compress_type(content: bytes) -> int:
    """Deflate a file if that makes it smaller, judged on its first 4 KiB (exactly, for smaller files)."""
    sample = content[:COMPRESSIBILITY_SAMPLE]
    deflate = zlib.compressobj(wbits=-15)  # raw deflate at the level zipfile uses
    if sample and len(deflate.compress(sample) + deflate.flush()) < len(sample):
        return zipfile.ZIP_DEFLATED
    return zipfile.ZIP_STORED


def _check_limits(path: Path, files: dict[str, bytes]) -> None:
    """Refuse a package a zip without ZIP64 cannot hold, before anything is written. The size is
    bounded by the files as they are: an entry is deflated when its start shrinks, and deflate adds
    at most a few bytes per 16 KiB to data it cannot shrink; for that last margin, zipfile (with
    allowZip64=False) refuses to finish a zip that would need ZIP64, and nothing is renamed."""
    if len(files) > MAX_ENTRIES:
        raise PackageError(path, [f"{len(files):,} files are more than a zip without ZIP64 can hold (65,535)"])
    size = _END_RECORD + sum(_ENTRY_OVERHEAD + 2 * len(name.encode("utf-8")) + len(content)
                             for name, content in files.items())
    if size > MAX_ZIP_BYTES:
        raise PackageError(path, ["the package is over 4 GiB, more than a zip without ZIP64 can hold"])


def _write_zip(path: Path, files: dict[str, bytes], compress_types: dict[bytes, int], stream: BinaryIO) -> None:
    try:
        _write_entries(files, compress_types, stream)
    except zipfile.LargeZipFile:  # the last margin of _check_limits: nothing is renamed into place
        raise PackageError(path, ["the package is over 4 GiB, more than a zip without ZIP64 can hold"]) from None


def _write_entries(files: dict[str, bytes], compress_types: dict[bytes, int], stream: BinaryIO) -> None:
    with zipfile.ZipFile(stream, "w", allowZip64=False) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.create_system = 3  # Unix, so that the file mode is honoured everywhere
            info.external_attr = (0o100000 | FILE_MODE) << 16
            info.compress_type = compress_types[files[name]]
            archive.writestr(info, files[name])


def write_zips(packages: Sequence[tuple[Path, dict[str, bytes]]]) -> None:
    """Write each (path, files) as a zip; a failure leaves every path as it was.

    Every package is checked against the zip limits before the first is written,
    and all are renamed into place only once all are written.
    """
    for path, files in packages:
        _check_limits(path, files)
    compress_types: dict[bytes, int] = {}  # a file in all four zips is judged once
    for _, files in packages:
        for content in files.values():
            if content not in compress_types:
                compress_types[content] = _compress_type(content)
    replace_all([(path, partial(_write_zip, path, files, compress_types)) for path, files in packages])
