"""Reading the clearing lists offices write, and writing the lists they publish.

Offices write lists in Excel or CSV with a title line or two above the header, Chinese headers in several
wordings, and sometimes one sheet per result (废止目录, 失效目录) without a result column. ``read_list``
copes with all of that and refuses a list whose result it cannot read, naming the rows: a guessed result
would be a wrong label. ``write_lists`` produces the four published lists (继续有效目录, 修改目录, 废止目录,
失效目录) as CSV, XLSX (one sheet each), JSON or escaped HTML.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from registry.errors import InvalidInput
from registry.rules.status import ClearingResult
from registry.services.exports import spreadsheet_safe

HEADERS: dict[str, str] = {
    "序号": "serial", "编号": "serial", "顺序号": "serial",
    "文件名称": "title", "标题": "title", "名称": "title", "文件标题": "title", "规范性文件名称": "title",
    "文件名": "title",
    "文号": "doc_number", "发文字号": "doc_number", "发文文号": "doc_number", "文件编号": "doc_number",
    "制定机关": "issuer", "发文机关": "issuer", "制定机构": "issuer", "发布机关": "issuer", "制定单位": "issuer",
    "发文单位": "issuer",
    "清理结果": "result", "清理意见": "result", "处理意见": "result", "清理情况": "result", "处理结果": "result",
    "清理结论": "result", "结果": "result",
    "备注": "note", "说明": "note", "理由": "note", "清理理由": "note",
}
RESULT_WORDS: dict[str, ClearingResult] = {
    "继续有效": ClearingResult.CONTINUE, "保留": ClearingResult.CONTINUE, "有效": ClearingResult.CONTINUE,
    "现行有效": ClearingResult.CONTINUE, "继续保留": ClearingResult.CONTINUE,
    "修改": ClearingResult.AMEND, "拟修改": ClearingResult.AMEND, "需修改": ClearingResult.AMEND,
    "予以修改": ClearingResult.AMEND, "修订": ClearingResult.AMEND,
    "废止": ClearingResult.REPEAL, "拟废止": ClearingResult.REPEAL, "予以废止": ClearingResult.REPEAL,
    "宣布失效": ClearingResult.DECLARE_INVALID, "拟宣布失效": ClearingResult.DECLARE_INVALID,
    "失效": ClearingResult.INVALID, "已失效": ClearingResult.INVALID,
}
# The lists offices publish, in the order they are usually printed.
PUBLISHED: tuple[tuple[str, frozenset[ClearingResult]], ...] = (
    ("继续有效目录", frozenset({ClearingResult.CONTINUE})),
    ("修改目录", frozenset({ClearingResult.AMEND})),
    ("废止目录", frozenset({ClearingResult.REPEAL})),
    ("失效目录", frozenset({ClearingResult.DECLARE_INVALID, ClearingResult.INVALID})),
)
COLUMNS = ("序号", "文件名称", "文号", "制定机关", "清理结果", "备注")
FORMATS = ("csv", "xlsx", "json", "html")


@dataclass(slots=True)
class ListRow:
    """One row as the office wrote it; ``row`` numbers rows across the whole file from 1."""

    row: int
    serial: str | None
    title: str
    doc_number: str | None
    issuer: str | None
    result: ClearingResult
    note: str | None


def parse_result(text: str) -> ClearingResult | None:
    value = "".join(text.split())
    if value in RESULT_WORDS:
        return RESULT_WORDS[value]
    for word in sorted(RESULT_WORDS, key=len, reverse=True):  # 拟废止（已被替代） and the like
        if value.startswith(word):
            return RESULT_WORDS[word]
    return None


def _sheet_result(name: str) -> ClearingResult | None:
    for label, results in PUBLISHED:
        if label[:-2] in name:
            return ClearingResult.INVALID if ClearingResult.INVALID in results else next(iter(results))
    return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


MAX_ROWS = 20_000  # far more than any office's clearing list; refused beyond, not truncated
MAX_COLUMNS = 50
MAX_SHEETS = 20


def _tables(path: Path) -> list[tuple[str, list[list[str]]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput("文件不是 UTF-8 或 GB18030 编码的文本 (the file is not UTF-8 or GB18030 text)")
        rows: list[list[str]] = []
        for r in csv.reader(io.StringIO(text)):
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(f"清单超过 {MAX_ROWS} 行，请分成几个文件导入 (a clearing list has at most {MAX_ROWS} rows)",
                                   details={"max_rows": MAX_ROWS})
            rows.append([c.strip() for c in r[:MAX_COLUMNS]])
        return [(path.stem, rows)]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise InvalidInput("无法读取该 Excel 文件，请确认它是 .xlsx 格式 (not a readable Excel workbook)",
                               details={"error": str(exc)[:200]}) from exc
        try:
            return [(ws.title, _bounded_rows(ws)) for ws in wb.worksheets[:MAX_SHEETS]]
        finally:
            wb.close()
    raise InvalidInput("清理结果清单应为 .xlsx 或 .csv 文件；旧版 .xls 文件请在 Excel 中另存为 .xlsx "
                       "(use an .xlsx or .csv clearing list; save an .xls as .xlsx first)")


def _bounded_rows(ws: Any) -> list[list[str]]:
    """A sheet's rows, read within bounds whatever the file declares: a 5 KB workbook may claim the range
    A1:XFD1048576 (17 billion cells), so the declared size is ignored (``reset_dimensions``), columns stop
    at MAX_COLUMNS and a sheet longer than MAX_ROWS is refused before it is read to the end."""
    ws.reset_dimensions()
    rows: list[list[str]] = []
    for r in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        if len(rows) >= MAX_ROWS:
            raise InvalidInput(f"清单超过 {MAX_ROWS} 行，请分成几个文件导入 (a clearing list has at most {MAX_ROWS} rows)",
                               details={"max_rows": MAX_ROWS, "sheet": ws.title})
        rows.append([_cell(c) for c in r])
    return rows


def _header(rows: list[list[str]]) -> tuple[int, dict[int, str]] | None:
    for n, cells in enumerate(rows[:15]):
        found = {i: HEADERS["".join(c.split())] for i, c in enumerate(cells) if "".join(c.split()) in HEADERS}
        if "title" in found.values() or "doc_number" in found.values():
            return n, found
    return None


def read_list(path: Path) -> list[ListRow]:
    """Every row of the list; InvalidInput naming the rows whose result cannot be read."""
    if not path.is_file():
        raise InvalidInput(f"找不到清理结果清单 (clearing list not found): {path}")
    out: list[ListRow] = []
    problems: list[dict[str, Any]] = []
    for sheet, rows in _tables(path):
        head = _header(rows)
        if head is None:
            continue
        start, columns = head
        default = _sheet_result(sheet)
        if "result" not in columns.values() and default is None:
            problems.append({"sheet": sheet, "error": "没有“清理结果”列，工作表名称也不是某一目录 "
                                                      "(no 清理结果 column and the sheet name names no list)"})
            continue
        for cells in rows[start + 1:]:
            values: dict[str, str] = {}
            for i, name in columns.items():
                if i < len(cells) and cells[i]:
                    values.setdefault(name, cells[i])
            if not (values.get("title") or values.get("doc_number")):
                continue
            n = len(out) + len(problems) + 1
            result = parse_result(values["result"]) if values.get("result") else default
            if result is None:
                problems.append({"row": n, "sheet": sheet, "title": values.get("title"),
                                 "error": f"无法识别的清理结果 (unknown clearing result) {values.get('result')!r}"})
                continue
            out.append(ListRow(n, values.get("serial"), values.get("title", ""), values.get("doc_number"),
                               values.get("issuer"), result, values.get("note")))
    if problems:
        raise InvalidInput(f"有 {len(problems)} 行无法读取；清理结果应为 继续有效、修改、废止、宣布失效 或 失效 "
                           f"({len(problems)} rows cannot be read; results must be one of 继续有效, 修改, 废止, 宣布失效, "
                           "失效)", details=problems)
    if not out:
        raise InvalidInput("清单中没有可读取的行：需要一行含“文件名称”或“文号”的表头，以及“清理结果”列 "
                           "(no rows found: a header with 文件名称 or 文号 and a 清理结果 column are needed)")
    return out


def group(entries: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Entries (``title``, ``doc_number``, ``issuer``, ``result``, ``note``) split into the published lists,
    numbered from 1 within each."""
    lists: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in PUBLISHED}
    for entry in entries:
        for label, results in PUBLISHED:
            if entry["result"] in results:
                lists[label].append({"序号": len(lists[label]) + 1, "文件名称": entry["title"],
                                     "文号": entry.get("doc_number") or "", "制定机关": entry.get("issuer") or "",
                                     "清理结果": entry["result"], "备注": entry.get("note") or "",
                                     "id": entry.get("id")})
    return lists


