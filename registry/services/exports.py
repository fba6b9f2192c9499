"""Exports of a filtered document list as CSV, XLSX or JSON (for clearing lists, reports and open data).

Every text cell that a spreadsheet would run as a formula (starting with = + - @ or a control character)
is prefixed with an apostrophe in CSV and XLSX, so a hostile title cannot become a formula in the
office that opens the export. JSON keeps values as they are.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any, Literal

from sqlmodel import Session

from registry.errors import InvalidInput
from registry.services.documents import list_documents
from registry.status import Status

ExportFormat = Literal["csv", "xlsx", "json"]
MAX_ROWS = 100_000
COLUMNS: tuple[str, ...] = (
    "id", "title", "doc_number", "registration_number", "issuer", "category", "region", "written_date",
    "publication_date", "effective_date", "expiry_date", "status", "label", "status_reason",
)
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_rows(
    session: Session, *, status: str | None = None, issuer: str | None = None, category: str | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """The documents matching the filters (the same filters as the list route), newest first."""
    if status and status not in Status._value2member_map_:
        raise InvalidInput(f"unknown status {status!r}", details={"allowed": [s.value for s in Status]})
    _, docs = list_documents(session, offset=0, limit=MAX_ROWS, status=status, issuer=issuer, category=category,
                             year=year)
    rows = []
    for d in docs:
        row = {c: getattr(d, c, None) for c in COLUMNS if c != "label"}
        row["label"] = Status(d.status).label if d.status in Status._value2member_map_ else d.status
        rows.append({c: (v.isoformat() if isinstance(v, date) else v) for c, v in ((c, row[c]) for c in COLUMNS)})
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """Serialise ``rows`` as ``fmt``; CSV starts with a BOM so spreadsheet programs read it as UTF-8."""
    if fmt == "json":
        return json.dumps({"total": len(rows), "items": rows}, ensure_ascii=False).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if row[c] is None else _cell(row[c]) for c in COLUMNS])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("documents")
        ws.append(list(COLUMNS))
        for row in rows:
            ws.append([_cell(row[c]) for c in COLUMNS])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise InvalidInput("format must be csv, xlsx or json", details={"format": fmt})


def export_documents(session: Session, *, fmt: str, **filters: Any) -> tuple[bytes, str]:
    """The export body and its media type."""
    if fmt not in MEDIA_TYPES:
        raise InvalidInput("format must be csv, xlsx or json", details={"format": fmt})
    return render(export_rows(session, **filters), fmt), MEDIA_TYPES[fmt]
