"""validate-package on hostile zips (issue 14; security review findings 4, 16 and 17).

Zips are made by hand (tests/zipcraft.py) from the sample's SCORM 1.2 package, so that every
header field can hold what an attacker would put there. Memory and time are capped on a child
process (tests/sandbox.py); the command must end with exit 1 and a message that names the
problem, never a traceback and never the CLI's "internal error" guard.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from support.paths import DATA
from support.sandbox import Ended, run_in_process, run_scormbuild
from support.zipcraft import Entry, entries_of, write_zip, zeros_bomb, zip_layout

from scormbuild import package_reader as package
from scormbuild.commands.validate_package import validate_package
from scormbuild.errors import PackageError
from scormbuild.package_reader import EntryNotRead, read_package, read_zip

CORPUS = DATA / "packages"


def refused(ended: Ended, *needles: str) -> str:
    """The stderr of a run that refused its zip cleanly, saying each of ``needles``."""
    assert ended.returncode == 1, ended.explain()
    assert "Traceback" not in ended.stderr and "internal error" not in ended.stderr, ended.explain()
    assert "out of memory" not in ended.stderr, ended.explain()
    for needle in needles:
        assert needle in ended.stderr, f"{needle!r} not in the message\n{ended.explain()}"
    return ended.stderr


def problems(path: Path) -> str:
    with pytest.raises(PackageError) as info:
        validate_package(path)
    return "\n".join(info.value.problems)


@pytest.fixture
def sample(sample_dist) -> list[Entry]:
    """The sample course's SCORM 1.2 package, entry by entry (a valid package)."""
    return entries_of(sample_dist["scorm12"])


def listing(entries: list[Entry], *hrefs: str) -> list[Entry]:
    """The entries with ``hrefs`` added to the manifest's file list."""
    files = "".join(f'<file href="{href}"/>' for href in hrefs).encode()
    return [entry if entry.name != "imsmanifest.xml" else Entry.of(
        entry.name, _content(entry).replace(b'<file href="index.html"/>', b'<file href="index.html"/>' + files))
        for entry in entries]


def _content(entry: Entry) -> bytes:
    return zlib.decompress(entry.data, -15) if entry.method == zipfile.ZIP_DEFLATED else entry.data


def with_manifest(entries: list[Entry], name: str, content: bytes) -> list[Entry]:
    return [Entry.of(name, content) if entry.name == name else entry for entry in entries]


# ---- what still holds ----------------------------------------------------------------------------

def test_every_built_package_still_validates_and_reads_back_whole(sample_dist):
    for key, path in sample_dist.items():
        assert validate_package(path).key == key
        with zipfile.ZipFile(path) as archive:
            assert read_zip(path) == {info.filename: archive.read(info) for info in archive.infolist()}


# ---- finding 4: zip bombs; limits checked on the central directory -------------------------------

@pytest.mark.slow
def test_finding_4_a_3_mb_zip_of_3_gib_of_zeros_is_refused_from_its_directory_under_300_mb(sample, tmp_path):
    bomb = write_zip(tmp_path / "bomb.zip", listing(sample, "content/zeros.bin") + [zeros_bomb("content/zeros.bin", 3)])
    assert bomb.stat().st_size < 4 * 2**20
    stderr = refused(run_scormbuild("validate-package", str(bomb), memory_mb=300, seconds=20),
                     "content/zeros.bin would expand", "MAX_COMPRESSION_RATIO", "limit is 200 times")
    assert "3 GiB" in stderr


@pytest.mark.slow
def test_finding_4_many_small_bombs_are_refused_by_the_total_size_limit(sample, tmp_path):
    small = Entry.of("x", bytes(2**20))  # 1 MiB in about 1 KiB: not "over 1 MiB", so no ratio check
    assert len(small.data) < 2**11
    zeros = [small.but(name=f"content/z{i:04}.bin") for i in range(4200)]  # 4.1 GiB in all
    bomb = write_zip(tmp_path / "many.zip", sample + zeros)
    assert bomb.stat().st_size < 8 * 2**20
    refused(run_scormbuild("validate-package", str(bomb), memory_mb=300, seconds=20),
            "would expand to 4.1 GiB", "the limit is 4 GiB (MAX_TOTAL_UNCOMPRESSED_BYTES)")


