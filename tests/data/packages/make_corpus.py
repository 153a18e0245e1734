"""Write the corpus of hostile packages in this folder and expected.json (name -> what
validate-package must say). Run from the repository: `.venv/bin/python tests/data/packages/make_corpus.py`.
test_hostile_packages.py::test_corpus_of_hostile_packages_ends_cleanly_with_the_expected_message
runs every zip here. Each is a few KiB at most; a one-line description of each is in README.md.
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for zipcraft

from support.zipcraft import Entry, zip_bytes, zip_layout  # noqa: E402

MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" identifier="M" version="1">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>T</title>
    <item identifier="I" identifierref="R"><title>T</title></item></organization></organizations>
  <resources><resource identifier="R" type="webcontent" href="index.html" adlcp:scormtype="sco">
    <file href="index.html"/>EXTRA</resource></resources>
</manifest>
"""
TINCAN = b"""<?xml version="1.0" encoding="UTF-8"?>
DOCTYPE<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>
<activity id="urn:x" type="http://adlnet.gov/expapi/activities/course"><name>x</name><launch lang="en">LAUNCH</launch></activity>
</activities></tincan>
"""
PAGE = b"<!doctype html><title>x</title><p>" + b"Hello. " * 40 + b"</p>\n"
XXE = b'<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
PARAMETER = b'<!DOCTYPE manifest [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'


def manifest(*extra: str, before: bytes = b"", title: bytes = b"T") -> Entry:
    files = "".join(f'<file href="{href}"/>' for href in extra).encode()
    text = MANIFEST.replace(b"EXTRA", files).replace(b"<title>T</title>", b"<title>" + title + b"</title>", 1)
    return Entry.of("imsmanifest.xml", text.replace(b"?>\n", b"?>\n" + before, 1))


def package(*entries: Entry, listed: tuple[str, ...] = ()) -> list[Entry]:
    return [manifest(*listed), Entry.of("index.html", PAGE), *entries]


def with_index(**fields: object) -> list[Entry]:
    return [manifest(), Entry.of("index.html", PAGE).but(**fields)]


def overlap() -> bytes:
    """content/b.txt's directory entry points inside content/a.txt's stored data."""
    inner = Entry.of("content/b.txt", b"b" * 200)
    record, layout = zip_layout([inner])
    local = record[:layout.data[0][1]]
    outer = Entry("content/a.txt", local, len(local), zlib.crc32(local), zipfile.ZIP_STORED)
    entries = package(outer, listed=("content/a.txt", "content/b.txt"))
    data, layout = zip_layout(entries)
    central = bytearray(data[layout.central[0]:layout.end])
    extra = bytearray(data[layout.central[-1]:layout.end])
    name = inner.name.encode()
    struct.pack_into("<H", extra, 10, zipfile.ZIP_DEFLATED)
    struct.pack_into("<III", extra, 16, inner.crc, len(inner.data), inner.size)
    central += extra[:28] + struct.pack("<H", len(name)) + extra[30:42] + struct.pack("<I", layout.data[-1][0]) + name
    count = len(entries) + 1
    return data[:layout.central[0]] + bytes(central) + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count,
                                                                   len(central), layout.central[0], 0)


def shifted_directory() -> bytes:
    """Found by the fuzz test: the end record's directory offset moved up, so that zipfile computes
    a negative local header offset (it was an OSError, 'Invalid argument')."""
    data = bytearray(zip_bytes(package()))
    offset, = struct.unpack_from("<I", data, len(data) - 6)
    struct.pack_into("<I", data, len(data) - 6, offset + 5000)
    return bytes(data)


