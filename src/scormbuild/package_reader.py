"""Reading zips that come from elsewhere: `validate-package`, the gate before an LMS upload.

A zip is untrusted input. Everything is decided from the central directory before any byte is
decompressed; then each entry's local header must agree with the directory, entries must not
overlap, and only the manifests are read into memory. The other entries are decompressed in
chunks and thrown away, to check that their data is whole (deflate stream complete, size and
CRC-32 as the directory says), so that a damaged package is caught here rather than in the LMS.
The limits are module constants; a message names the one hit.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote_to_bytes

from scormbuild.errors import PackageError

MAX_ENTRIES = 65_535  # what a zip without ZIP64 holds, and what write_zips itself can write
MAX_CENTRAL_DIRECTORY_BYTES = 16 * 2**20  # 65,535 entries with 256 bytes of name and extras each
MAX_TOTAL_UNCOMPRESSED_BYTES = 4 * 2**30  # the biggest package write_zips can write
MAX_COMPRESSION_RATIO = 200  # deflate tops out near 1,032:1; course files stay far below 100:1
RATIO_CHECKED_ABOVE_BYTES = 2**20  # smaller entries cannot add up to much (the total is capped)
MAX_MANIFEST_BYTES = 8 * 2**20  # a SCORM manifest listing 65,535 files is about 4 MiB
MAX_PROBLEMS_SHOWN = 50  # after that, "... and N more"

MANIFEST_NAMES = ("imsmanifest.xml", "tincan.xml", "cmi5.xml")  # read into memory; nothing else is
SUPPORTED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}  # what LMSs read
METHOD_NAMES = {1: "shrink", 6: "implode", 9: "deflate64", 12: "bzip2", 14: "LZMA", 19: "LZ77",
                93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES encryption"}
_READ_CHUNK = 2**20

_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")  # PKWARE APPNOTE 4.3.7, up to the name
_END_RECORD = struct.Struct("<IHHHHIIH")  # 4.3.16, up to the comment
_UTF8_NAMES = 0x0800
_ENCRYPTED = 0x0001
_PATCHED_DATA = 0x0020
_STRONG_ENCRYPTION = 0x0040
_END_RECORD_64 = struct.Struct("<IQHHIIQQQQ")
_END_LOCATOR_64 = struct.Struct("<IIQI")
_CENTRAL_FIXED = 46  # a central directory entry's bytes before the name, extra field and comment (4.3.12)


def shown(text: str, limit: int = 120) -> str:
    """Text from a package, fit for a message: control and format characters (terminal escapes,
    bidi overrides) escaped, and at most ``limit`` characters."""
    escaped = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[:limit + 1])
    return escaped if len(escaped) <= limit and len(text) <= limit else escaped[:limit] + "\u2026"


def size_text(count: int) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= size:
            return f"{count / size:,.1f} {unit}".replace(".0 ", " ")
    return f"{count:,} bytes"


def unsafe_path_reason(path: str) -> str | None:
    """Why ``path`` (a zip entry name, or a path a manifest lists) is not a plain relative path
    inside the package, or None. A name ending in / is a folder."""
    if not path:
        return "is empty"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in path):
        return "contains a control character"
    if "\\" in path:
        return "contains a backslash (some unpackers take it for a folder separator)"
    if path.startswith("/"):
        return "is an absolute path"
    if ":" in path:
        return "contains a colon (Windows reads C: as a drive and name:x as a hidden stream)"
    segments = path[:-1].split("/") if path.endswith("/") else path.split("/")
    if ".." in segments:
        return "has a '..' segment (it would be unpacked outside the package folder)"
    if "" in segments or "." in segments:
        return "has an empty or '.' segment"
    return None


def listed_path_problem(href: str) -> str | None:
    """Why a reference in a manifest (a URI reference: percent-encoded, maybe with a query) does
    not name a plain relative path inside the package, or None. URLs with a scheme are not paths."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", href):  # http:, https:, ... (one letter is a drive)
        return None
    if href.startswith("//"):
        return "is a network path (//host/...)"
    path = re.split(r"[?#]", href, maxsplit=1)[0]
    try:
        path = unquote_to_bytes(path).decode("utf-8")  # %2e%2e is ..
    except UnicodeDecodeError:
        return "is not UTF-8 once its %-escapes are decoded"
    return unsafe_path_reason(path)


def _fold(name: str) -> str:
    """The form in which two names are one file on a case-insensitive file system."""
    return unicodedata.normalize("NFC", name).casefold()


class EntryNotRead(LookupError):
    """An entry of a checked package whose content was verified but not kept in memory."""


