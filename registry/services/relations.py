"""Relations between documents: what a catalog states (repealed_by, amended_by, interprets), what the
text states (…同时废止, 根据《…》), and amendments implied by several versions of one title.

A catalog is a deliberate statement by staff, so its repeal or amendment is recorded as an event with the
catalog as evidence. A reference found in a document's text only becomes a ``stated`` relation that staff
confirm: it never changes a status by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from registry.errors import NormregError
from registry.models import Document, Event, EventCreate, Relation, SourceFile
from registry.models._types import utcnow
from registry.rules.refs import cite, doc_number_key, title_key
from registry.rules.status import EventType, Status
from registry.services.catalog import Catalog, CatalogRow
from registry.services.events import append
from registry.services.lookup import resolve
from registry.services.recheck import changed_documents, changed_since, settle

TITLE_MATCH_CUTOFF = 92.0


class _Rows:
    """The stored document of each catalog row, looked up by id or by file. The files' documents are read
    once, in one query, the first time a row needs one: a catalog of 100,000 rows costs one query, not
    100,000."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_origin: dict[str, str] | None = None

    def document(self, row: CatalogRow) -> Document | None:
        if row.get("id"):
            doc = self.session.get(Document, row.values["id"])
            if doc:
                return doc
        if row.path is not None:
            if self._by_origin is None:
                self._by_origin = {}
                for origin, doc_id in self.session.exec(select(SourceFile.origin, SourceFile.document_id)
                                                        .order_by(col(SourceFile.id))):
                    self._by_origin.setdefault(origin, doc_id)  # the first file of that path, as before
            owner = self._by_origin.get(str(row.path))
            if owner:
                return self.session.get(Document, owner)
        return None


_STATED = ("repealed_by", "amended_by", "interprets")


def _start(doc: Document) -> date | None:
    return doc.effective_date or doc.publication_date


def _has_event(session: Session, doc_id: str, etype: EventType, successor_id: str | None) -> bool:
    for ev in session.exec(select(Event).where(Event.document_id == doc_id, Event.type == etype.value)):
        if ev.payload.get("successor_id") == successor_id:
            return True
    return False


def _ensure_relation(session: Session, source_id: str, target_id: str, kind: str, quote: str) -> bool:
    exists = session.exec(select(Relation).where(Relation.source_id == source_id, Relation.target_id == target_id,
                                                 Relation.kind == kind)).first()
    if exists:
        if exists.state != "confirmed":
            exists.state = "confirmed"
            session.add(exists)
        return False
    session.add(Relation(source_id=source_id, target_id=target_id, kind=kind, quote=quote, state="confirmed"))
    return True


def link_catalog_relations(session: Session, catalog: Catalog, *, today: date) -> int:
    """Record the repeals, amendments and interpretations a catalog states; returns how many are new."""
    made = 0
    source = catalog.source.name
    rows = _Rows(session)
    for row in catalog.rows:
        if not any(row.get(column) for column in _STATED):
            continue  # nothing stated: no need to find the document
        doc = rows.document(row)
        if doc is None:
            continue
        for column, kind, etype in (("repealed_by", "repeals", EventType.REPEALED),
                                    ("amended_by", "amends", EventType.AMENDED)):
            ref = row.get(column)
            if not ref:
                continue
            try:
                other = resolve(session, ref)
            except NormregError:
                continue
            made += _ensure_relation(session, other.id, doc.id, kind, f"{source} line {row.line}: {column} {ref}")
            when = _start(other)
            if when and not _has_event(session, doc.id, etype, other.id):
                append(session, document=doc, actor=f"catalog:{source}", today=today, data=EventCreate(
                    type=etype.value, date=when, legal_basis=cite(other.title, other.doc_number),
                    payload={"successor_id": other.id}, evidence={"catalog": str(catalog.source), "line": row.line}))
        ref = row.get("interprets")
        if ref:
            try:
                policy = resolve(session, ref)
            except NormregError:
                continue
            made += _ensure_relation(session, doc.id, policy.id, "interprets", f"{source} line {row.line}")
            if not session.exec(select(Event).where(Event.document_id == policy.id,
                                                    Event.type == EventType.INTERPRETATION_LINKED.value)).first():
                append(session, document=policy, actor=f"catalog:{source}", today=today, data=EventCreate(
                    type=EventType.INTERPRETATION_LINKED.value, date=doc.publication_date,
                    payload={"interpretation_id": doc.id}, evidence={"catalog": str(catalog.source), "line": row.line}))
    made += _infer_amendments(session, catalog, rows, today=today)
    return made


