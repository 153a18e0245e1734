"""Fuzzing validate-package (issue 14, "Tests"): valid packages built from the sample, mutated the
ways broken tools and attackers mutate zips, must only ever give a verdict or a clean refusal.

Two layers share one mutation engine:
- in process, many examples: validate_package returns a standard or raises PackageError, with
  short, printable messages; whatever it calls valid really is (names, CRCs, methods, manifest);
- in a child process under a 400 MB address-space cap and a 20 s time-out (tests/sandbox.py),
  fewer examples: `scormbuild validate-package` exits 0 or 1 with a message, no traceback, no
  "internal error", no out-of-memory.
Examples are derandomized (the same every run) and there is no example database. A mutant that
fails is kept in a temporary folder named in the failure; add it to tests/data/packages/ (with
its expected message in expected.json) so that it stays tested.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.sandbox import run_scormbuild
from support.zipcraft import Entry, entries_of, zip_layout

from scormbuild.commands.validate_package import validate_package
from scormbuild.errors import PackageError
from scormbuild.schemas import parse_untrusted_xml

pytestmark = pytest.mark.slow  # a fuzz layer: minutes, not seconds

MANIFESTS = ("imsmanifest.xml", "tincan.xml", "cmi5.xml")
HOSTILE_NAMES = ["../../evil.js", "/etc/passwd", "C:\\evil.js", "..\\x.js", "C:/x", "IMSMANIFEST.XML", "INDEX.HTML",
                 "imsmanifest.xml", "tincan.xml", "cmi5.xml", "index.html", "a//b", "./index.html", "", "x\x00.js",
                 "index.html/inner", "cafe\u0301.txt", "\x1b[2Jterm.js", "a" * 300, "content/", "assets"]
HOSTILE_HREFS = ["../evil.js", "/etc/passwd", "%2e%2e/x", "C:\\boot.ini", "//host/x", "file:///etc/passwd",
                 "index.html?x=1", "", "a" * 500, "\u202eexe.txt"]
DOCTYPES = [b'<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b'<!DOCTYPE m [<!ENTITY x "y">]>',
            b'<!DOCTYPE m [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', b"<!DOCTYPE m>",
            b'<!DOCTYPE m SYSTEM "http://127.0.0.1:9/x.dtd">',
            b'<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x "&b;&b;&b;&b;">]>']
WORDS = [0, 1, 8, 9, 12, 14, 99, 0x7FFF, 0xFFFF]
LONGS = [0, 1, 2**20, 2**30, 3 * 2**30, 2**31 - 1, 2**32 - 1]

# offsets of fields: (offset, struct format) in each record
LOCAL_FIELDS = {"flags": (6, "<H"), "method": (8, "<H"), "crc": (14, "<I"), "csize": (18, "<I"), "usize": (22, "<I"),
                "name_length": (26, "<H"), "extra_length": (28, "<H")}
CENTRAL_FIELDS = {"flags": (8, "<H"), "method": (10, "<H"), "crc": (16, "<I"), "csize": (20, "<I"),
                  "usize": (24, "<I"), "name_length": (28, "<H"), "extra_length": (30, "<H"),
                  "comment_length": (32, "<H"), "mode": (38, "<I"), "offset": (42, "<I")}
END_FIELDS = {"entries_here": (8, "<H"), "entries": (10, "<H"), "size": (12, "<I"), "offset": (16, "<I"),
              "comment_length": (20, "<H")}

index = st.integers(0, 200)  # taken modulo the number of entries
word = st.one_of(st.sampled_from(WORDS), st.integers(0, 0xFFFF))
long = st.one_of(st.sampled_from(LONGS), st.integers(0, 2**32 - 1))

structural = st.one_of(
    st.tuples(st.just("rename"), index, st.sampled_from(HOSTILE_NAMES)),
    st.tuples(st.just("duplicate"), index, st.sampled_from([None, *HOSTILE_NAMES])),
    st.tuples(st.just("drop"), index),
    st.tuples(st.just("doctype"), st.sampled_from(DOCTYPES)),
    st.tuples(st.just("href"), st.sampled_from(HOSTILE_HREFS)),
    st.tuples(st.just("manifest"), st.binary(max_size=200)),
    st.tuples(st.just("manifest_cut"), st.floats(0, 1)),
    st.tuples(st.just("content"), index, st.binary(max_size=64)),
    st.tuples(st.just("entry"), index, st.sampled_from(["method", "local_method", "flags", "local_flags"]), word),
    st.tuples(st.just("entry"), index, st.sampled_from(["size", "crc", "stored_size"]), long),
    st.tuples(st.just("entry"), index, st.just("mode"), st.sampled_from([0o120777, 0o020644, 0o010644, 0o040755, 0])),
    st.tuples(st.just("entry"), index, st.just("local_name"), st.sampled_from(HOSTILE_NAMES)),
)
bytewise = st.one_of(
    st.tuples(st.just("local"), index, st.sampled_from(sorted(LOCAL_FIELDS)), long),
    st.tuples(st.just("central"), index, st.sampled_from(sorted(CENTRAL_FIELDS)), long),
    st.tuples(st.just("end"), st.just(0), st.sampled_from(sorted(END_FIELDS)), long),
    st.tuples(st.just("flip"), st.sampled_from(["local", "central", "data", "end", "anywhere"]), index,
              st.integers(0, 2**16), st.integers(1, 255)),
)
framing = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("prepend"), st.binary(max_size=64)),
    st.tuples(st.just("append"), st.binary(max_size=64)),
)
plans = st.tuples(st.sampled_from(["scorm12", "scorm2004", "xapi", "cmi5"]),
                  st.lists(structural, max_size=3), st.lists(bytewise, max_size=3), st.lists(framing, max_size=1))


def _content(entry: Entry) -> bytes:
    try:
        return zlib.decompress(entry.data, -15) if entry.method == zipfile.ZIP_DEFLATED else entry.data
    except zlib.error:
        return entry.data


def _manifest_at(entries: list[Entry]) -> int | None:
    return next((i for i, e in enumerate(entries) if e.name in MANIFESTS), None)


def _apply_structural(entries: list[Entry], step: tuple) -> list[Entry]:
    entries = list(entries)
    kind, *args = step
    at = _manifest_at(entries)
    if kind in ("doctype", "href", "manifest", "manifest_cut"):
        if at is None:
            return entries
        text = _content(entries[at])
        if kind == "doctype":
            text = text.replace(b"?>\n", b"?>\n" + args[0] + b"\n", 1)
            text = text.replace(b"<title>", b"<title>&x;", 1).replace(b"<url>", b"<url>&x;", 1)
        elif kind == "href":
            href = args[0].replace("&", "&amp;").replace('"', "&quot;").encode()
            text = (text.replace(b'<file href="index.html"/>', b'<file href="%s"/>' % href)
                    .replace(b">index.html</launch>", b">%s</launch>" % href).replace(b">index.html</url>", b">%s</url>" % href))
        elif kind == "manifest":
            text = args[0]
        else:
            text = text[:int(len(text) * args[0])]
        entries[at] = Entry.of(entries[at].name, text)
        return entries
    if not entries:
        return entries
    i = args[0] % len(entries)
    if kind == "rename":
        entries[i] = entries[i].but(name=args[1])
    elif kind == "duplicate":
        entries.insert(i, entries[i] if args[1] is None else entries[i].but(name=args[1]))
    elif kind == "drop":
        del entries[i]
    elif kind == "content":
        entries[i] = Entry.of(entries[i].name, args[1], entries[i].method if entries[i].method in (0, 8) else 8)
    elif kind == "entry":
        field, value = args[1], args[2]
        entries[i] = entries[i].but(**{field: value & 0xFFFF if field in LOCAL_FIELDS or "method" in field else value})
    return entries


def _apply_bytewise(data: bytearray, layout, step: tuple) -> None:
    kind, which, *rest = step
    if kind == "flip":
        where, i, offset, mask = which, rest[0], rest[1], rest[2]
        n = len(layout.local)
        if where == "local" and n:
            position = layout.local[i % n] + offset % 30
        elif where == "central" and n:
            position = layout.central[i % n] + offset % 46
        elif where == "data" and n:
            start, end = layout.data[i % n]
            position = start + offset % max(end - start, 1)
        elif where == "end":
            position = layout.end + offset % 22
        else:
            position = offset
        if position < len(data):
            data[position] ^= mask
        return
    field, value = rest
    table = {"local": LOCAL_FIELDS, "central": CENTRAL_FIELDS, "end": END_FIELDS}[kind]
    offset, fmt = table[field]
    if kind == "end":
        base = layout.end
    elif layout.local:
        base = (layout.local if kind == "local" else layout.central)[which % len(layout.local)]
    else:
        return
    value &= 0xFFFF if fmt == "<H" else 0xFFFFFFFF
    if base + offset + struct.calcsize(fmt) <= len(data):
        struct.pack_into(fmt, data, base + offset, value)


def mutant(bases: dict[str, list[Entry]], plan: tuple) -> bytes:
    key, structure, bytewise_steps, framing_steps = plan
    entries = bases[key]
    for step in structure:
        entries = _apply_structural(entries, step)
    raw, layout = zip_layout(entries)
    data = bytearray(raw)
    for step in bytewise_steps:
        _apply_bytewise(data, layout, step)
    for kind, arg in framing_steps:
        if kind == "truncate":
            data = data[:int(len(data) * arg)]
        elif kind == "prepend":
            data = bytearray(arg) + data
        else:
            data += arg
    return bytes(data)


@pytest.fixture(scope="module")
def bases(sample_dist) -> dict[str, list[Entry]]:
    return {key: entries_of(path) for key, path in sample_dist.items()}


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="scormbuild-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _keep(workdir: Path, data: bytes) -> Path:
    """A failing mutant, kept beside the others for the failure message."""
    kept = workdir / f"failing-{zlib.crc32(data):08x}.zip"
    kept.write_bytes(data)
    return kept


def _name_is_plain(name: str) -> bool:
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    return (bool(name) and name.isprintable() and not name.startswith("/") and "\\" not in name and ":" not in name
            and all(part not in ("", ".", "..") for part in parts))


def assert_really_valid(path: Path) -> None:
    """What a "valid" verdict promises, checked independently with zipfile."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        names = [info.orig_filename for info in infos]
        assert all(_name_is_plain(name) for name in names), names
        folded = [unicodedata.normalize("NFC", name).casefold() for name in names]
        assert len(set(folded)) == len(folded), names
        assert all(info.compress_type in (0, 8) and not info.flag_bits & 0x41 for info in infos)
        assert archive.testzip() is None
        manifest = next(name for name in MANIFESTS if name in names)
        parse_untrusted_xml(archive.read(manifest))  # no DOCTYPE, well-formed


