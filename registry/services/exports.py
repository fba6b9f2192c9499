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

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.models import Document
from registry.rules.status import Status
from search.model import SearchBackend, SearchQuery

ExportFormat = Literal["csv", "xlsx", "json"]
MAX_ROWS = 100_000
MAX_SEARCH_ROWS = 1_000
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
    session: Session, *, backend: SearchBackend | None = None, q: str = "", status: list[str] | None = None,
    issuer: list[str] | None = None, category: list[str] | None = None, year: list[int] | None = None,
) -> list[dict[str, Any]]:
    """The documents of a filtered list: the same filters as the list and search routes.

    Without ``q`` every matching document, newest first; with ``q`` the search results in their ranked
    order (the first ``MAX_SEARCH_ROWS``), so "export what I see" works for a search too.
    """
    for s in status or []:
        Status.require(s)
    if q.strip():
        if backend is None:
            raise InvalidInput("searching needs the search index")
        docs = _searched(session, backend, q, status or [], issuer or [], category or [], year or [])
    else:
        query = select(Document)
        if status:
            query = query.where(col(Document.status).in_(status))
        if issuer:
            query = query.where(col(Document.issuer).in_(issuer))
        if category:
            query = query.where(col(Document.category).in_(category))
        if year:
            query = query.where(or_(*(and_(col(Document.publication_date) >= date(y, 1, 1),
                                           col(Document.publication_date) <= date(y, 12, 31)) for y in year)))
        docs = list(session.exec(query.order_by(col(Document.publication_date).desc(), col(Document.id))
                                 .limit(MAX_ROWS)))
    return [_row(d) for d in docs]


def _searched(session: Session, backend: SearchBackend, q: str, statuses: list[str], issuers: list[str],
              categories: list[str], years: list[int]) -> list[Document]:
    ids: list[str] = []
    for page in range(1, MAX_SEARCH_ROWS // 100 + 1):
        result = backend.search(SearchQuery(q=q[:500], statuses=statuses, issuers=issuers, categories=categories,
                                            years=years, page=page, per_page=100, with_facets=False,
                                            with_snippets=False))
        ids += [h.id for h in result.hits]
        if len(result.hits) < 100 or len(ids) >= result.total:
            break
    found = {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def _row(d: Document) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for c in COLUMNS:
        value = Status.label_of(d.status) if c == "label" \
            else getattr(d, c, None)
        row[c] = value.isoformat() if isinstance(value, date) else value
    return row


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a spreadsheet may hold it: text a spreadsheet would run as a formula gets an apostrophe."""
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
            writer.writerow(["" if row[c] is None else spreadsheet_safe(row[c]) for c in COLUMNS])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("documents")
        ws.append(list(COLUMNS))
        for row in rows:
            ws.append([spreadsheet_safe(row[c]) for c in COLUMNS])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise InvalidInput("format must be csv, xlsx or json", details={"format": fmt})


def export_documents(session: Session, *, fmt: str, **filters: Any) -> tuple[bytes, str]:
    """The export body and its media type."""
    if fmt not in MEDIA_TYPES:
        raise InvalidInput("format must be csv, xlsx or json", details={"format": fmt})
    return render(export_rows(session, **filters), fmt), MEDIA_TYPES[fmt]
