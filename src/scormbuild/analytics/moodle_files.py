"""The rows of a Moodle report download, whatever Moodle (or a user re-saving it) made of it.

Moodle offers a "text file" (tab-separated UTF-8), an ODS and an "Excel" file (really
.xlsx, named .xls). Formats are told by their first bytes, not by the name. Every cell
comes back as text, HTML-unescaped (Moodle escapes values with ``s()`` in every format).

Limits are checked before anything is unpacked or held: a download with 100,000 learners
streams row by row (text and ODS); spreadsheets must unpack to at most
``MAX_UNPACKED_BYTES`` with no suspicious compression ratio.

Why two readers: python-calamine reads .xlsx and real .xls well, but refuses Moodle's own
ODS (its ``odslib`` writes line breaks between cells, which calamine takes for misplaced
text), so ODS is read with lxml's streaming parser, hardened like every XML read here.
"""

from __future__ import annotations

import csv
import html
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO

from lxml import etree

from scormbuild.errors import ReportError, describe

MAX_LINE_CHARS = 16 * 2**20  # one physical line of a text download (a row of 20,000 cells of 255 characters is 5 MiB)
MAX_CELL_CHARS = 131_072  # csv's own default field limit; a SCORM 1.2 value is at most 4,096
MAX_COLUMNS = 20_000  # Moodle writes 7 + 4 per interaction; SCORM 1.2 courses stay far below 5,000 interactions
MAX_ROWS = 10_000_000
MAX_ZIP_ENTRIES = 1_000  # a Moodle ODS has 6 entries, its .xlsx 11
MAX_UNPACKED_BYTES = 2**30
MAX_COMPRESSION_RATIO = 200  # as package_reader: deflate tops out near 1,032:1
RATIO_CHECKED_ABOVE_BYTES = 2**20
SNIFF_BYTES = 8192

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Row = tuple[int, list[str]]  # (1-based row number, cells)


def _error(path: Path, message: str, hint: str = "", row: int | None = None, column: str = "") -> ReportError:
    where = describe(str(path), 200) + (f", row {row:,}" if row is not None else "") + (
        f", column {column}" if column else "")
    return ReportError(f"{where}: {message}" + (f"\n    hint: {hint}" if hint else ""))


DOWNLOAD_HINT = ("give the file Moodle downloads from the SCORM activity's Reports (Interactions report or "
                 "Basic report): text file, ODS or Excel")