def assert_clean_problems(error: PackageError) -> None:
    assert error.problems
    for problem in error.problems:
        assert isinstance(problem, str) and 0 < len(problem) < 1000, problem
        assert all(ch.isprintable() for ch in problem), problem


FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@settings(FUZZ, max_examples=400)
@given(plan=plans)
def test_fuzz_validate_package_in_process(bases, workdir, plan):
    data = mutant(bases, plan)
    path = workdir / "mutant.zip"
    path.write_bytes(data)
    try:
        validate_package(path)
    except PackageError as error:
        assert_clean_problems(error)
    except Exception as error:  # noqa: BLE001 - anything else is the bug this test looks for
        raise AssertionError(f"{type(error).__name__} on {_keep(workdir, data)}") from error
    else:
        try:
            assert_really_valid(path)
        except Exception as error:  # noqa: BLE001
            raise AssertionError(f"called valid, but is not: {_keep(workdir, data)}") from error


@settings(FUZZ, max_examples=60)
@given(plan=plans)
def test_fuzz_validate_package_in_a_capped_child_process(bases, workdir, plan):
    data = mutant(bases, plan)
    path = workdir / "child.zip"
    path.write_bytes(data)
    ended = run_scormbuild("validate-package", str(path), memory_mb=400, seconds=20)
    clean = (ended.returncode in (0, 1) and "Traceback" not in ended.stderr and "internal error" not in ended.stderr
             and "out of memory" not in ended.stderr)
    said = "valid" in ended.stdout if ended.returncode == 0 else "error:" in ended.stderr
    assert clean and said, f"{_keep(workdir, data)}: {ended.explain()}"
