"""Hand-made zips for the hostile-package tests: every header field can be set to what an attacker
(or a broken tool) would write, which Python's zipfile writer does not allow. No ZIP64."""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")
DOS_1980 = (0 << 9) | (1 << 5) | 1


def deflate(content: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush()


@dataclass(frozen=True)
class Entry:
    """One zip entry as it is written: ``data`` is the stored (compressed) bytes."""

    name: str
    data: bytes
    size: int  # uncompressed, as the headers say
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    mode: int = 0o100644  # Unix file type and permissions
    local_name: str | None = None  # a different name in the local header
    local_method: int | None = None  # a different method in the local header
    local_flags: int | None = None
    stored_size: int | None = None  # the compressed size the headers give, if not len(data)

    @classmethod
    def of(cls, name: str, content: bytes, method: int = zipfile.ZIP_DEFLATED, **fields: object) -> Entry:
        data = deflate(content) if method == zipfile.ZIP_DEFLATED else content
        return cls(name, data, len(content), zlib.crc32(content), method, **fields)  # type: ignore[arg-type]

    def but(self, **fields: object) -> Entry:
        return replace(self, **fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Layout:
    """Where each record of a zip made by zip_layout starts."""

    local: list[int]  # local header of each entry
    data: list[tuple[int, int]]  # (start, end) of each entry's stored data
    central: list[int]  # central directory header of each entry
    end: int  # end of central directory record


def zip_bytes(entries: list[Entry]) -> bytes:
    return zip_layout(entries)[0]


def zip_layout(entries: list[Entry]) -> tuple[bytes, Layout]:
    out = bytearray()
    central = bytearray()
    layout = Layout([], [], [], 0)
    for entry in entries:
        name = entry.name.encode("utf-8", "surrogateescape")
        local_name = (entry.local_name if entry.local_name is not None else entry.name).encode("utf-8", "surrogateescape")
        utf8 = 0 if name.isascii() else 0x0800
        flags = entry.flags | utf8
        local_flags = (entry.local_flags if entry.local_flags is not None else entry.flags) | utf8
        method = entry.local_method if entry.local_method is not None else entry.method
        offset = len(out)
        layout.local.append(offset)
        layout.central.append(len(central))
        start = offset + LOCAL.size + len(local_name)
        layout.data.append((start, start + len(entry.data)))
        stored = len(entry.data) if entry.stored_size is None else entry.stored_size
        out += LOCAL.pack(0x04034B50, 20, local_flags, method, 0, DOS_1980, entry.crc, stored, entry.size,
                          len(local_name), 0) + local_name + entry.data
        central += CENTRAL.pack(0x02014B50, (3 << 8) | 20, 20, flags, entry.method, 0, DOS_1980, entry.crc,
                                stored, entry.size, len(name), 0, 0, 0, 0, entry.mode << 16, offset) + name
    count = min(len(entries), 0xFFFF)  # the end record has 16 bits for it (zipfile reads them all anyway)
    layout.central[:] = [len(out) + at for at in layout.central]
    layout = replace(layout, end=len(out) + len(central))
    return bytes(out + central + END.pack(0x06054B50, 0, 0, count, count, len(central), len(out), 0)), layout


def write_zip(path: Path, entries: list[Entry]) -> Path:
    path.write_bytes(zip_bytes(entries))
    return path


def entries_of(zip_path: Path) -> list[Entry]:
    """The entries of a (well-formed) zip, recompressed the same way, for editing."""
    with zipfile.ZipFile(zip_path) as archive:
        return [Entry.of(info.filename, archive.read(info), info.compress_type) for info in archive.infolist()]


def zeros_bomb(name: str, gib: int) -> Entry:
    """An entry of ``gib`` GiB of zeros in about 1 MiB of deflate data per GiB, made in a second:
    after a full flush, each MiB of zeros compresses to the same bytes, so they are repeated."""
    chunk = bytes(2**20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)  # history cleared: repeatable
    data = piece * (gib * 1024) + compressor.flush()
    crc = 0
    for _ in range(gib * 1024):
        crc = zlib.crc32(chunk, crc)
    return Entry(name, data, gib * 2**30, crc)
