"""The rows an ingested file becomes: the document's column values (extracted, then the catalog's on
top), the catalog's claims and dated changes as events, and the kept copy of the source file.

Pure of any write order: :mod:`registry.services.ingestion` uses these one document at a time (a changed
file) and a chunk at a time (new documents in bulk), so both paths store exactly the same values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ingest.dates import expiry_after
from ingest.model import ExtractedDocument
from registry.models import Event, EventCreate
from registry.rules.refs import doc_number_key, registration_number_key, title_key
from registry.rules.status import EventType, Status
from registry.services.catalog import DOCUMENT_DATE_FIELDS, Catalog, CatalogRow
from registry.storage.files import FileStore


def cut(value: str | None, n: int) -> str | None:
    return value[:n] if value else value


_FIELDS = ("doc_number", "registration_number", "issuer", "category", "region", "index_no", "topic", "source_url",
           "written_date", "publication_date", "effective_date", "expiry_date")


def merged_values(ex: ExtractedDocument, row: CatalogRow | None) -> dict[str, Any]:
    """Column values for the document: extracted first, the catalog's on top (it supplies or overrides)."""
    v: dict[str, Any] = dict.fromkeys(_FIELDS)
    v["title"] = ex.title or Path(ex.source_path).stem
    for name in _FIELDS:
        value = getattr(ex, name, None)
        if value:
            v[name] = value
    if v["effective_date"] and v["publication_date"] and v["effective_date"] < v["publication_date"]:
        v["effective_date"] = None  # a date older than publication is a quoted date, not this text's start
    v.update(text=ex.text, co_issuers=list(ex.co_issuers), validity_years=ex.validity_years)
    if row is not None:
        for name in ("title", "doc_number", "registration_number", "issuer", "category", "region",
                     "index_no", "topic", "source_url"):
            if row.get(name):
                v[name] = row.values[name]
        v.update({k: row.dates[k] for k in DOCUMENT_DATE_FIELDS if k in row.dates})
        if row.get("pinned"):
            v["pinned"] = row.values["pinned"].lower() in ("1", "true", "yes", "是")
    if v["expiry_date"] is None and v["validity_years"] and v["effective_date"]:
        v["expiry_date"] = expiry_after(v["effective_date"], v["validity_years"])
    v["title"] = v["title"][:500]
    v["title_key"] = title_key(v["title"])
    v["doc_number_key"] = doc_number_key(v["doc_number"])
    v["registration_number_key"] = registration_number_key(v["registration_number"])
    return v


_DATED_CHANGE = {
    Status.REPEALED: EventType.REPEALED,
    Status.INVALID: EventType.DECLARED_INVALID,
    Status.PARTIALLY_INVALID: EventType.PARTIALLY_INVALID,
    Status.AMENDED: EventType.AMENDED,
}


def dated_change(events: list[Event], row: CatalogRow, catalog: Catalog) -> EventCreate | None:
    """A catalog that gives the date of a change (status_date / 变更日期) states the change itself: record
    it as a dated event (with its basis as evidence), so dates before it get a certain answer."""
    when = row.dates.get("status_date")
    etype = _DATED_CHANGE.get(row.status) if row.status else None
    if when is None or etype is None:
        return None
    if any(ev.type == etype.value and ev.date == when for ev in events):
        return None
    payload: dict[str, Any] = {}
    if etype is EventType.PARTIALLY_INVALID:
        payload["provisions"] = row.get("status_basis") or "见目录说明"
    return EventCreate(type=etype.value, date=when, legal_basis=row.get("status_basis"), payload=payload,
                       evidence={"catalog": str(catalog.source), "line": row.line})


def claim(events: list[Event], row: CatalogRow, catalog: Catalog, as_of: date) -> EventCreate | None:
    """The catalog's status claim, unless the same claim (status, date, source) is already there."""
    assert row.status is not None
    source = catalog.source.name
    for ev in events:
        if (ev.type == EventType.STATUS_ASSERTED.value and ev.payload.get("status") == row.status.value
                and ev.date == as_of and ev.payload.get("source") == source):
            return None
    return EventCreate(type=EventType.STATUS_ASSERTED.value, date=as_of, legal_basis=row.get("status_basis"),
                       payload={"status": row.status.value, "source": source},
                       evidence={"catalog": str(catalog.source), "line": row.line,
                                 "as_published": row.get("status") or row.status.label})


def stored_name(path: Path, sha: str) -> str:
    """The name a source file with these bytes is kept under: by content, so the same bytes are stored once."""
    return f"{sha[:2]}/{sha}{path.suffix.lower()}"


def store_file(path: Path, sha: str, store: FileStore) -> str:
    """Keep a copy of the source file in ``store``, named by content, so it can be downloaded and backed up
    (by any API process when the store is the database); the same bytes are stored once."""
    name = stored_name(path, sha)
    store.put(name, path)
    return name


def catalog_events(events: list[Event], row: CatalogRow | None, catalog: Catalog | None,
                   as_of: date) -> list[EventCreate]:
    """What a catalog row states about a document with these ``events``: a dated change and the claim,
    each only when not already recorded."""
    if row is None or row.status is None or catalog is None:
        return []
    return [e for e in (dated_change(events, row, catalog), claim(events, row, catalog, as_of)) if e]


__all__ = ["catalog_events", "claim", "cut", "dated_change", "merged_values", "store_file", "stored_name"]
