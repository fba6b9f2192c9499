"""``normreg ingest``: files (and a catalog) in, documents, versions, events and relations out.

Guarantees, in the order a user relies on them:
- one bad file never stops the batch: it is reported with its reason and the rest goes in;
- each document is written in its own transaction, so a killed batch keeps everything finished so far,
  and running it again skips unchanged files (same path, same bytes, same catalog row) and duplicates
  nothing;
- a changed file becomes a new version of the same document, never a second document;
- a catalog's status is recorded as a claim (an event whose evidence is the catalog, as of a date),
  never typed into the status: the validity engine decides the status from dates and events.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

import ingest
from ingest.dates import expiry_after
from ingest.errors import IngestError
from ingest.model import ExtractedDocument
from registry.models import Article, Document, Event, EventCreate, Relation, SourceFile
from registry.models._types import utcnow
from registry.rules.refs import doc_number_key, registration_number_key, title_key
from registry.rules.status import EventType, Status
from registry.services.catalog import DOCUMENT_DATE_FIELDS, Catalog, CatalogRow, read_catalog
from registry.services.documents import new_id
from registry.services.events import append_many
from registry.services.relations import link_catalog_relations, link_stated_references
from registry.services.validity import events_of, refresh_status
from registry.storage import audit

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    documents: list[dict[str, str]] = field(default_factory=list)
    relations: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "failed": self.failed, "documents": self.documents, "relations": self.relations}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(slots=True)
class _Job:
    path: Path  # resolved: the key for versions of the same file
    given: Path  # as the user named it: what reports show
    sha256: str
    row: CatalogRow | None
    document_id: str | None  # existing document this file belongs to


def ingest_paths(
    session: Session,
    *,
    paths: Iterable[Path],
    catalog_path: Path | None,
    files_dir: Path,
    as_of: date,
    today: date,
    jobs: int = 1,
    limits: ingest.Limits | None = None,
    progress: Progress | None = None,
    actor: str | None = None,
) -> IngestReport:
    """Ingest every supported file under ``paths``; a catalog supplies or overrides metadata.

    Each stored document gets one audit entry naming ``actor`` (default: the command-line user)."""
    report = IngestReport()
    actor = actor or audit.cli_actor()
    catalog: Catalog | None = read_catalog(catalog_path) if catalog_path else None
    if catalog:
        for line, error in catalog.errors:
            report.failed.append({"path": f"{catalog.source}:{line}", "error": error})
    rows_by_path = catalog.by_path() if catalog else {}

    paths = list(paths)
    files = list(ingest.iter_files(paths))
    seen = {p.resolve() for p in files}
    roots = [Path(p).resolve() for p in paths]
    for listed, listed_row in rows_by_path.items():
        # a catalog may list files iter_files skipped (odd suffixes) or that are missing; only those
        # under the paths asked for belong to this batch
        if listed not in seen and any(listed == r or r in listed.parents for r in roots):
            if listed.is_file():
                files.append(listed)
                seen.add(listed)
            else:
                report.failed.append({"path": str(listed),
                                      "error": f"listed in the catalog (line {listed_row.line}) but not found"})

    latest: dict[str, tuple[str, str | None, str]] = {}
    for origin, sha, meta, owner in session.exec(
            select(SourceFile.origin, SourceFile.sha256, SourceFile.meta_hash, SourceFile.document_id)
            .order_by(col(SourceFile.version_no))):
        latest[origin] = (sha, meta, owner)
    known_ids = set(session.exec(select(Document.id)).all())
    session.expunge_all()
    todo: list[_Job] = []
    for n, path in enumerate(files, 1):
        resolved = path.resolve()
        row = rows_by_path.get(resolved)
        try:
            sha = file_sha256(resolved)
        except OSError as exc:
            report.failed.append({"path": str(path), "error": f"cannot read file: {exc.strerror or exc}"})
            continue
        existing = latest.get(str(resolved))
        meta = row.digest if row else None
        if existing and existing[0] == sha and existing[1] == meta:
            report.unchanged += 1
            report.documents.append({"path": str(path), "id": existing[2], "result": "unchanged"})
            if progress:
                progress(n, len(files), str(path))
            continue
        doc_id = existing[2] if existing else (row.get("id") if row else None)
        todo.append(_Job(path=resolved, given=path, sha256=sha, row=row, document_id=doc_id))

    by_path = {job.path: job for job in todo}
    done = len(files) - len(todo)
    for path, result in ingest.extract_many([j.path for j in todo], jobs=jobs, limits=limits):
        done += 1
        job = by_path[Path(path)]
        shown = str(job.given)
        if isinstance(result, IngestError):
            report.failed.append({"path": shown, "error": str(result) or type(result).__name__})
        else:
            try:
                doc_id, outcome = _store(session, job, result, catalog, files_dir, as_of, today, known_ids)
                audit.record(session, actor=actor, action=f"ingest.{outcome}", target=doc_id,
                             details={"file": job.path.name, "sha256": job.sha256,
                                      "catalog": catalog.source.name if catalog else None})
                session.commit()
                session.expunge_all()  # keep the identity map small: flush cost grows with it
            except Exception as exc:  # one broken record never stops the batch
                session.rollback()
                report.failed.append({"path": shown, "error": f"could not store: {exc}"})
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
                report.documents.append({"path": shown, "id": doc_id, "result": outcome})
        if progress:
            progress(done, len(files), shown)

    report.relations = link_catalog_relations(session, catalog, today=today) if catalog else 0
    report.relations += link_stated_references(session)
    if report.relations:
        audit.record(session, actor=actor, action="ingest.relations", target=None,
                     details={"linked": report.relations})
    session.commit()
    return report


def _store(
    session: Session, job: _Job, ex: ExtractedDocument, catalog: Catalog | None, files_dir: Path,
    as_of: date, today: date, known_ids: set[str],
) -> tuple[str, str]:
    """Write one extracted file: the document (new, or a new version), its articles, file, references and
    the catalog's claim, and its derived status. Plain Core statements: this runs thousands of times."""
    row = job.row
    doc_id = job.document_id or new_id()
    existing = session.get(Document, doc_id) if doc_id in known_ids else None
    values = _merged_values(ex, row)
    now = utcnow()
    if existing is None:
        values.update(id=doc_id, version=1, created_at=now, updated_at=now, pinned=values.get("pinned", False),
                      status="unknown", status_reason="", published_at=now)  # ingested files are public
        session.execute(insert(Document), [values])
        old_status: str | None = None
        events: list[Event] = []
    else:
        old_status = existing.status
        values.update(version=existing.version + 1, updated_at=now)
        session.execute(update(Document).where(col(Document.id) == doc_id).values(**values))
        events = events_of(session, doc_id)

    # Articles and stated references are plain rows: Core inserts keep 60,000 of them out of the ORM.
    session.execute(delete(Article).where(col(Article.document_id) == doc_id))
    if ex.articles:
        session.execute(insert(Article), [
            {"document_id": doc_id, "ordinal": a.ordinal, "number": a.number[:40], "chapter": _cut(a.chapter, 200),
             "heading": _cut(a.heading, 200), "text": a.text} for a in ex.articles])

    version_no = 1 + len(session.exec(select(SourceFile.id).where(SourceFile.document_id == doc_id)).all()) \
        if existing is not None else 1
    stored = _store_file(job.path, job.sha256, files_dir)
    session.execute(insert(SourceFile), [{
        "document_id": doc_id, "origin": str(job.path), "sha256": job.sha256, "size_bytes": ex.size_bytes,
        "format": ex.source_format, "stored_name": stored, "version_no": version_no,
        "meta_hash": row.digest if row else None, "ingested_at": now}])

    session.execute(delete(Relation).where(col(Relation.source_id) == doc_id, col(Relation.state) == "stated"))
    if ex.references:
        session.execute(insert(Relation), [
            {"source_id": doc_id, "kind": r.kind, "target_title": _cut(r.target_title, 500),
             "target_doc_number": _cut(r.target_doc_number, 100), "quote": r.quote[:2000], "state": "stated",
             "created_at": now} for r in ex.references])

    items: list[EventCreate] = []
    if row is not None and row.status is not None and catalog is not None:
        items = [e for e in (_dated_change(events, row, catalog), _claim(events, row, catalog, as_of)) if e]
    # a detached copy of the row's values: the status is derived from it without loading the row back
    doc = Document.model_validate({**values, "id": doc_id, "status": old_status or ""})
    if items and catalog is not None:
        append_many(session, document=doc, items=items, actor=f"catalog:{catalog.source.name}", today=today,
                    prior=events, audited=False)
    else:
        refresh_status(session, doc, today, events=events)
    known_ids.add(doc_id)
    return doc_id, "added" if existing is None else "updated"


def _cut(value: str | None, n: int) -> str | None:
    return value[:n] if value else value


_FIELDS = ("doc_number", "registration_number", "issuer", "category", "region", "index_no", "topic", "source_url",
           "written_date", "publication_date", "effective_date", "expiry_date")


def _merged_values(ex: ExtractedDocument, row: CatalogRow | None) -> dict[str, Any]:
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


def _dated_change(events: list[Event], row: CatalogRow, catalog: Catalog) -> EventCreate | None:
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


def _claim(events: list[Event], row: CatalogRow, catalog: Catalog, as_of: date) -> EventCreate | None:
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


def _store_file(path: Path, sha: str, files_dir: Path) -> str:
    """Keep a copy of the source file, named by content, so it can be downloaded and backed up."""
    name = f"{sha[:2]}/{sha}{path.suffix.lower()}"
    target = files_dir / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    return name


__all__ = ["IngestReport", "ingest_paths"]