@pytest.mark.slow
def test_finding_4_more_entries_than_the_limit_are_refused_before_zipfile_parses_them(tmp_path):
    empty = Entry.of("e", b"", zipfile.ZIP_STORED)
    crowd = write_zip(tmp_path / "crowd.zip", [empty.but(name=f"{i:05x}") for i in range(package.MAX_ENTRIES + 1)])
    refused(run_scormbuild("validate-package", str(crowd), memory_mb=300, seconds=20),
            "it has more than 65,535 entries, the limit (MAX_ENTRIES)")


def test_finding_4_a_central_directory_over_its_limit_is_refused(sample, tmp_path, monkeypatch):
    path = write_zip(tmp_path / "p.zip", sample)
    monkeypatch.setattr(package, "MAX_CENTRAL_DIRECTORY_BYTES", 512)
    assert "the limit is 512 bytes (MAX_CENTRAL_DIRECTORY_BYTES)" in problems(path)


def test_finding_4_a_manifest_over_its_size_limit_is_refused_before_it_is_read(sample, tmp_path):
    padding = b"<!-- " + bytes(range(65, 91)) * (9 * 2**20 // 26) + b" -->"
    manifest = _content(next(e for e in sample if e.name == "imsmanifest.xml")).replace(b"<metadata>", padding + b"<metadata>")
    path = write_zip(tmp_path / "big.zip", with_manifest(sample, "imsmanifest.xml", manifest))
    assert "imsmanifest.xml is 9 MiB; the limit for a manifest is 8 MiB (MAX_MANIFEST_BYTES)" in problems(path)


def test_finding_4_only_the_manifests_are_read_into_memory(sample_dist):
    for key, path in sample_dist.items():
        files = read_package(path)
        manifest = {"scorm12": "imsmanifest.xml", "scorm2004": "imsmanifest.xml", "xapi": "tincan.xml",
                    "cmi5": "cmi5.xml"}[key]
        assert files.read == {manifest} and "index.html" in files and files[manifest].startswith(b"<?xml")
        with pytest.raises(EntryNotRead):
            files["index.html"]


@pytest.mark.slow
def test_finding_4_other_entries_are_checked_by_streaming_within_a_memory_cap(sample, tmp_path):
    """A 400 MB stored entry (a sparse file on disk) validates under a 300 MB cap: it is read in
    chunks, its CRC-32 checked, and dropped."""
    size = 400 * 2**20
    crc = 0
    for _ in range(size // 2**20):
        crc = zlib.crc32(bytes(2**20), crc)
    placeholder = Entry("content/video.bin", b"", size, crc, zipfile.ZIP_STORED, stored_size=size)
    data, layout = zip_layout(listing(sample, "content/video.bin") + [placeholder])
    # zip_layout wrote no data for the placeholder: leave `size` zeros (a hole) where it belongs,
    # and move the central directory's offset in the end record by as much.
    head, tail = data[:layout.data[-1][0]], bytearray(data[layout.data[-1][0]:])
    offset, = struct.unpack_from("<I", tail, len(tail) - 6)
    struct.pack_into("<I", tail, len(tail) - 6, offset + size)
    path = tmp_path / "video.zip"
    with path.open("wb") as stream:
        stream.write(head)
        stream.seek(size, 1)
        stream.write(tail)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("content/video.bin").file_size == size
    ended = run_scormbuild("validate-package", str(path), memory_mb=300, seconds=30)
    assert ended.returncode == 0 and "valid SCORM 1.2 package" in ended.stdout, ended.explain()


def test_finding_4_a_declared_size_smaller_than_the_data_is_caught(sample, tmp_path):
    """An unpacker that follows the deflate stream rather than the declared size (streaming ones
    do) would write more than the directory says: the data must end where the size says."""
    content = b"<p>hello</p>" * 5000
    entries = [e if e.name != "index.html" else Entry.of("index.html", content).but(size=1000, crc=zlib.crc32(content[:1000]))
               for e in sample]
    message = problems(write_zip(tmp_path / "liar.zip", entries))
    assert "damaged data in index.html: it expands beyond the 1,000 bytes the central directory gives" in message


# ---- finding 16: encryption, other methods, damaged data, DOCTYPEs --------------------------------

def _index_with(sample: list[Entry], **fields: object) -> list[Entry]:
    return [e.but(**fields) if e.name == "index.html" else e for e in sample]


@pytest.mark.parametrize("fields, message", [
    ({"flags": 1}, "index.html is encrypted"),
    ({"flags": 0x41}, "index.html is encrypted"),
    ({"method": 99, "local_method": 99, "flags": 1}, "index.html is encrypted (AES: compression method 99 not supported)"),
    ({"method": 9, "local_method": 9}, "index.html: compression method 9 (deflate64) not supported"),
    ({"method": 12, "local_method": 12}, "index.html: compression method 12 (bzip2) not supported"),
    ({"method": 14, "local_method": 14}, "index.html: compression method 14 (LZMA) not supported"),
    ({"method": 1234, "local_method": 1234}, "index.html: compression method 1234 not supported"),
    ({"local_method": 9}, "damaged data in index.html: its local header says compression method 9, the central "
                          "directory 8"),
    ({"local_flags": 1}, "disagree on whether it is encrypted"),
    ({"local_name": "other.html"}, "damaged data in index.html: its local header gives another name (other.html)"),
], ids=["encrypted", "strong-encryption", "aes", "deflate64", "bzip2", "lzma", "unknown", "local-method",
        "local-encryption", "local-name"])
def test_finding_16_encryption_and_methods_other_than_stored_and_deflate_are_refused(sample, tmp_path, fields, message):
    path = write_zip(tmp_path / "odd.zip", _index_with(sample, **fields))
    refused(run_in_process("validate-package", str(path)), message)


def test_finding_16_a_zip_encrypted_by_zip_e_is_refused(sample_dist, tmp_path):
    if not shutil.which("zip"):
        pytest.skip("Info-ZIP's zip is not installed")
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(sample_dist["scorm12"]) as archive:
        archive.extractall(folder)
    subprocess.run(["zip", "-q", "-r", "-e", "-P", "secret", str(tmp_path / "real-encrypted.zip"), "."], cwd=folder,
                   check=True)
    refused(run_in_process("validate-package", str(tmp_path / "real-encrypted.zip")),
            "imsmanifest.xml is encrypted", "index.html is encrypted")


@pytest.mark.parametrize("damage, message", [
    (lambda data: data[:100] + bytes(b ^ 0x5A for b in data[100:150]) + data[150:], "damaged data in index.html: "),
    (lambda data: data[:-40], "damaged data in index.html: its deflate stream does not end"),
    (lambda data: data + b"\x00\x00", "damaged data in index.html: there is data after the end of its deflate stream"),
], ids=["flipped", "cut", "trailing"])
def test_finding_16_damaged_deflate_data_is_named(sample, tmp_path, damage, message):
    entries = [e.but(data=damage(e.data)) if e.name == "index.html" else e for e in sample]
    refused(run_in_process("validate-package", str(write_zip(tmp_path / "damaged.zip", entries))), message)


def test_finding_16_a_bad_crc_and_a_truncated_file_are_named(sample, tmp_path):
    path = write_zip(tmp_path / "crc.zip", _index_with(sample, crc=12345))
    assert "damaged data in index.html: its CRC-32 does not match" in problems(path)
    whole = write_zip(tmp_path / "whole.zip", sample).read_bytes()
    (tmp_path / "cut.zip").write_bytes(whole[:len(whole) // 2])
    assert "not a readable zip file" in problems(tmp_path / "cut.zip")


DOCTYPES = {
    "external": b'<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "internal": b'<!DOCTYPE manifest [<!ENTITY x "lol">]>',
    "parameter": b'<!DOCTYPE manifest [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    "laughs": b'<!DOCTYPE manifest [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY x "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    "plain": b"<!DOCTYPE manifest>",
}


@pytest.mark.parametrize("manifest, key, element", [
    ("imsmanifest.xml", "scorm12", b"<title>"),
    ("imsmanifest.xml", "scorm2004", b"<title>"),
    ("cmi5.xml", "cmi5", b"<url>"),
    ("tincan.xml", "xapi", b"<launch lang=\"en-GB\">"),
])
@pytest.mark.parametrize("doctype", list(DOCTYPES))
def test_finding_16_17_manifests_with_a_doctype_are_refused_unparsed(sample_dist, tmp_path, manifest, key, element,
                                                                     doctype):
    entries = entries_of(sample_dist[key])
    text = _content(next(e for e in entries if e.name == manifest))
    text = text.replace(b"?>\n", b"?>\n" + DOCTYPES[doctype] + b"\n", 1).replace(element, element + b"&x;", 1)
    path = write_zip(tmp_path / "doctype.zip", with_manifest(entries, manifest, text))
    assert f"{manifest} line 2: has a <!DOCTYPE>; a manifest must not declare a DTD or entities" in problems(path)


def test_finding_16_a_doctype_is_refused_through_the_command_too(sample, tmp_path):
    manifest = _content(next(e for e in sample if e.name == "imsmanifest.xml"))
    manifest = manifest.replace(b"?>\n", b"?>\n" + DOCTYPES["parameter"] + b"\n", 1)
    path = write_zip(tmp_path / "pe.zip", with_manifest(sample, "imsmanifest.xml", manifest))
    refused(run_in_process("validate-package", str(path)), "has a <!DOCTYPE>")


def test_finding_16_a_utf16_manifest_with_a_doctype_is_refused(sample, tmp_path):
    manifest = _content(next(e for e in sample if e.name == "imsmanifest.xml")).decode()
    manifest = manifest.replace("<?xml version='1.0' encoding='UTF-8'?>", "<?xml version='1.0' encoding='UTF-16'?>"
                                + DOCTYPES["internal"].decode())
    path = write_zip(tmp_path / "u16.zip", with_manifest(sample, "imsmanifest.xml", manifest.encode("utf-16")))
    assert "has a <!DOCTYPE>" in problems(path)


# ---- finding 17: entry names and listed paths ---------------------------------------------------

@pytest.mark.parametrize("name, reason", [
    ("../../evil.js", "has a '..' segment"),
    ("content/../../evil.js", "has a '..' segment"),
    ("/tmp/evil.js", "is an absolute path"),
    ("..\\..\\evil.js", "contains a backslash"),
    ("C:\\evil.js", "contains a backslash"),
    ("C:/evil.js", "contains a colon"),
    ("content//evil.js", "has an empty or '.' segment"),
    ("content/./evil.js", "has an empty or '.' segment"),
    ("evil\x00.js", "contains a control character"),
    ("evil\x1b]0;title\x07.js", "contains a control character"),
])
def test_finding_17_unsafe_entry_names_are_refused_even_when_listed(sample, tmp_path, name, reason):
    entries = listing(sample, name.replace("\x00", "").replace("\x1b]0;title\x07", "")) + [Entry.of(name, b"alert(1)")]
    stderr = refused(run_in_process("validate-package", str(write_zip(tmp_path / "slip.zip", entries))), reason)
    assert "\x1b" not in stderr and "\x00" not in stderr  # shown escaped


@pytest.mark.parametrize("first", [b"<broken", None], ids=["broken-first", "same-twice"])
def test_finding_17_a_repeated_manifest_is_refused(sample, tmp_path, first):
    real = next(e for e in sample if e.name == "imsmanifest.xml")
    entries = [Entry.of("imsmanifest.xml", first) if first else real] + sample
    message = problems(write_zip(tmp_path / "dup.zip", entries))
    assert "entry imsmanifest.xml appears 2 times: an LMS may read either copy" in message


@pytest.mark.parametrize("other", ["INDEX.HTML", "Index.html", "index.HTML"])
def test_finding_17_names_that_differ_only_in_case_are_refused(sample, tmp_path, other):
    entries = listing(sample, other) + [Entry.of(other, b"<p>other</p>")]
    assert f"entries index.html and {other} differ only in case" in problems(write_zip(tmp_path / "case.zip", entries))


def test_finding_17_names_that_differ_only_in_unicode_normalisation_are_refused(sample, tmp_path):
    composed, decomposed = "content/caf\u00e9.txt", "content/cafe\u0301.txt"
    entries = listing(sample, "content/caf%C3%A9.txt", "content/cafe%CC%81.txt") + [
        Entry.of(composed, b"1"), Entry.of(decomposed, b"2")]
    assert "differ only in case (or Unicode normalisation)" in problems(write_zip(tmp_path / "nfc.zip", entries))


@pytest.mark.parametrize("href, reason", [
    ("../outside.js", "has a '..' segment"),
    ("%2e%2e/%2e%2e/outside.js", "has a '..' segment"),
    ("/etc/passwd", "is an absolute path"),
    ("C:/boot.ini", "contains a colon"),
    ("..\\outside.js", "contains a backslash"),
    ("//evil.example/x.js", "is a network path"),
])
def test_finding_17_a_manifest_that_lists_an_unsafe_path_is_refused(sample, tmp_path, href, reason):
    message = problems(write_zip(tmp_path / "listed.zip", listing(sample, href)))
    assert f"the manifest lists {href}, which {reason}" in message


def test_finding_17_an_unsafe_xml_base_is_refused(sample, tmp_path):
    manifest = _content(next(e for e in sample if e.name == "imsmanifest.xml"))
    manifest = manifest.replace(b'type="webcontent"', b'type="webcontent" xml:base="../../"', 1)
    message = problems(write_zip(tmp_path / "base.zip", with_manifest(sample, "imsmanifest.xml", manifest)))
    assert "the manifest lists ../../, which has a '..' segment" in message


@pytest.mark.parametrize("key, manifest, old, new, message", [
    ("xapi", "tincan.xml", b">index.html</launch>", b">../index.html</launch>",
     "tincan.xml: launch file ../index.html has a '..' segment"),
    ("cmi5", "cmi5.xml", b"<url>index.html</url>", b"<url>/index.html</url>", "cmi5.xml: AU url /index.html is an absolute path"),
])
def test_finding_17_tincan_and_cmi5_launch_paths_must_stay_inside(sample_dist, tmp_path, key, manifest, old, new, message):
    entries = entries_of(sample_dist[key])
    text = _content(next(e for e in entries if e.name == manifest)).replace(old, new)
    assert message in problems(write_zip(tmp_path / "launch.zip", with_manifest(entries, manifest, text)))


def test_finding_17_symbolic_links_and_files_used_as_folders_are_refused(sample, tmp_path):
    entries = listing(sample, "content/passwd", "index.html/x") + [
        Entry.of("content/passwd", b"/etc/passwd", zipfile.ZIP_STORED, mode=0o120777),
        Entry.of("index.html/x", b"")]
    message = problems(write_zip(tmp_path / "links.zip", entries))
    assert "content/passwd is a symbolic link" in message
    assert "entry index.html/x is inside index.html, which is a file" in message


def test_finding_17_overlapping_entries_are_refused(sample, tmp_path):
    """Two directory entries whose data is one region of the file (the non-recursive zip bomb)."""
    inner = Entry.of("content/b.txt", b"b" * 1000)
    # a stored entry whose data is the whole local record of content/b.txt
    record, layout = zip_layout([inner])
    local_record = record[:layout.data[0][1]]
    outer = Entry("content/a.txt", local_record, len(local_record), zlib.crc32(local_record), zipfile.ZIP_STORED)
    entries = listing(sample, "content/a.txt", "content/b.txt") + [outer]
    data, layout = zip_layout(entries)
    # a second directory entry, for content/b.txt, that points inside content/a.txt's data
    central = bytearray(data[layout.central[0]:layout.end])
    extra = bytearray(data[layout.central[-1]:layout.end])
    name = b"content/b.txt"
    struct.pack_into("<H", extra, 10, zipfile.ZIP_DEFLATED)
    struct.pack_into("<III", extra, 16, inner.crc, len(inner.data), inner.size)
    extra = extra[:28] + struct.pack("<H", len(name)) + extra[30:42] + struct.pack("<I", layout.data[-1][0]) + name
    central += extra
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries) + 1, len(entries) + 1, len(central),
                      layout.central[0], 0)
    path = tmp_path / "overlap.zip"
    path.write_bytes(data[:layout.central[0]] + bytes(central) + end)
    with zipfile.ZipFile(path) as archive:
        assert archive.read("content/b.txt") == b"b" * 1000  # zipfile reads both
    assert "entries content/a.txt and content/b.txt overlap in the zip" in problems(path)


# ---- other inputs -------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_fifo_a_folder_and_a_missing_file_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "fifo.zip")
    refused(run_scormbuild("validate-package", str(tmp_path / "fifo.zip"), memory_mb=300, seconds=20),
            "is not a regular file")
    (tmp_path / "folder.zip").mkdir()
    assert problems(tmp_path / "folder.zip") == "is not a regular file"
    assert problems(tmp_path / "nope.zip") == "no such file"


def test_messages_never_quote_an_unbounded_name(sample, tmp_path):
    name = "content/" + "a" * 20000 + ".html"
    entries = [Entry.of(name, b"x")] + sample
    message = problems(write_zip(tmp_path / "long.zip", entries))
    assert len(message) < 1000 and "\u2026" in message


@pytest.mark.slow
def test_corpus_of_hostile_packages_ends_cleanly_with_the_expected_message():
    """tests/data/packages: small zips found by the fuzz test or made for a finding (README.md there)."""
    expected = json.loads((CORPUS / "expected.json").read_text("utf-8"))
    assert sorted(expected) == sorted(p.name for p in CORPUS.glob("*.zip"))
    for name, message in expected.items():
        ended = run_scormbuild("validate-package", str(CORPUS / name), memory_mb=300, seconds=20)
        if message == "valid":
            assert ended.returncode == 0 and "valid" in ended.stdout, f"{name}: {ended.explain()}"
        else:
            refused(ended, message)