def _infer_amendments(session: Session, catalog: Catalog, rows: _Rows, *, today: date) -> int:
    """A text the catalog calls 已修改, with a later version of the same title: the later version
    amended it on the day that version took effect. Recorded with that inference as its evidence."""
    made = 0
    for row in catalog.rows:
        if row.status is not Status.AMENDED or row.get("amended_by"):
            continue
        doc = rows.document(row)
        if doc is None or doc.publication_date is None or _has_any(session, doc.id, EventType.AMENDED):
            continue
        later = [d for d in session.exec(select(Document).where(Document.title_key == doc.title_key,
                                                                 Document.id != doc.id))
                 if d.publication_date and d.publication_date > doc.publication_date]
        if not later:
            continue
        successor = min(later, key=lambda d: d.publication_date or date.max)
        when = _start(successor)
        if when is None:
            continue
        append(session, document=doc, actor=f"catalog:{catalog.source.name}", today=today, data=EventCreate(
            type=EventType.AMENDED.value, date=when,
            legal_basis=f"{cite(successor.title)}（{successor.publication_date}公布）",
            payload={"successor_id": successor.id},
            evidence={"inferred": "a later version of the same title in the catalog",
                      "catalog": str(catalog.source), "line": row.line}))
        session.add(Relation(source_id=successor.id, target_id=doc.id, kind="amends", state="confirmed",
                             quote="later version of the same title"))
        made += 1
    return made


def _has_any(session: Session, doc_id: str, etype: EventType) -> bool:
    return session.exec(select(Event.id).where(Event.document_id == doc_id, Event.type == etype.value)).first() is not None


def link_stated_references(session: Session) -> int:
    """Resolve every reference still waiting for its target (文号 first, then title); returns how many.

    All pending references, not only this batch's: a batch killed before this step leaves its references
    pending, and the next run (which skips the unchanged files) still resolves them. A reference an
    earlier pass left unresolved is tried again only when a document changed since could be its target
    (:mod:`registry.services.recheck`): the same result as trying all against everything, at the cost of
    the documents changed since rather than of the whole registry.
    """
    started = utcnow()
    pending = list(session.execute(select_columns(
        col(Relation.id), col(Relation.source_id), col(Relation.target_title), col(Relation.target_doc_number),
        col(Relation.checked_at)).where(col(Relation.target_id).is_(None), col(Relation.state) == "stated",
                                        col(Relation.kind) != "based_on")))  # registry.services.basis
    if not pending:
        return 0
    columns = (col(Document.id), col(Document.title_key), col(Document.doc_number_key))
    recent = _Targets(changed_documents(session, changed_since(p.checked_at for p in pending), *columns))
    every: _Targets | None = None
    resolved: list[tuple[int, str]] = []
    unresolved: list[tuple[int, datetime | None]] = []
    for rel in pending:
        target = None
        if rel.checked_at is None or recent.find(rel.target_doc_number, rel.target_title) is not None:
            if every is None:
                every = _Targets(session.execute(select_columns(*columns)))
            target = every.find(rel.target_doc_number, rel.target_title)
        if target is not None and target != rel.source_id:
            resolved.append((rel.id, target))
        else:
            unresolved.append((rel.id, rel.checked_at))
    settle(session, resolved, unresolved, started)
    return len(resolved)


class _Targets:
    """Documents a stated reference may name, by 文号 key, by title key and by a near title."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.by_number: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        for doc_id, t_key, n_key in rows:
            self.by_title.setdefault(t_key, doc_id)
            if n_key:
                self.by_number.setdefault(n_key, doc_id)
        self._titles = {doc_id: t_key for t_key, doc_id in self.by_title.items()}
        self._near: dict[str, str | None] = {}

    def find(self, doc_number: str | None, title: str | None) -> str | None:
        key = doc_number_key(doc_number)
        target = self.by_number.get(key) if key else None
        if target is None and title:
            wanted = title_key(title)
            target = self.by_title.get(wanted)
            if target is None and self._titles:
                if wanted not in self._near:
                    match = process.extractOne(wanted, self._titles, scorer=fuzz.ratio,
                                               score_cutoff=TITLE_MATCH_CUTOFF)
                    self._near[wanted] = match[2] if match else None
                target = self._near[wanted]
        return target
