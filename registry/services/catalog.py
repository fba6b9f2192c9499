"""Catalogs: the JSONL, CSV and XLSX lists that supply or override document metadata.

Columns may be in English (as in the laws corpus ``catalog.jsonl``) or carry the usual Chinese headers
(标题, 文号, 发文机关, 成文日期, 发布日期, 施行日期, 有效期至, 时效性, 类别 …). ``file`` is relative to the
catalog's folder. Every row becomes a :class:`CatalogRow`; a row that cannot be read is reported with
its number, and the rest of the catalog still loads.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ingest.dates import parse_date
from registry.errors import InvalidInput
from registry.rules.status import Status, parse_status
from registry.services.bulk import Resolver

HEADER_ALIASES: dict[str, str] = {
    "id": "id", "编号": "id",
    "title": "title", "标题": "title", "文件名称": "title", "名称": "title", "文件标题": "title",
    "doc_number": "doc_number", "文号": "doc_number", "发文字号": "doc_number", "发文文号": "doc_number",
    "registration_number": "registration_number", "统一登记号": "registration_number", "登记号": "registration_number",
    "issuer": "issuer", "发文机关": "issuer", "制定机关": "issuer", "发布机关": "issuer", "制定机构": "issuer",
    "category": "category", "类别": "category", "文件类别": "category", "效力级别": "category",
    "region": "region", "地区": "region", "行政区划": "region",
    "written_date": "written_date", "成文日期": "written_date",
    "publication_date": "publication_date", "发布日期": "publication_date", "公布日期": "publication_date",
    "effective_date": "effective_date", "施行日期": "effective_date", "生效日期": "effective_date",
    "expiry_date": "expiry_date", "有效期至": "expiry_date", "失效日期": "expiry_date",
    "status": "status", "status_code": "status_code", "时效性": "status", "效力状态": "status", "状态": "status",
    "file": "file", "文件": "file", "路径": "file",
    "source_url": "source_url", "链接": "source_url", "网址": "source_url",
    "index_no": "index_no", "索引号": "index_no",
    "topic": "topic", "主题分类": "topic",
    "repealed_by": "repealed_by", "废止文件": "repealed_by",
    "amended_by": "amended_by", "修改文件": "amended_by",
    "interprets": "interprets", "解读文件": "interprets",
    "status_basis": "status_basis", "依据": "status_basis", "备注": "status_basis",
    "status_date": "status_date", "变更日期": "status_date", "状态变更日期": "status_date", "废止日期": "status_date",
    "pinned": "pinned", "置顶": "pinned",
}
DATE_FIELDS = ("written_date", "publication_date", "effective_date", "expiry_date", "status_date")
DOCUMENT_DATE_FIELDS = DATE_FIELDS[:4]


@dataclass(slots=True)
class CatalogRow:
    """One catalog entry, with dates parsed and ``file`` resolved against the catalog's folder."""

    line: int
    values: dict[str, str]
    dates: dict[str, date | None] = field(default_factory=dict)
    status: Status | None = None
    path: Path | None = None

    @property
    def digest(self) -> str:
        raw = json.dumps(self.values, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def get(self, key: str) -> str | None:
        value = self.values.get(key)
        return value if value else None


@dataclass(slots=True)
class Catalog:
    source: Path
    rows: list[CatalogRow]
    errors: list[tuple[int, str]]

    def by_path(self) -> dict[Path, CatalogRow]:
        return {row.path: row for row in self.rows if row.path is not None}

    def anchor(self, files: list[Path]) -> int:
        """Point rows whose ``file`` is not found beside the catalog at the one ingested file whose path
        ends the same way (``docs/x.md`` under the folder being ingested); returns how many moved.

        ``files`` are resolved paths (:meth:`pathlib.Path.resolve`): a row naming one of them is found
        without asking the file system. A catalog is often saved somewhere else than the files it lists
        (a newer catalog downloaded next to a read-only corpus); its relative paths still name those
        files. Only a unique match is taken."""
        known = set(files)
        loose = [row for row in self.rows if row.path is not None and row.path not in known and row.get("file")
                 and not Path(row.values["file"]).is_absolute() and not row.path.is_file()]
        if not loose:
            return 0
        depth = max(len(Path(row.values["file"]).parts) for row in loose)
        tails: dict[tuple[str, ...], Path | None] = {}
        for f in files:
            parts = f.parts
            for k in range(1, depth + 1):
                tail = parts[-k:]
                tails[tail] = None if tail in tails and tails[tail] != f else f
        moved = 0
        for row in loose:
            found = tails.get(Path(row.values["file"]).parts)
            if found is not None:
                row.path = found
                moved += 1
        return moved


def _canonical(header: str) -> str | None:
    key = header.strip().lstrip("\ufeff")
    return HEADER_ALIASES.get(key) or HEADER_ALIASES.get(key.lower())


def _raw_rows(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        rows = []
        with path.open(encoding="utf-8-sig") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        rows.append({"__error__": f"line {n}: not valid JSON ({exc.msg})"})
        return rows
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            return []
        names = [str(h) if h is not None else "" for h in header]
        out = [dict(zip(names, row, strict=False)) for row in it if any(c not in (None, "") for c in row)]
        wb.close()
        return out
    raise InvalidInput(f"catalog {path.name}: unsupported format (use .jsonl, .csv or .xlsx)")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value).strip()


def read_catalog(path: Path) -> Catalog:
    """Load a catalog; unreadable rows are listed in ``errors`` instead of stopping the load."""
    if not path.is_file():
        raise InvalidInput(f"catalog not found: {path}")
    base = path.parent
    resolve = Resolver()  # one realpath per folder, not per row: catalogs list 100,000 files
    rows: list[CatalogRow] = []
    errors: list[tuple[int, str]] = []
    for n, raw in enumerate(_raw_rows(path), 1):
        if "__error__" in raw:
            errors.append((n, str(raw["__error__"])))
            continue
        values: dict[str, str] = {}
        for key, value in raw.items():
            canon = _canonical(str(key))
            if canon and _text(value):
                values[canon] = _text(value)
        row = CatalogRow(line=n, values=values)
        try:
            for f in DATE_FIELDS:
                if f in values:
                    parsed = parse_date(values[f])
                    if parsed is None:
                        raise ValueError(f"{f} {values[f]!r} is not a date")
                    row.dates[f] = parsed
            status_text = values.get("status_code") or values.get("status")
            if status_text:
                row.status = parse_status(status_text)
        except ValueError as exc:
            errors.append((n, str(exc)))
            continue
        if "file" in values:
            row.path = resolve(base / values["file"])
        if "title" not in values and row.path is None:
            errors.append((n, "row has neither a title nor a file"))
            continue
        rows.append(row)
    return Catalog(source=path.resolve(), rows=rows, errors=errors)