class PackageFiles(Mapping[str, bytes]):
    """The file entries of a checked zip, by name (folders left out). Every name is there, but
    only the entries that were asked for (the manifests) have their content in memory."""

    def __init__(self, names: Iterable[str], contents: dict[str, bytes]) -> None:
        self._names = dict.fromkeys(names)
        self._contents = contents

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __getitem__(self, name: str) -> bytes:
        if name in self._contents:
            return self._contents[name]
        if name in self._names:
            raise EntryNotRead(f"{name} was checked but not read into memory")
        raise KeyError(name)

    @property
    def read(self) -> frozenset[str]:
        """The names whose content is in memory."""
        return frozenset(self._contents)


class _Refused(Exception):
    """Problems that end the reading of a package (turned into a PackageError)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


class _Damaged(Exception):
    """An entry whose data is not what the central directory says."""


def at_most_shown(problems: list[str]) -> list[str]:
    """The first MAX_PROBLEMS_SHOWN problems, and how many more there are."""
    if len(problems) <= MAX_PROBLEMS_SHOWN:
        return problems
    return problems[:MAX_PROBLEMS_SHOWN] + [f"... and {len(problems) - MAX_PROBLEMS_SHOWN:,} more problem(s)"]


def _end_record(stream: BinaryIO) -> tuple[int, int, int] | None:
    """(entries, central directory size, central directory start) as the end records give them,
    found the way zipfile finds them; None when there is no end record (zipfile then says so)."""
    stream.seek(0, os.SEEK_END)
    file_size = stream.tell()
    search_from = max(file_size - _END_RECORD.size - 0xFFFF, 0)
    stream.seek(search_from)
    tail = stream.read()
    at = len(tail) - _END_RECORD.size
    if not (at >= 0 and tail[at:at + 4] == b"PK\x05\x06" and tail[-2:] == b"\0\0"):
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < _END_RECORD.size:
            return None
    _, _, _, _, entries, directory_size, _, _ = _END_RECORD.unpack_from(tail, at)
    location = search_from + at
    start = location - directory_size
    locator_at = at - _END_LOCATOR_64.size
    if locator_at >= 0 and tail[locator_at:locator_at + 4] == b"PK\x06\x07":
        record_at = search_from + locator_at - _END_RECORD_64.size
        if record_at >= 0:
            stream.seek(record_at)
            record = stream.read(_END_RECORD_64.size)
            if len(record) == _END_RECORD_64.size and record[:4] == b"PK\x06\x06":
                fields = _END_RECORD_64.unpack(record)
                entries, directory_size = fields[7], fields[8]
                start = location - directory_size - _END_RECORD_64.size - _END_LOCATOR_64.size
    return entries, directory_size, start


def _check_central_directory(stream: BinaryIO) -> None:
    """Refuse, before zipfile parses it, a central directory that is too big or has too many entries."""
    found = _end_record(stream)
    if found is None:
        return  # not a zip: zipfile says so
    entries, directory_size, start = found
    if directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise _Refused([f"its central directory is {size_text(directory_size)}; the limit is "
                        f"{size_text(MAX_CENTRAL_DIRECTORY_BYTES)} (MAX_CENTRAL_DIRECTORY_BYTES)"])
    if entries > MAX_ENTRIES:
        raise _Refused([f"it declares {entries:,} entries; the limit is {MAX_ENTRIES:,} (MAX_ENTRIES)"])
    if start < 0:
        return
    stream.seek(start)
    directory = stream.read(directory_size)
    count = at = 0
    while at + _CENTRAL_FIXED <= len(directory) and directory[at:at + 4] == b"PK\x01\x02":
        count += 1
        if count > MAX_ENTRIES:
            raise _Refused([f"it has more than {MAX_ENTRIES:,} entries, the limit (MAX_ENTRIES)"])
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", directory, at + 28)
        at += _CENTRAL_FIXED + name_length + extra_length + comment_length


def _name_problems(infos: list[zipfile.ZipInfo]) -> list[str]:
    problems: list[str] = []
    first_by_fold: dict[str, str] = {}
    repeats: dict[str, int] = {}
    for info in infos:
        name = info.orig_filename  # before zipfile cuts it at a NUL
        reason = unsafe_path_reason(name)
        if reason:
            problems.append(f"entry name {shown(name)} {reason}")
            continue
        key = _fold(name.rstrip("/"))
        first = first_by_fold.setdefault(key, name)
        if first == name:
            repeats[name] = repeats.get(name, 0) + 1
        elif first.rstrip("/") == name.rstrip("/"):
            problems.append(f"entry {shown(name.rstrip('/'))} is both a file and a folder")
        else:
            problems.append(f"entries {shown(first)} and {shown(name)} differ only in case (or Unicode "
                            f"normalisation): on many systems they are one file")
    problems += [f"entry {shown(name)} appears {count} times: an LMS may read either copy"
                 for name, count in repeats.items() if count > 1]
    files = {_fold(info.orig_filename): info.orig_filename for info in infos if not info.orig_filename.endswith("/")}
    for info in infos:
        parts = info.orig_filename.rstrip("/").split("/")
        for depth in range(1, len(parts)):
            parent = files.get(_fold("/".join(parts[:depth])))
            if parent is not None:
                problems.append(f"entry {shown(info.orig_filename)} is inside {shown(parent)}, which is a file")
                break
    return problems


def _kind_problems(info: zipfile.ZipInfo) -> list[str]:
    name = shown(info.orig_filename)
    problems = []
    if info.flag_bits & (_ENCRYPTED | _STRONG_ENCRYPTION) or info.compress_type == 99:
        aes = " (AES: compression method 99 not supported)" if info.compress_type == 99 else ""
        problems.append(f"{name} is encrypted{aes}: LMSs cannot unpack encrypted packages; zip it without a password")
    elif info.compress_type not in SUPPORTED_METHODS:
        known = f" ({METHOD_NAMES[info.compress_type]})" if info.compress_type in METHOD_NAMES else ""
        problems.append(f"{name}: compression method {info.compress_type}{known} not supported; LMSs read "
                        f"stored (0) and deflate (8) only")
    elif info.flag_bits & _PATCHED_DATA:
        problems.append(f"{name}: compressed patched data (flag bit 5) not supported")
    if info.create_system == 3:  # Unix: the file type is in the high bits
        kind = (info.external_attr >> 16) & 0o170000
        if kind == 0o120000:
            problems.append(f"{name} is a symbolic link: an LMS that unpacks it could serve any file of its server")
        elif kind not in (0, 0o100000, 0o040000):
            problems.append(f"{name} is not a regular file (Unix file type {kind >> 12:o})")
    return problems


def _size_problems(infos: list[zipfile.ZipInfo]) -> list[str]:
    problems = []
    for info in infos:
        name = shown(info.orig_filename)
        if info.file_size > RATIO_CHECKED_ABOVE_BYTES and info.file_size > MAX_COMPRESSION_RATIO * info.compress_size:
            ratio = info.file_size / max(info.compress_size, 1)
            problems.append(f"{name} would expand {ratio:,.0f} times ({size_text(info.compress_size)} to "
                            f"{size_text(info.file_size)}); the limit is {MAX_COMPRESSION_RATIO} times for entries "
                            f"over {size_text(RATIO_CHECKED_ABOVE_BYTES)} (MAX_COMPRESSION_RATIO): a zip bomb?")
        if info.orig_filename in MANIFEST_NAMES and info.file_size > MAX_MANIFEST_BYTES:
            problems.append(f"{name} is {size_text(info.file_size)}; the limit for a manifest is "
                            f"{size_text(MAX_MANIFEST_BYTES)} (MAX_MANIFEST_BYTES)")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED_BYTES:
        problems.append(f"its entries would expand to {size_text(total)}; the limit is "
                        f"{size_text(MAX_TOTAL_UNCOMPRESSED_BYTES)} (MAX_TOTAL_UNCOMPRESSED_BYTES)")
    return problems


def _data_start(stream: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Where the entry's data begins, once its local header is found to agree with the directory."""
    if info.header_offset < 0:  # the end record's offsets do not add up
        raise _Damaged("there is no local header where the central directory points")
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _Damaged("there is no local header where the central directory points")
    flags: int
    method: int
    name_length: int
    extra_length: int
    _, _, flags, method, _, _, _, _, _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    raw_name = stream.read(name_length)
    try:
        name = raw_name.decode("utf-8" if flags & _UTF8_NAMES else "cp437")
    except UnicodeDecodeError:
        name = None
    if name != info.orig_filename:
        raise _Damaged(f"its local header gives another name ({shown(raw_name.decode('utf-8', 'replace'), 60)})")
    if method != info.compress_type:
        raise _Damaged(f"its local header says compression method {method}, the central directory "
                       f"{info.compress_type} (unpackers differ in which one they follow)")
    if (flags ^ info.flag_bits) & (_ENCRYPTED | _STRONG_ENCRYPTION):
        raise _Damaged("its local header and the central directory disagree on whether it is encrypted")
    return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _entry_chunks(stream: BinaryIO, info: zipfile.ZipInfo, start: int) -> Iterator[bytes]:
    """The entry's content, in chunks of at most _READ_CHUNK bytes, checked as it goes: never more
    than its declared size, a deflate stream that ends where the data ends, its size and CRC-32."""
    stream.seek(start)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced, crc = info.compress_size, 0, 0

    def checked(piece: bytes) -> bytes:
        nonlocal produced, crc
        produced += len(piece)
        if produced > info.file_size:
            raise _Damaged(f"it expands beyond the {info.file_size:,} bytes the central directory gives")
        crc = zlib.crc32(piece, crc)
        return piece

    try:
        while left > 0:
            raw = stream.read(min(left, _READ_CHUNK))
            if not raw:
                raise _Damaged("its data is cut short (the file ends)")
            left -= len(raw)
            if inflater is None:
                yield checked(raw)
                continue
            if inflater.eof:
                raise _Damaged("there is data after the end of its deflate stream")
            pending = raw
            while True:
                piece = inflater.decompress(pending, _READ_CHUNK)
                pending = inflater.unconsumed_tail
                if piece:
                    yield checked(piece)
                if inflater.eof:
                    if pending or inflater.unused_data:
                        raise _Damaged("there is data after the end of its deflate stream")
                    break
                if not pending and len(piece) < _READ_CHUNK:
                    break
        if inflater is not None and not inflater.eof:
            raise _Damaged("its deflate stream does not end")
    except zlib.error as error:
        raise _Damaged(f"invalid deflate data ({shown(str(error), 80)})") from None
    if produced != info.file_size:
        raise _Damaged(f"it holds {produced:,} bytes, the central directory says {info.file_size:,}")
    if crc != info.CRC:
        raise _Damaged("its CRC-32 does not match")


