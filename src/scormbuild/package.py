"""Deterministic, atomic zip writing; each distinct file is compressed once.

The same files always give the same bytes (sorted entries, a fixed timestamp,
fixed permissions), and a zip appears in its final place only once it is
complete: it is written to a temporary file beside it and renamed.

A build of every format puts the same player (index.html, assets, media) into
four zips. Python's zipfile would compress each copy again and cannot write
data compressed beforehand, so the zip records (PKWARE APPNOTE: local headers,
central directory, end record) are written here with ``struct``, and a file's
compressed bytes are shared by every zip that holds it. Files that deflate
cannot shrink (images, fonts) are stored as they are.
"""

from __future__ import annotations

import glob
import os
import struct
import tempfile
import time
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from scormbuild.errors import PackageError

FILE_MODE = 0o644
_DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1  # the earliest date a zip can hold; time 00:00:00
_UNIX = 3  # "version made by" host, so the file mode is honoured everywhere
_UTF8_NAMES = 0x0800
_MAX_ENTRIES = 0xFFFF  # beyond these a zip needs the ZIP64 extension, which LMS importers
_MAX_OFFSET = 0xFFFFFFFF  # do not all read; scormbuild refuses rather than write one

_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_RECORD = struct.Struct("<IHHHHIIH")


CHUNK = 256 * 1024  # big files are deflated in pieces this size, in parallel (as pigz does)
_WINDOW = 32 * 1024  # deflate's history: each piece is primed with the 32 KiB before it


def _piece_starts(content: bytes) -> range:
    return range(0, len(content), CHUNK)


def _deflate_piece(content: bytes, start: int) -> bytes:
    """Raw deflate of content[start:start + CHUNK]. A piece that is not the last ends
    with a sync flush (byte-aligned, not final), so the pieces joined are one stream."""
    view = memoryview(content)
    history = view[max(0, start - _WINDOW):start]
    deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15, **({"zdict": history} if start else {}))
    last = start + CHUNK >= len(content)
    return deflate.compress(view[start:start + CHUNK]) + deflate.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


@dataclass(frozen=True)
class Compressed:
    """One file's content as it is stored in a zip."""

    method: int  # zipfile.ZIP_DEFLATED or zipfile.ZIP_STORED
    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, content: bytes, deflated: bytes) -> "Compressed":
        """The content ``deflated`` if that made it smaller, else stored as it is."""
        if content and len(deflated) < len(content):
            return cls(zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content), deflated)
        return cls(zipfile.ZIP_STORED, zlib.crc32(content), len(content), content)


class Compressor:
    """Compresses each distinct content once. Pieces compress in background threads
    (zlib releases the GIL) while the build's Python work goes on, one core left to
    it; when the results are wanted, the calling thread compresses the pieces no
    thread has started yet, so that every core works on what is left."""

    def __init__(self, workers: int | None = None) -> None:
        workers = workers or max(1, (os.cpu_count() or 1) - 1)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scormbuild-zlib")
        self._started: dict[bytes, list[Future[bytes]]] = {}

    def start(self, contents: Iterable[bytes]) -> None:
        for content in sorted(set(contents) - self._started.keys(), key=len, reverse=True):  # biggest first
            self._started[content] = [self._pool.submit(_deflate_piece, content, start)
                                      for start in _piece_starts(content)]

    def result(self, contents: Iterable[bytes]) -> dict[bytes, Compressed]:
        contents = list(dict.fromkeys(contents))  # a file in four zips: one checksum, one join
        self.start(contents)
        done: dict[Future[bytes], bytes] = {}
        for content in reversed(list(self._started)):  # the threads take them from the front
            for start, piece in zip(_piece_starts(content), self._started[content]):
                if piece.cancel():  # not started: compress it here
                    done[piece] = _deflate_piece(content, start)
        return {content: Compressed.of(content, b"".join(done[piece] if piece in done else piece.result()
                                                          for piece in self._started[content]))
                for content in contents}

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> "Compressor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _records(files: dict[str, bytes], compressed: dict[bytes, Compressed], path: Path) -> list[bytes]:
    """The zip's bytes, as a list of records to write one after the other."""
    if len(files) > _MAX_ENTRIES:
        raise PackageError(path, [f"{len(files):,} files are more than a zip without ZIP64 can hold (65,535)"])
    records: list[bytes] = []
    central: list[bytes] = []
    offset = largest = 0
    for name in sorted(files):
        entry = compressed[files[name]]
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else _UTF8_NAMES
        needs = 20 if entry.method == zipfile.ZIP_DEFLATED else 10
        header = _LOCAL_HEADER.pack(0x04034B50, needs, flags, entry.method, 0, _DOS_DATE_1980_01_01,
                                    entry.crc, len(entry.data), entry.size, len(encoded), 0)
        central.append(_CENTRAL_HEADER.pack(0x02014B50, (_UNIX << 8) | 20, needs, flags, entry.method, 0,
                                            _DOS_DATE_1980_01_01, entry.crc, len(entry.data), entry.size,
                                            len(encoded), 0, 0, 0, 0, (0o100000 | FILE_MODE) << 16, offset) + encoded)
        records += [header, encoded, entry.data]
        offset += len(header) + len(encoded) + len(entry.data)
        largest = max(largest, entry.size)
    directory = b"".join(central)
    if max(offset + len(directory), largest) > _MAX_OFFSET:
        raise PackageError(path, ["the package is over 4 GiB, more than a zip without ZIP64 can hold"])
    records += [directory, _END_RECORD.pack(0x06054B50, 0, 0, len(files), len(files), len(directory), offset, 0)]
    return records


STALE_PART_SECONDS = 3600  # a .part file this old belongs to no running build: a killed one left it


def _temporary_beside(path: Path, records: list[bytes]) -> Path:
    """The records in a new hidden file beside ``path`` (renamed into place later)."""
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
            stream.writelines(records)
        os.chmod(temporary, FILE_MODE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _replace_all(files: Sequence[tuple[Path, list[bytes]]]) -> None:
    """Write every file beside its path, then rename them all: a failure or a kill while writing
    leaves every path as it was, and the renames come together at the end."""
    written: list[tuple[Path, Path]] = []
    try:
        for path, records in files:
            written.append((_temporary_beside(path, records), path))
        for temporary, path in written:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, records: list[bytes]) -> None:
    """Write the records to a temporary file beside ``path``, then rename it into place."""
    _replace_all([(path, records)])


def write_zips(packages: Sequence[tuple[Path, dict[str, bytes]]], compressor: Compressor | None = None) -> None:
    """Write each (path, files) as a zip; a content in several zips is compressed once.

    Every zip is laid out (and checked against the zip limits) before the first
    one is written, and all are renamed into place only once all are written, so a
    package that cannot be written leaves all paths as they were. Give a
    ``compressor`` that has already been started on some of the files to use its work.
    """
    if compressor is None:
        with Compressor() as own:
            return write_zips(packages, own)
    compressed = compressor.result(content for _, files in packages for content in files.values())
    _replace_all([(path, _records(files, compressed, path)) for path, files in packages])


def zip_bytes_to(path: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (package path -> content) as a zip at ``path``, atomically."""
    write_zips([(path, files)])