def zeros(mib: int) -> Entry:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(bytes(2**20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(bytes(2**20), crc)
    return Entry("content/zeros.bin", piece * mib + compressor.flush(), mib * 2**20, crc)


def corpus() -> dict[str, tuple[bytes, str]]:
    page = Entry.of("index.html", PAGE)
    liar = Entry.of("index.html", PAGE * 20).but(size=len(PAGE), crc=zlib.crc32(PAGE))
    damaged = page.but(data=page.data[:10] + bytes(b ^ 0x5A for b in page.data[10:30]) + page.data[30:])
    return {
        "minimal-valid.zip": (zip_bytes(package()), "valid"),
        "zip-slip.zip": (zip_bytes(package(Entry.of("../../evil.js", b"x"), listed=("../../evil.js",))),
                         "entry name ../../evil.js has a '..' segment"),
        "absolute-name.zip": (zip_bytes(package(Entry.of("/tmp/evil.js", b"x"), listed=("/tmp/evil.js",))),
                              "entry name /tmp/evil.js is an absolute path"),
        "backslash-name.zip": (zip_bytes(package(Entry.of("..\\..\\evil.js", b"x"), listed=("..\\..\\evil.js",))),
                               "contains a backslash"),
        "listed-outside.zip": (zip_bytes(package(listed=("%2e%2e/%2e%2e/evil.js",))),
                               "the manifest lists %2e%2e/%2e%2e/evil.js, which has a '..' segment"),
        "duplicate-manifest.zip": (zip_bytes([Entry.of("imsmanifest.xml", b"<broken"), *package()]),
                                   "entry imsmanifest.xml appears 2 times"),
        "case-duplicates.zip": (zip_bytes(package(Entry.of("INDEX.HTML", b"x"), listed=("INDEX.HTML",))),
                                "entries index.html and INDEX.HTML differ only in case"),
        "symlink.zip": (zip_bytes(package(Entry.of("passwd", b"/etc/passwd", 0, mode=0o120777), listed=("passwd",))),
                        "passwd is a symbolic link"),
        "encrypted-flag.zip": (zip_bytes(with_index(flags=1)), "index.html is encrypted"),
        "deflate64.zip": (zip_bytes(with_index(method=9, local_method=9)),
                          "index.html: compression method 9 (deflate64) not supported"),
        "aes.zip": (zip_bytes(with_index(method=99, local_method=99, flags=1)),
                    "index.html is encrypted (AES: compression method 99 not supported)"),
        "local-header-method.zip": (zip_bytes(with_index(local_method=9)),
                                    "its local header says compression method 9, the central directory 8"),
        "corrupt-deflate.zip": (zip_bytes([manifest(), damaged]), "damaged data in index.html: "),
        "size-liar.zip": (zip_bytes([manifest(), liar]),
                          f"damaged data in index.html: it expands beyond the {len(PAGE)} bytes the central directory gives"),
        "xxe-manifest.zip": (zip_bytes([manifest(before=XXE, title=b"&x;"), page]),
                             "imsmanifest.xml line 2: has a <!DOCTYPE>"),
        "parameter-entity.zip": (zip_bytes([manifest(before=PARAMETER), page]), "imsmanifest.xml line 2: has a <!DOCTYPE>"),
        "tincan-xxe.zip": (zip_bytes([Entry.of("tincan.xml", TINCAN.replace(b"DOCTYPE", XXE.replace(b"manifest", b"tincan"))
                                               .replace(b"LAUNCH", b"index.html&x;")), page]),
                           "tincan.xml line 2: has a <!DOCTYPE>"),
        "tincan-launch-outside.zip": (zip_bytes([Entry.of("tincan.xml", TINCAN.replace(b"DOCTYPE", b"")
                                                          .replace(b"LAUNCH", b"../index.html")), page]),
                                      "tincan.xml: launch file ../index.html has a '..' segment"),
        "ratio-bomb-16mib.zip": (zip_bytes(package(zeros(16), listed=("content/zeros.bin",))),
                                 "content/zeros.bin would expand 1,011 times"),
        "overlap-bomb.zip": (overlap(), "entries content/a.txt and content/b.txt overlap in the zip"),
        "fuzz-shifted-directory.zip": (shifted_directory(),
                                       "there is no local header where the central directory points"),
    }


if __name__ == "__main__":
    expected = {}
    for name, (data, message) in corpus().items():
        (HERE / name).write_bytes(data)
        expected[name] = message
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", "utf-8")
    print(f"wrote {len(expected)} zips, {sum((HERE / n).stat().st_size for n in expected):,} bytes in all")
