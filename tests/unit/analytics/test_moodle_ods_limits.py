"""An ODS download whose cells stand for more text than they hold (analytics/moodle_files.py).

``<text:s text:c="131072"/>`` is 24 bytes that mean 131,072 spaces: a few thousand of them in an
850-byte zip once made the reader build a string of a gigabyte before it refused the cell. The
reader now stops as soon as a cell passes the limit.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from support.sandbox import run_python

from scormbuild.analytics.moodle_files import MAX_CELL_CHARS, read_rows
from scormbuild.errors import ReportError

HEADER = ["Name", "Attempt", "Started on", "Last accessed on", "Score"]


def ods(path: Path, second_row_cells: list[str]) -> Path:
    """A spreadsheet of a header row and one row of raw cell XML (``text:p`` contents)."""
    def row(cells: list[str]) -> str:
        return "<table:table-row>" + "".join(
            f"<table:table-cell office:value-type='string'><text:p>{c}</text:p></table:table-cell>" for c in cells
        ) + "</table:table-row>"
    content = ("<?xml version='1.0' encoding='UTF-8'?><office:document-content "
               "xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0' "
               "xmlns:table='urn:oasis:names:tc:opendocument:xmlns:table:1.0' "
               "xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0'><office:body><office:spreadsheet>"
               f"<table:table table:name='s'>{row(HEADER)}{row(second_row_cells)}</table:table>"
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path


SPACES = "<text:s text:c='131072'/>"


def test_a_cell_of_too_many_spaces_is_refused_naming_its_row_and_column(tmp_path: Path) -> None:
    path = ods(tmp_path / "spaces.ods", ["Ann", "x" + SPACES * 2])
    with pytest.raises(ReportError) as error:
        list(read_rows(path))
    assert str(error.value).startswith(f"{path}, row 2, column 2: has a cell of more than 131,072 characters")


@pytest.mark.parametrize("count", ["abc", "-3", "٣", "9" * 5000, ""])
def test_odd_space_counts_are_read_or_refused_without_a_traceback(tmp_path: Path, count: str) -> None:
    path = ods(tmp_path / "odd.ods", [f"a<text:s text:c='{count}'/>b"])
    try:
        rows = list(read_rows(path))
    except ReportError as error:
        assert "row 2, column 1: has a cell of more than" in str(error)
    else:
        assert rows[1] == (2, ["a b"])


def test_a_cell_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = ods(tmp_path / "limit.ods", ["x" + "<text:s text:c='65535'/>" * 2 + "<text:line-break/>"])
    assert len(list(read_rows(path))[1][1][0]) == MAX_CELL_CHARS


@pytest.mark.slow
def test_a_small_ods_standing_for_a_gigabyte_is_refused_in_little_memory(tmp_path: Path) -> None:
    path = ods(tmp_path / "bomb.ods", ["x" + SPACES * 4_000])
    assert path.stat().st_size < 2_000
    ended = run_python(["-c", (
        "import sys; from pathlib import Path\n"
        "from scormbuild.analytics.moodle_files import read_rows\n"
        "from scormbuild.errors import ReportError\n"
        "try:\n    list(read_rows(Path(sys.argv[1])))\n"
        "except ReportError as error:\n    print(error)\n"), str(path)], memory_mb=400)
    assert ended.returncode == 0, ended.explain()
    assert "row 2, column 1: has a cell of more than 131,072 characters" in ended.stdout
