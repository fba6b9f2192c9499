"""Exports of a filtered document list as CSV, XLSX or JSON (for clearing lists, reports and open data).

Every text cell that a spreadsheet would run as a formula (starting with = + - @ or a control character)
is prefixed with an apostrophe in CSV and XLSX, so a hostile title cannot become a formula in the
office that opens the export. JSON keeps values as they are.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Literal

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.models import Document
from registry.rules.status import Status
from registry.rules.text import xml_safe
from registry.services.lookup import PUBLISHED
from search.model import SearchBackend, SearchQuery

ExportFormat = Literal["csv", "xlsx", "json"]
MAX_ROWS = 100_000
MAX_SEARCH_ROWS = 1_000
XLSX_CELL_MAX = 32_767
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


def iter_rows(
    session: Session, *, backend: SearchBackend | None = None, q: str = "", status: list[str] | None = None,
    issuer: list[str] | None = None, category: list[str] | None = None, year: list[int] | None = None,
    text: bool = False,
) -> Iterator[dict[str, Any]]:
    """The published documents of a filtered list: the same filters as the list and search routes.

    Without ``q`` every matching document, newest first, as a stream: only the exported columns are read
    (a document's text only when ``text`` asks for it, as a last column), a thousand rows at a time, so a
    100,000-row export holds a chunk in memory, not the registry. With ``q`` the search results in their
    ranked order (the first ``MAX_SEARCH_ROWS``), so "export what I see" works for a search too.
    """
    for s in status or []:
        Status.require(s)
    columns = columns_of(text=text)
    if q.strip():
        if backend is None:
            raise InvalidInput("searching needs the search index")
        yield from (_row(d, columns) for d in _searched(session, backend, q, status or [], issuer or [],
                                                        category or [], year or []))
        return
    wanted = [c for c in columns if c != "label"]
    query = _filtered(select(*(getattr(Document, c) for c in wanted)), status, issuer, category, year)
    query = query.order_by(col(Document.publication_date).desc(), col(Document.id)).limit(MAX_ROWS)
    for values in session.execute(query.execution_options(yield_per=1000)):
        row = dict(zip(wanted, values, strict=True))
        row["label"] = Status.label_of(row["status"])
        yield {c: (row[c].isoformat() if isinstance(row[c], date) else row[c]) for c in columns}


def count_rows(
    session: Session, *, backend: SearchBackend | None = None, q: str = "", status: list[str] | None = None,
    issuer: list[str] | None = None, category: list[str] | None = None, year: list[int] | None = None,
    **_: Any,
) -> int:
    """How many rows :func:`iter_rows` would give for these filters (one COUNT, or the search's total),
    so a caller decides between streaming and a job before reading any row."""
    if q.strip():
        if backend is None:
            raise InvalidInput("searching needs the search index")
        total = backend.search(SearchQuery(q=q[:500], statuses=status or [], issuers=issuer or [],
                                           categories=category or [], years=year or [], per_page=1,
                                           with_facets=False, with_snippets=False)).total
        return min(total, MAX_SEARCH_ROWS)
    query = _filtered(select(func.count()).select_from(Document), status, issuer, category, year)
    return min(int(session.execute(query).scalar_one()), MAX_ROWS)


def columns_of(*, text: bool = False) -> tuple[str, ...]:
    """The exported columns: :data:`COLUMNS`, and ``text`` last when the full text was asked for."""
    return (*COLUMNS, "text") if text else COLUMNS


def _filtered(query: Any, status: list[str] | None, issuer: list[str] | None, category: list[str] | None,
              year: list[int] | None) -> Any:
    query = query.where(PUBLISHED)  # the public list only
    if status:
        query = query.where(col(Document.status).in_(status))
    if issuer:
        query = query.where(col(Document.issuer).in_(issuer))
    if category:
        query = query.where(col(Document.category).in_(category))
    if year:
        query = query.where(or_(*(and_(col(Document.publication_date) >= date(y, 1, 1),
                                       col(Document.publication_date) <= date(y, 12, 31)) for y in year)))
    return query


def check_filters(fmt: str, status: list[str] | None = None, **_: Any) -> None:
    """InvalidInput for a bad format or status, before a stream has started (a started stream cannot 422)."""
    if fmt not in MEDIA_TYPES:
        raise InvalidInput("format must be csv, xlsx or json", details={"format": fmt})
    for s in status or []:
        Status.require(s)


def stream(rows: Iterable[dict[str, Any]], fmt: str, *, chunk_rows: int = 500,
           columns: tuple[str, ...] = COLUMNS) -> Iterator[bytes]:
    """Serialise ``rows`` as ``fmt`` piece by piece (CSV with a BOM, JSON ``{"items": […], "total": n}``,
    XLSX through openpyxl's write-only mode, which keeps rows on disk until the file is assembled)."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        buf.write("\ufeff")
        writer.writerow(columns)
        for n, row in enumerate(rows, 1):
            writer.writerow(["" if row[c] is None else spreadsheet_safe(row[c]) for c in columns])
            if n % chunk_rows == 0:
                yield buf.getvalue().encode("utf-8")
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue().encode("utf-8")
    elif fmt == "json":
        yield b'{"items": ['
        n = 0
        for n, row in enumerate(rows, 1):
            yield (b"" if n == 1 else b",") + json.dumps(row, ensure_ascii=False).encode("utf-8")
        yield f'], "total": {n}}}'.encode()
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("documents")
        ws.append(list(columns))
        for row in rows:
            ws.append([_cell(spreadsheet_safe(row[c])) for c in columns])
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
            wb.save(out)
            out.seek(0)
            while piece := out.read(256 * 1024):
                yield piece
    else:
        raise InvalidInput("format must be csv, xlsx or json", details={"format": fmt})


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


def _row(d: Document, columns: tuple[str, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for c in columns:
        value = Status.label_of(d.status) if c == "label" \
            else getattr(d, c, None)
        row[c] = value.isoformat() if isinstance(value, date) else value
    return row


def _cell(value: Any) -> Any:
    """An XLSX cell holds at most 32,767 characters (a long full text is cut there, as Excel would)."""
    return value[:XLSX_CELL_MAX] if isinstance(value, str) else value


def spreadsheet_safe(value: Any) -> Any:
    """A value safe in a spreadsheet: never a formula, never a character XLSX cannot store."""
    if isinstance(value, str):
        if value.startswith(_FORMULA_START):
            value = "'" + value
        return xml_safe(value)
    return value


def render(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """Serialise ``rows`` as ``fmt`` in one piece (see :func:`stream`)."""
    return b"".join(stream(rows, fmt))
