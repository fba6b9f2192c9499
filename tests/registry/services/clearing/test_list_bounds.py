"""A clearing list is read within bounds whatever it declares (issue 18, XLSX import amplification)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from registry.errors import InvalidInput
from registry.services.clearing.lists import MAX_COLUMNS, MAX_ROWS, read_list

HEADER = ["序号", "文件名称", "文号", "清理结果"]


def _workbook(path: Path, rows: list[list[object]], declared: str | None = None) -> Path:
    """An .xlsx with ``rows``; ``declared`` rewrites the sheet's <dimension> the way a hostile file can."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if declared and item.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b'<dimension ref="')
                end = data.index(b'"/>', start)
                data = data[:start] + f'<dimension ref="{declared}'.encode() + data[end:]
            dst.writestr(item, data)
    return path


def test_a_declared_range_of_17_billion_cells_reads_as_the_cells_it_holds(tmp_path: Path) -> None:
    rows = [HEADER] + [[n, f"示例市测试办法{n}", f"示政发〔2024〕{n}号", "废止"] for n in range(1, 301)]
    path = _workbook(tmp_path / "hostile.xlsx", rows, declared="A1:XFD1048576")
    listed = read_list(path)
    assert len(listed) == 300 and listed[0].title == "示例市测试办法1"


def test_widths_are_cut_at_the_column_bound(tmp_path: Path) -> None:
    from registry.services.clearing.lists import _tables

    path = _workbook(tmp_path / "wide.xlsx", [HEADER, [1, "示例市测试办法", "示政发〔2024〕1号", "废止"]],
                     declared="A1:XFD1048576")
    sheets = _tables(path)
    assert max(len(r) for r in sheets[0][1]) <= MAX_COLUMNS


def test_a_list_longer_than_the_row_bound_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    lines = [",".join(HEADER)] + [f"{n},示例市测试办法{n},,废止" for n in range(MAX_ROWS + 5)]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InvalidInput, match="行"):
        read_list(path)