def read_rows(path: Path) -> Iterator[Row]:
    """Every row of the download's first sheet, cells as unescaped text."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as error:
        raise _error(path, f"cannot be read ({describe(error.strerror or str(error), 100)})",
                     "check the file name and that you may read it") from None
    if not head:
        raise _error(path, "is empty", DOWNLOAD_HINT)
    if head.startswith(b"PK\x03\x04"):
        yield from _zip_rows(path)
    elif head.startswith(_OLE_SIGNATURE):
        yield from _calamine_rows(path)
    elif b"\0" in head:
        raise _error(path, "is a binary file, not a Moodle report", DOWNLOAD_HINT)
    else:
        yield from _text_rows(path, head)


# --- text (Moodle's "text file" download, or a CSV re-saved by a spreadsheet) -----------------

def _delimiter(path: Path, head: bytes) -> str:
    first = head.split(b"\n", 1)[0]
    counts = {d: first.count(d.encode()) for d in ("\t", ",", ";")}
    best = max(counts, key=lambda d: counts[d])
    if not counts[best]:
        raise _error(path, "has no columns (no tab, comma or semicolon in its first line)", DOWNLOAD_HINT, row=1)
    return best


def _lines(path: Path, stream: io.TextIOWrapper) -> Iterator[str]:
    """Physical lines, each at most MAX_LINE_CHARS and MAX_COLUMNS cells, so one huge line
    cannot fill the memory before the csv reader sees it."""
    number = 0
    while True:
        try:
            line = stream.readline(MAX_LINE_CHARS)
        except UnicodeDecodeError as error:
            raise _error(path, f"is not UTF-8 text (a byte that UTF-8 does not allow after line {number:,}: "
                         f"{error.object[error.start:error.start + 1]!r})",
                         "download the report again from Moodle, or save it as UTF-8 (CSV UTF-8 in Excel)") from None
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
            raise _error(path, f"line {number:,} is longer than {MAX_LINE_CHARS:,} characters",
                         "this is not a Moodle report download")
        yield line


def _text_rows(path: Path, head: bytes) -> Iterator[Row]:
    delimiter = _delimiter(path, head)
    with path.open("r", encoding="utf-8-sig", newline="", errors="strict") as stream:
        reader = csv.reader(_lines(path, stream), delimiter=delimiter, strict=False)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _error(path, f"cannot be read as a table ({describe(str(error), 120)})",
                             "a cell may be longer than Moodle ever writes; " + DOWNLOAD_HINT,
                             row=reader.line_num) from None
            if len(cells) > MAX_COLUMNS:
                raise _error(path, f"has {len(cells):,} columns, more than {MAX_COLUMNS:,}",
                             "this is not a Moodle report download", row=reader.line_num)
            if reader.line_num > MAX_ROWS:
                raise _error(path, f"has more than {MAX_ROWS:,} lines", "split the download by group")
            yield reader.line_num, [html.unescape(c) if "&" in c else c for c in cells]


# --- spreadsheets ------------------------------------------------------------------------------

def _checked_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _error(path, f"looks like a spreadsheet but is a broken zip ({describe(str(error), 80)})",
                     DOWNLOAD_HINT) from None
    entries = archive.infolist()
    total = 0
    problem = ""
    if len(entries) > MAX_ZIP_ENTRIES:
        problem = f"holds {len(entries):,} files, more than {MAX_ZIP_ENTRIES:,}"
    for entry in entries:
        total += entry.file_size
        if entry.flag_bits & 0x1:
            problem = "is encrypted"
        elif entry.file_size > RATIO_CHECKED_ABOVE_BYTES and (
                entry.compress_size == 0 or entry.file_size / entry.compress_size > MAX_COMPRESSION_RATIO):
            problem = f"has a part ({describe(entry.filename, 60)}) that unpacks to suspiciously much"
        if problem:
            break
    if not problem and total > MAX_UNPACKED_BYTES:
        problem = f"unpacks to {total:,} bytes, more than {MAX_UNPACKED_BYTES:,}"
    if problem:
        archive.close()
        raise _error(path, f"is a spreadsheet that {problem}", "save the report again as a text file (CSV)")
    return archive


def _zip_rows(path: Path) -> Iterator[Row]:
    with _checked_zip(path) as archive:
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE and "content.xml" in names:
            with archive.open("content.xml") as content:
                yield from _ods_rows(path, content)
            return
        if "xl/workbook.xml" not in names:
            raise _error(path, "is a zip but not a spreadsheet (neither ODS nor Excel)", DOWNLOAD_HINT)
    yield from _calamine_rows(path)


class _CellTooLong(Exception):
    """A cell's text passed MAX_CELL_CHARS: it is not built any further."""


def _ods_cell_text(cell: etree._Element) -> str:
    """The cell's paragraphs as text, at most MAX_CELL_CHARS (else _CellTooLong, raised as soon as the
    budget runs out: a few bytes of ``<text:s text:c="131072"/>`` must not become a huge string)."""
    parts: list[str] = []
    budget = MAX_CELL_CHARS
    for index, paragraph in enumerate(cell.iterchildren(f"{{{_TEXT}}}p", f"{{{_TEXT}}}h")):
        if index:
            budget = _append(parts, "\n", budget)
        budget = _inline_text(paragraph, parts, budget)
    return "".join(parts)


def _append(parts: list[str], text: str, budget: int) -> int:
    """Adds ``text`` if the budget allows it; gives the budget left."""
    budget -= len(text)
    if budget < 0:
        raise _CellTooLong
    parts.append(text)
    return budget


def _spaces(element: etree._Element, budget: int) -> int:
    """How many spaces a ``<text:s>`` stands for (a count too big for the budget is not converted)."""
    value = element.get(f"{{{_TEXT}}}c", "1")
    if not value.isdigit() or not value.isascii():
        return 1  # the attribute's default
    return int(value) if len(value) <= len(str(MAX_CELL_CHARS)) else budget + 1