def _open_regular(path: Path) -> BinaryIO:
    """The file at ``path`` opened for reading, refused unless it is a regular file (a FIFO
    would block, a device would never end)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _Refused(["no such file"]) from None
    except IsADirectoryError:
        raise _Refused(["is a folder, not a zip file"]) from None
    except OSError as error:
        raise _Refused([f"could not open it ({error.strerror or error})"]) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise _Refused(["is not a regular file"])
    return os.fdopen(descriptor, "rb")


def _read_checked(path: Path, keep: Callable[[str], bool]) -> PackageFiles:
    with _open_regular(path) as stream:
        _check_central_directory(stream)
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
                struct.error) as error:
            detail = ("an entry name is not UTF-8 although its flags say so"
                      if isinstance(error, UnicodeDecodeError) else shown(str(error), 100))
            raise _Refused([f"not a readable zip file ({detail})"]) from None
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:  # _check_central_directory counted the same entries
            raise _Refused([f"it has {len(infos):,} entries; the limit is {MAX_ENTRIES:,} (MAX_ENTRIES)"])
        problems = _name_problems(infos)
        problems += [problem for info in infos for problem in _kind_problems(info)]
        problems += _size_problems(infos)
        if problems:
            raise _Refused(problems)

        starts: dict[str, int] = {}
        for info in infos:
            try:
                starts[info.orig_filename] = _data_start(stream, info)
            except _Damaged as error:
                problems.append(f"damaged data in {shown(info.orig_filename)}: {error}")
        if problems:
            raise _Refused(problems)
        ends = sorted((info.header_offset, starts[info.orig_filename] + info.compress_size, info.orig_filename)
                      for info in infos)
        for (_, end, name), (next_start, _, next_name) in pairwise(ends):
            if next_start < end:
                problems.append(f"entries {shown(name)} and {shown(next_name)} overlap in the zip (a zip bomb "
                                f"technique: one piece of data unpacked many times)")
        if ends and ends[-1][1] > archive.start_dir:
            problems.append(f"damaged data in {shown(ends[-1][2])}: it runs into the central directory")
        if problems:
            raise _Refused(problems)

        contents: dict[str, bytes] = {}
        for info in infos:
            try:
                chunks = _entry_chunks(stream, info, starts[info.orig_filename])
                if info.is_dir() or not keep(info.filename):
                    for _ in chunks:  # checked, then dropped
                        pass
                else:
                    contents[info.filename] = b"".join(chunks)
            except _Damaged as error:
                problems.append(f"damaged data in {shown(info.orig_filename)}: {error}")
        if problems:
            raise _Refused(problems)
        return PackageFiles((info.filename for info in infos if not info.is_dir()), contents)


def read_package(path: Path, keep: Callable[[str], bool] = MANIFEST_NAMES.__contains__) -> PackageFiles:
    """A zip from elsewhere, checked (see above), with the entries ``keep`` accepts in memory: by
    default the manifests at the top. Raises PackageError listing what is wrong with the zip."""
    try:
        return _read_checked(path, keep)
    except _Refused as refused:
        raise PackageError(path, at_most_shown(refused.problems)) from None
    except OSError as error:
        raise PackageError(path, [f"could not read it ({error.strerror or error})"]) from None


def read_zip(path: Path) -> dict[str, bytes]:
    """Every file of a zip, in memory, after the same checks as read_package (whose limits bound
    it to MAX_TOTAL_UNCOMPRESSED_BYTES): for zips scormbuild built, not for ones from elsewhere."""
    return dict(read_package(path, keep=lambda name: True).items())