def write_lists(campaign: str, decided_on: date, lists: dict[str, list[dict[str, Any]]], fmt: str, out: Path) -> None:
    """Write the published lists; CSV carries one 目录 column, XLSX one sheet per list. A cell a spreadsheet
    would run as a formula (= + - @) is neutralised as the document exports do."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        out.write_text(json.dumps({"campaign": campaign, "decided_on": decided_on.isoformat(), "lists": lists},
                                  ensure_ascii=False, indent=2), encoding="utf-8")
    elif fmt == "csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens it as UTF-8
            w = csv.writer(fh)
            w.writerow(("目录", *COLUMNS))
            for label, entries in lists.items():
                for e in entries:
                    w.writerow((label, *(spreadsheet_safe(e[c]) for c in COLUMNS)))
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        wb.remove(wb.active)  # type: ignore[arg-type]
        for label, entries in lists.items():
            ws = wb.create_sheet(label)
            ws.append([spreadsheet_safe(f"{campaign}{label}（{decided_on.isoformat()}）")])
            ws.append(list(COLUMNS))
            for cell in ws[2]:
                cell.font = Font(bold=True)
            for e in entries:
                ws.append([spreadsheet_safe(e[c]) for c in COLUMNS])
            ws.column_dimensions["B"].width = 60
            ws.column_dimensions["C"].width = 24
            ws.column_dimensions["D"].width = 24
        wb.save(out)
    else:
        out.write_text(_html(campaign, decided_on, lists), encoding="utf-8")


def _html(campaign: str, decided_on: date, lists: dict[str, list[dict[str, Any]]]) -> str:
    esc = html.escape
    parts = ["<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             f"<title>{esc(campaign)}清理结果</title></head><body>",
             f"<h1>{esc(campaign)}清理结果</h1><p>决定日期：{esc(decided_on.isoformat())}</p>"]
    for label, entries in lists.items():
        parts.append(f"<h2>{esc(label)}（{len(entries)}件）</h2><table><thead><tr>")
        parts += [f"<th>{esc(c)}</th>" for c in COLUMNS]
        parts.append("</tr></thead><tbody>")
        for e in entries:
            parts.append("<tr>" + "".join(f"<td>{esc(str(e[c]))}</td>" for c in COLUMNS) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