def _inline_text(element: etree._Element, parts: list[str], budget: int) -> int:
    """Appends the element's text to ``parts``, spending ``budget`` characters; gives what is left."""
    if element.text:
        budget = _append(parts, element.text, budget)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{{{_TEXT}}}s":
            count = _spaces(child, budget)
            if count > budget:
                raise _CellTooLong
            budget = _append(parts, " " * count, budget)
        elif tag == f"{{{_TEXT}}}tab":
            budget = _append(parts, "\t", budget)
        elif tag == f"{{{_TEXT}}}line-break":
            budget = _append(parts, "\n", budget)
        elif tag:
            budget = _inline_text(child, parts, budget)
        if child.tail:
            budget = _append(parts, child.tail, budget)
    return budget


def _repeat(path: Path, element: etree._Element, attribute: str, row: int) -> int:
    value = element.get(f"{{{_TABLE}}}{attribute}", "1")
    if not (value.isascii() and value.isdigit()) or len(value) > 9:  # more rows or columns than any sheet has
        raise _error(path, f"has a cell repeated `{describe(value, 20)}` times", DOWNLOAD_HINT, row=row)
    return int(value)


def _ods_rows(path: Path, content: IO[bytes]) -> Iterator[Row]:
    parser_options = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
    events = etree.iterparse(content, events=("start", "end"), tag=(f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"),
                             **parser_options)
    number = 0
    tables = 0
    try:
        for event, element in events:
            if element.tag == f"{{{_TABLE}}}table":
                if event == "start":
                    tables += 1
                elif tables == 1:
                    return  # the first sheet only
                continue
            if event != "end" or tables != 1:
                continue
            cells: list[str] = []
            empties = 0
            for cell in element.iterchildren(f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
                try:
                    text = _ods_cell_text(cell)
                except _CellTooLong:
                    raise _error(path, f"has a cell of more than {MAX_CELL_CHARS:,} characters, more than Moodle "
                                 "ever writes", DOWNLOAD_HINT, row=number + 1,
                                 column=str(len(cells) + empties + 1)) from None
                count = _repeat(path, cell, "number-columns-repeated", number + 1)
                if not text:
                    empties += count  # trailing empty cells, often repeated to the sheet's width, are dropped
                    continue
                if len(cells) + empties + count > MAX_COLUMNS:
                    raise _error(path, f"has more than {MAX_COLUMNS:,} columns",
                                 "this is not a Moodle report download", row=number + 1)
                cells.extend([""] * empties + [text] * count)
                empties = 0
            rows = _repeat(path, element, "number-rows-repeated", number + 1)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
            if not cells:
                number += rows
                continue
            for _ in range(rows):
                number += 1
                if number > MAX_ROWS:
                    raise _error(path, f"has more than {MAX_ROWS:,} rows", "split the download by group")
                yield number, [html.unescape(c) if "&" in c else c for c in cells]
    except etree.XMLSyntaxError as error:
        raise _error(path, f"is a broken ODS file ({describe(str(error), 100)})", DOWNLOAD_HINT) from None


def _calamine_text(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = "" if value is None else str(value)
    return html.unescape(text) if "&" in text else text


def _calamine_rows(path: Path) -> Iterator[Row]:
    from python_calamine import CalamineError, CalamineWorkbook  # a compiled reader: loaded only when needed

    try:
        with path.open("rb") as stream:
            workbook = CalamineWorkbook.from_filelike(stream)  # told by content: Moodle's "Excel" is .xlsx
            if not workbook.sheet_names:
                raise _error(path, "is a spreadsheet without sheets", DOWNLOAD_HINT)
            sheet = workbook.get_sheet_by_index(0)
            if sheet.width > MAX_COLUMNS:
                raise _error(path, f"has {sheet.width:,} columns, more than {MAX_COLUMNS:,}",
                             "this is not a Moodle report download")
            if sheet.height > MAX_ROWS:
                raise _error(path, f"has more than {MAX_ROWS:,} rows", "split the download by group")
            for number, values in enumerate(sheet.iter_rows(), start=1):
                cells = [_calamine_text(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    yield number, cells
    except (CalamineError, ValueError, OSError) as error:
        raise _error(path, f"cannot be read as a spreadsheet ({describe(str(error), 100)})", DOWNLOAD_HINT) from None
