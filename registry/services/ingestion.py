"""``normreg ingest``: files (and a catalog) in, documents, versions, events and relations out.

Guarantees, in the order a user relies on them:
- one bad file never stops the batch: it is reported with its reason and the rest goes in;
- documents are written a chunk at a time (up to ``CHUNK_DOCUMENTS`` read files, or what was read within
  ``CHUNK_SECONDS``), each chunk in one transaction with its files, articles, events, status changes,
  audit entries and outbox rows, so a killed batch keeps every chunk committed so far and nothing of
  the one in flight; running it again skips unchanged files (same path, same bytes, same catalog row)
  and duplicates nothing. A chunk that cannot be stored as a whole is stored again one document per
  transaction, so a broken record costs only itself;
- a changed file becomes a new version of the same document, never a second document;
- a catalog's status is recorded as a claim (an event whose evidence is the catalog, as of a date),
  never typed into the status: the validity engine decides the status from dates and events.

The search index follows each chunk's commit through the outbox hook, a chunk at a time, fed from a
thread of its own while the next chunk is read and stored (:func:`registry.storage.indexing.fed_in_background`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col, select

import ingest
from ingest.errors import IngestError
from ingest.model import ExtractedDocument
from registry.models import Article, Document, Event, EventCreate, Relation, SourceFile
from registry.models._types import utcnow
from registry.services import notices
from registry.services.basis import resolve_citations
from registry.services.bulk import Resolver, ahead
from registry.services.catalog import Catalog, CatalogRow, read_catalog
from registry.services.documents import new_id
from registry.services.events import append_batch
from registry.services.ingest_rows import catalog_events, cut, merged_values, stored_name
from registry.services.relations import link_catalog_relations, link_stated_references
from registry.services.store_copies import StoreCopies
from registry.services.validity import StatusRow, Subject, events_of, refresh_statuses
from registry.services.versions import add_version
from registry.storage import audit, indexing
from registry.storage.files import FileStore
from registry.storage.rows import insert_rows

CHUNK_DOCUMENTS = 500  # read files stored per transaction: round trips and commits are paid per chunk
CHUNK_SECONDS = 2.0  # a chunk is also committed once its oldest file has waited this long (slow files, OCR)
READ_AHEAD = 2 * CHUNK_DOCUMENTS  # read files waiting to be stored, at most: the workers read while a chunk is stored

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
    sha256: str  # "" until read; then the hash of the bytes the extraction worker read
    row: CatalogRow | None
    document_id: str | None  # existing document this file belongs to


def ingest_paths(
    session: Session,
    *,
    paths: Iterable[Path],
    catalog_path: Path | None,
    store: FileStore,
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
    paths = list(paths)
    resolve = Resolver()
    files = list(ingest.iter_files(paths))
    resolved_files = [resolve(p) for p in files]
    if catalog:
        catalog.anchor(resolved_files)
    rows_by_path = catalog.by_path() if catalog else {}
    seen = set(resolved_files)
    roots = [Path(p).resolve() for p in paths]
    for listed, listed_row in rows_by_path.items():
        # a catalog may list files iter_files skipped (odd suffixes) or that are missing; only those
        # under the paths asked for belong to this batch
        if listed not in seen and any(listed == r or r in listed.parents for r in roots):
            if listed.is_file():
                files.append(listed)
                resolved_files.append(listed)
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
    for n, (path, resolved) in enumerate(zip(files, resolved_files, strict=True), 1):
        row = rows_by_path.get(resolved)
        existing = latest.get(str(resolved))
        sha = ""
        if existing is not None:
            # only a file stored before can be unchanged: hash it here to skip reading it again. A new
            # file is hashed by the extraction worker that reads it (ExtractedDocument.sha256).
            try:
                sha = file_sha256(resolved)
            except OSError as exc:
                report.failed.append({"path": str(path), "error": f"cannot read file: {exc.strerror or exc}"})
                continue
            meta = row.digest if row else None
            if existing[0] == sha and existing[1] == meta:
                report.unchanged += 1
                report.documents.append({"path": str(path), "id": existing[2], "result": "unchanged"})
                if progress:
                    progress(n, len(files), str(path))
                continue
        doc_id = existing[2] if existing else (row.get("id") if row else None)
        todo.append(_Job(path=resolved, given=path, sha256=sha, row=row, document_id=doc_id))

    with indexing.fed_in_background(session, documents=len(todo)):
        by_path = {job.path: job for job in todo}
        done = len(files) - len(todo)
        copies = StoreCopies(store)
        writer = _ChunkWriter(session, report, _Context(catalog, copies, as_of, today, known_ids, actor), actor)
        read = ingest.extract_many([j.path for j in todo], jobs=jobs, limits=limits)
        try:
            for path, result in ahead(read, READ_AHEAD):
                done += 1
                job = by_path[Path(path)]
                if isinstance(result, IngestError):
                    report.failed.append({"path": str(job.given), "error": str(result) or type(result).__name__})
                else:
                    writer.add(job, result)
                if progress:
                    progress(done, len(files), str(job.given))
            writer.flush()
        finally:
            copies.close()

        report.relations = link_catalog_relations(session, catalog, today=today) if catalog else 0
        report.relations += link_stated_references(session)
        report.relations += resolve_citations(session)
        if report.relations:
            audit.record(session, actor=actor, action="ingest.relations", target=None,
                         details={"linked": report.relations})
        session.commit()
    return report


@dataclass(slots=True)
class _Context:
    catalog: Catalog | None
    copies: StoreCopies  # source files copied into the store (the disk, or the database) as they are read
    as_of: date
    today: date
    known_ids: set[str]  # documents committed so far (ids the registry holds)
    actor: str = ""


class _ChunkWriter:
    """Collects read files and stores them a chunk per transaction (see the module's guarantees)."""

    def __init__(self, session: Session, report: IngestReport, ctx: _Context, actor: str) -> None:
        self.session, self.report, self.ctx, self.actor = session, report, ctx, actor
        self.pending: list[tuple[_Job, ExtractedDocument]] = []
        self.started = 0.0

    def add(self, job: _Job, ex: ExtractedDocument) -> None:
        if not self.pending:
            self.started = time.monotonic()
        job.sha256 = ex.sha256  # the bytes actually read and stored (hashed by the worker)
        self.ctx.copies.start(job.path, job.sha256)  # copied while the chunk gathers and is written
        self.pending.append((job, ex))
        if len(self.pending) >= CHUNK_DOCUMENTS or time.monotonic() - self.started >= CHUNK_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit what is pending in one transaction; if that fails, each file in its own."""
        chunk, self.pending = self.pending, []
        if not chunk:
            return
        try:
            stored = self._commit(chunk)
        except Exception:
            self.session.rollback()
            stored = []
            for one in chunk:
                try:
                    stored += self._commit([one])
                except Exception as exc:  # one broken record never stops the batch
                    self.session.rollback()
                    self.report.failed.append({"path": str(one[0].given), "error": _store_error(exc)})
        self.ctx.copies.forget((job.path, job.sha256) for job, _ in chunk)
        for job, doc_id, outcome in stored:
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)
            self.report.documents.append({"path": str(job.given), "id": doc_id, "result": outcome})

    def _commit(self, chunk: list[tuple[_Job, ExtractedDocument]]) -> list[tuple[_Job, str, str]]:
        ctx, session = self.ctx, self.session
        ids = [job.document_id or new_id() for job, _ in chunk]
        stored: list[tuple[_Job, str, str]] = []
        here: set[str] = set()  # written in this transaction: a second file for one id is its next version
        start = 0
        for end in range(1, len(chunk) + 1):  # runs without a repeated id, so each id is new or existing once
            if end == len(chunk) or ids[end] in ids[start:end]:
                outcomes = _store(session, chunk[start:end], ids[start:end], ctx, ctx.known_ids | here)
                here.update(ids[start:end])
                stored += [(job, doc_id, outcome) for (job, _), doc_id, outcome
                           in zip(chunk[start:end], ids[start:end], outcomes, strict=True)]
                start = end
        source = ctx.catalog.source.name if ctx.catalog else None
        for job, doc_id, outcome in stored:
            audit.record(session, actor=self.actor, action=f"ingest.{outcome}", target=doc_id,
                         details={"file": job.path.name, "sha256": job.sha256, "catalog": source})
        ctx.copies.wait([(job.path, job.sha256) for job, _ in chunk])  # raises for a file not stored
        session.commit()
        session.expunge_all()  # keep the identity map small: flush cost grows with it
        ctx.known_ids.update(here)
        return stored


def _store_error(exc: Exception) -> str:
    """What a user is told when a file cannot be stored: never the SQL or the database's own words."""
    if isinstance(exc, IntegrityError):
        return "无法保存：与已保存的记录冲突 (could not store: it conflicts with a record already stored)"
    if isinstance(exc, SQLAlchemyError):
        return f"无法保存：数据库错误 (could not store: database error {type(exc.__cause__ or exc).__name__})"
    return f"无法保存 (could not store): {exc}"


def _store(session: Session, chunk: list[tuple[_Job, ExtractedDocument]], ids: list[str], ctx: _Context,
           known: set[str]) -> list[str]:
    """Write read files (distinct document ids): each document (new, or a new version), its articles,
    file, references and the catalog's claims, and its derived status. One INSERT per table for the
    whole chunk; only a new version of a document already stored costs statements of its own."""
    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    docs: list[tuple[Subject, list[EventCreate], list[Event]]] = []
    outcomes: list[str] = []
    for (job, ex), doc_id in zip(chunk, ids, strict=True):
        row = job.row
        existing = session.get(Document, doc_id) if doc_id in known else None
        values = merged_values(ex, row)
        if existing is None:
            values.update(id=doc_id, version=1, created_at=now, updated_at=now, published_at=now,
                          pinned=values.get("pinned", False), status="unknown", status_reason="")
            new_rows.append(values)
            old_status, events, version_no = "", [], 1
        else:
            old_status = existing.status
            events = events_of(session, doc_id)
            same = session.exec(select(SourceFile).where(SourceFile.document_id == doc_id,
                                                         SourceFile.sha256 == job.sha256)).first()
            if same is not None:
                # the same bytes with a changed catalog row: new metadata and claims, not a new version
                values.update(updated_at=now)
                values.pop("text", None)
                session.execute(update(Document).where(col(Document.id) == doc_id).values(**values))
                session.execute(update(SourceFile).where(col(SourceFile.id) == same.id)
                                .values(meta_hash=row.digest if row else None, origin=str(job.path)))
                doc = Document.model_validate({**values, "id": doc_id, "status": old_status, "text": existing.text,
                                               "version": existing.version})
                docs.append((doc, catalog_events(events, row, ctx.catalog, ctx.as_of), events))
                outcomes.append("updated")
                continue
            # the text it had stays readable as at its dates: stored as a version before it is replaced
            add_version(session, doc=existing, text=ex.text, articles=[
                {"ordinal": a.ordinal, "number": a.number[:40], "chapter": cut(a.chapter, 200),
                 "heading": cut(a.heading, 200), "text": a.text} for a in ex.articles],
                in_force_from=None, effective=values.get("effective_date"), origin="file", today=ctx.today,
                actor=ctx.actor, source=str(job.path))
            values.update(version=existing.version + 1, updated_at=now)
            session.execute(update(Document).where(col(Document.id) == doc_id).values(**values))
            session.execute(delete(Article).where(col(Article.document_id) == doc_id))
            session.execute(delete(Relation).where(col(Relation.source_id) == doc_id, col(Relation.state) == "stated"))
            version_no = 1 + len(session.exec(select(SourceFile.id).where(SourceFile.document_id == doc_id)).all())
        articles += [{"document_id": doc_id, "ordinal": a.ordinal, "number": a.number[:40],
                      "chapter": cut(a.chapter, 200), "heading": cut(a.heading, 200), "text": a.text}
                     for a in ex.articles]
        files.append({"document_id": doc_id, "origin": str(job.path), "sha256": job.sha256,
                      "size_bytes": ex.size_bytes, "format": ex.source_format,
                      "stored_name": stored_name(job.path, job.sha256), "version_no": version_no,
                      "meta_hash": row.digest if row else None, "ingested_at": now})
        relations += [{"source_id": doc_id, "kind": r.kind, "target_title": cut(r.target_title, 500),
                       "target_doc_number": cut(r.target_doc_number, 100), "quote": r.quote[:2000],
                       "state": "stated", "created_at": now} for r in ex.references]
        # the row's status columns, derived without loading the row back
        subject = StatusRow(id=doc_id, title=values["title"], publication_date=values["publication_date"],
                            effective_date=values["effective_date"], expiry_date=values["expiry_date"],
                            written_date=values["written_date"],
                            published_at=values.get("published_at", existing.published_at if existing else None),
                            status=old_status)
        docs.append((subject, catalog_events(events, row, ctx.catalog, ctx.as_of), events))
        outcomes.append("added" if existing is None else "updated")

    # Plain Core rows, one executemany per table, straight into the tables: the ORM's bulk insert would
    # pass each of a chunk's ~10,000 article rows through the mapper first.
    for model, rows in ((Document, new_rows), (Article, articles), (SourceFile, files), (Relation, relations)):
        insert_rows(session, model.__table__, rows)  # type: ignore[union-attr]
    notices.documents_added(session, new_rows)  # imported rows are public at once (published_at=now)
    claimed = [(doc, items, events) for doc, items, events in docs if items]
    if claimed and ctx.catalog is not None:
        append_batch(session, entries=claimed, actor=f"catalog:{ctx.catalog.source.name}", today=ctx.today,
                     audited=False)
    refresh_statuses(session, [(doc, events, None) for doc, items, events in docs if not items], ctx.today)
    return outcomes


__all__ = ["IngestReport", "ingest_paths"]
