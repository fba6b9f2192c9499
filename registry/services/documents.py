"""Creating, editing, listing and showing documents.

Edits are guarded by the document's ``version`` (its ETag): the update is one conditional UPDATE
(``… WHERE id = ? AND version = ?``), so of several writers holding the same ETag exactly one wins and
the others get 412 — no lost update, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from registry.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from registry.models import (
    Article,
    ArticlePublic,
    Document,
    DocumentCreate,
    DocumentPublic,
    DocumentUpdate,
    Relation,
    RelationPublic,
    SourceFile,
)
from registry.models._types import utcnow
from registry.rules.refs import doc_number_key, registration_number_key, title_key
from registry.rules.status import Status
from registry.services import notices
from registry.services.validity import refresh_status
from registry.storage import audit


def apply_keys(doc: Document) -> None:
    """Refresh the lookup keys after any change of title, 文号 or registration number."""
    doc.title_key = title_key(doc.title)
    doc.doc_number_key = doc_number_key(doc.doc_number)
    doc.registration_number_key = registration_number_key(doc.registration_number)


def new_id() -> str:
    return uuid.uuid4().hex


def to_public(session: Session, doc: Document) -> DocumentPublic:
    n = session.exec(select(func.count()).select_from(Article).where(Article.document_id == doc.id)).one()
    data = doc.model_dump()
    data["label"] = Status.label_of(doc.status)
    data["articles"] = int(n)
    return DocumentPublic.model_validate(data)


def get_document(session: Session, document_id: str) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id!r}")
    return doc


def create_document(session: Session, *, data: DocumentCreate, today: date, actor: str | None = None,
                    office_id: int | None = None) -> Document:
    """Create a document from staff input; its status is derived, never taken from the input.

    With an ``actor`` (every HTTP write has one) a ``note`` event records who created it, in the same
    transaction, so the append-only event log is also the audit trail of edits.
    """
    doc_id = data.id or new_id()
    if session.get(Document, doc_id) is not None:
        raise Conflict(f"a document with id {doc_id!r} already exists")
    doc = Document.model_validate({**data.model_dump(exclude={"id"}), "id": doc_id, "title_key": "",
                                   "office_id": office_id})
    apply_keys(doc)
    _check_dates(doc)
    session.add(doc)
    session.flush()
    refresh_status(session, doc, today)
    if actor:
        _audit(session, doc, actor, today, "著录新文件", {"action": "created"})
    audit.record(session, actor=actor or audit.cli_actor(), action="document.create", target=doc.id,
                 details={"title": doc.title, "fields": sorted(data.model_dump(exclude_unset=True))})
    if doc.published_at is not None:
        notices.documents_added(session, [doc])
    session.commit()
    return doc


def _audit(session: Session, doc: Document, actor: str, today: date, text: str, payload: dict[str, Any]) -> None:
    from registry.models import EventCreate
    from registry.services.events import append

    append(session, document=doc, data=EventCreate(type="note", text=text, payload=payload), actor=actor,
                 today=today)


def _check_dates(doc: Document) -> None:
    if doc.effective_date and doc.expiry_date and doc.expiry_date < doc.effective_date:
        raise InvalidInput("expiry_date is before effective_date")
    for name in ("written_date", "publication_date", "effective_date", "expiry_date"):
        value = getattr(doc, name)
        if value is not None and not (1949 <= value.year <= 2100):
            raise InvalidInput(f"{name} {value.isoformat()} is outside 1949–2100")


def update_document(
    session: Session, *, document_id: str, data: DocumentUpdate, expected_version: int, today: date,
    actor: str | None = None,
) -> Document:
    """Apply a partial edit if the caller's ETag is current; 412 otherwise. With an ``actor``, a ``note``
    event names who changed which fields (same transaction)."""
    doc = get_document(session, document_id)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        setattr(doc, key, value)
    apply_keys(doc)
    _check_dates(doc)
    values = {k: getattr(doc, k) for k in (*changes, "title_key", "doc_number_key", "registration_number_key")}
    values["version"] = expected_version + 1
    values["updated_at"] = utcnow()
    result = session.execute(
        update(Document)
        .where(col(Document.id) == document_id, col(Document.version) == expected_version)
        .values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise PreconditionFailed(details={"id": document_id, "expected_version": expected_version})
    session.expire(doc)
    doc = get_document(session, document_id)
    refresh_status(session, doc, today)
    if actor:
        _audit(session, doc, actor, today, "修改著录项：" + "、".join(sorted(changes)) if changes else "确认著录项",
               {"action": "edited", "fields": sorted(changes), "version": expected_version + 1})
    audit.record(session, actor=actor or audit.cli_actor(), action="document.update", target=doc.id,
                 details={"fields": sorted(changes), "version": expected_version + 1})
    session.commit()
    return doc


def list_documents(
    session: Session, *, offset: int = 0, limit: int = 20, status: str | None = None,
    issuer: str | None = None, category: str | None = None, year: int | None = None,
) -> tuple[int, list[Document]]:
    query = select(Document).where(col(Document.published_at).is_not(None))  # the public list
    if status:
        query = query.where(Document.status == status)
    if issuer:
        query = query.where(Document.issuer == issuer)
    if category:
        query = query.where(Document.category == category)
    if year:
        query = query.where(Document.publication_date >= date(year, 1, 1),  # type: ignore[operator]
                            Document.publication_date <= date(year, 12, 31))  # type: ignore[operator]
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Document.publication_date).desc(), col(Document.id))
                        .offset(offset).limit(limit))
    return int(total), list(rows)


def articles_of(session: Session, document_id: str) -> list[ArticlePublic]:
    rows = session.exec(select(Article).where(Article.document_id == document_id).order_by(col(Article.id)))
    return [ArticlePublic(ordinal=a.ordinal, number=a.number, chapter=a.chapter, text=a.text) for a in rows]


def relations_of(session: Session, document_id: str) -> list[RelationPublic]:
    """Relations both ways: what this document does to others, and what others do to it.

    The other documents' titles and 文号 come from one query of those two columns: a much-cited law has
    hundreds of incoming references, and loading each full text would take longer than the page.
    """
    outgoing = list(session.exec(select(Relation).where(Relation.source_id == document_id)))
    incoming = list(session.exec(select(Relation).where(Relation.target_id == document_id)))
    other_ids = {r.target_id for r in outgoing if r.target_id} | {r.source_id for r in incoming}
    names: dict[str, tuple[str, str | None]] = {}
    if other_ids:
        rows = session.exec(select(Document.id, Document.title, Document.doc_number)
                            .where(col(Document.id).in_(other_ids)))
        names = {doc_id: (title, number) for doc_id, title, number in rows}
    out: list[RelationPublic] = []
    for r in outgoing:
        title, number = names.get(r.target_id or "", (r.target_title, r.target_doc_number))
        out.append(RelationPublic(id=r.id or 0, kind=r.kind, direction="outgoing", other_id=r.target_id,
                                  other_title=title, other_doc_number=number, state=r.state, quote=r.quote))
    for r in incoming:
        title, number = names.get(r.source_id, (None, None))
        out.append(RelationPublic(id=r.id or 0, kind=r.kind, direction="incoming", other_id=r.source_id,
                                  other_title=title, other_doc_number=number, state=r.state, quote=r.quote))
    return _distinct(out)


STATE_RANK = {"confirmed": 0, "stated": 1, "rejected": 2}


def _distinct(relations: list[RelationPublic]) -> list[RelationPublic]:
    """One entry per related document, kind and direction: a reference the text states and the catalog
    confirms (or the text repeats) is one relation, shown with its most settled state."""
    best: dict[tuple[str, str, str], RelationPublic] = {}
    for r in relations:
        other = r.other_id or f"{r.other_title or ''}|{r.other_doc_number or ''}"
        key = (r.direction, r.kind, other)
        kept = best.get(key)
        if kept is None or STATE_RANK.get(r.state, 3) < STATE_RANK.get(kept.state, 3):
            best[key] = r
    return [r for r in relations if best[(r.direction, r.kind, r.other_id or
                                          f"{r.other_title or ''}|{r.other_doc_number or ''}")] is r]


def source_files_of(session: Session, document_id: str) -> list[SourceFile]:
    return list(session.exec(select(SourceFile).where(SourceFile.document_id == document_id)
                             .order_by(col(SourceFile.version_no))))


def show(session: Session, document: Document, *, with_text: bool = True) -> dict[str, Any]:
    """Everything ``normreg show`` and ``GET /api/v1/documents/{id}`` return."""
    data = to_public(session, document).model_dump(mode="json")
    data["articles"] = [a.model_dump() for a in articles_of(session, document.id)]
    data["relations"] = [r.model_dump() for r in relations_of(session, document.id)]
    data["files"] = [{"version": f.version_no, "sha256": f.sha256, "format": f.format, "size_bytes": f.size_bytes,
                      "ingested_at": f.ingested_at.isoformat()} for f in source_files_of(session, document.id)]
    if with_text:
        data["text"] = document.text
    return data
