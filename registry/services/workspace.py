"""What the staff workspace reads: the documents of an actor's reach, one document with everything a
clerk needs beside it (events with who and when, proposals, deadlines), and its audit trail.

Read-only; every write the workspace offers is an existing action (filing, reviews, renewal, the
interpretation link, edits) or a proposal (:mod:`registry.services.proposals`). Names shown to people are
display names where the actor is a staff account, never ids; a document is always shown by its title.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from registry.models import AuditEntry, Document, Event, Office, User
from registry.rules.status import EventType, Status
from registry.services.documents import show
from registry.services.events import live_events
from registry.services.filing import NORMATIVE, filing_state
from registry.services.proposals import proposals_of
from registry.settings import Settings

Reach = frozenset[int] | None
INTERPRETATION_CATEGORY = "政策解读"


def _in_reach(query: Any, reach: Reach) -> Any:
    return query if reach is None else query.where(col(Document.office_id).in_(reach))


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` literally (``%``, ``_`` and the escape character are escaped)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_reach(session: Session, *, reach: Reach, status: str | None = None, q: str = "", offset: int = 0,
               limit: int = 50) -> tuple[int, list[dict[str, Any]]]:
    """The documents of ``reach``, newest first, filtered by status and by a text found in the title or 文号
    (taken literally, never as a pattern)."""
    query = _in_reach(select(Document), reach)
    if status:
        query = query.where(col(Document.status) == Status.require(status).value)
    text = q.strip()
    if text:
        pattern = _like(text)
        query = query.where(or_(col(Document.title).like(pattern, escape="\\"),
                                col(Document.doc_number).like(pattern, escape="\\"),
                                col(Document.registration_number).like(pattern, escape="\\")))
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    rows = session.exec(query.order_by(col(Document.updated_at).desc(), col(Document.id)).offset(offset).limit(limit))
    offices = office_names(session)
    return total, [{"id": d.id, "title": d.title, "doc_number": d.doc_number,
                    "registration_number": d.registration_number, "status": d.status,
                    "office": offices.get(d.office_id) if d.office_id else None,
                    "published": d.published_at is not None,
                    "publication_date": d.publication_date.isoformat() if d.publication_date else None}
                   for d in rows]


def office_names(session: Session) -> dict[int | None, str]:
    return {o.id: o.name for o in session.exec(select(Office))}


def display_names(session: Session, names: set[str]) -> dict[str, str]:
    """Username → display name for the staff accounts among ``names`` (others are shown as recorded)."""
    if not names:
        return {}
    rows = session.exec(select(User.username, User.display_name).where(col(User.username).in_(names)))
    return {u: d for u, d in rows}


def _titles(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {i: t for i, t in session.exec(select(Document.id, Document.title).where(col(Document.id).in_(ids)))}


def interpretation_choices(session: Session, doc: Document, limit: int = 50) -> list[dict[str, Any]]:
    """Documents that look like interpretations (category 政策解读, or 解读 in the title), newest first."""
    rows = session.exec(select(Document.id, Document.title, Document.doc_number).where(
        col(Document.id) != doc.id,
        or_(col(Document.category) == INTERPRETATION_CATEGORY, col(Document.title).like("%解读%")))
        .order_by(col(Document.publication_date).desc()).limit(limit))
    return [{"id": i, "title": t, "doc_number": n} for i, t, n in rows]


def view(session: Session, doc: Document, *, today: date, settings: Settings) -> dict[str, Any]:
    """Everything the workspace page shows about ``doc``."""
    data = show(session, doc, with_text=False)
    events = list(session.exec(select(Event).where(Event.document_id == doc.id).order_by(col(Event.id))))
    proposals = proposals_of(session, doc.id)
    people = {e.actor for e in events} | {p.proposed_by for p in proposals} | {
        p.decided_by for p in proposals if p.decided_by}
    people |= {str(e.payload.get(k)) for e in events for k in ("proposed_by", "confirmed_by") if e.payload.get(k)}
    ids = {str(e.payload[k]) for e in events for k in ("successor_id", "interpretation_id") if e.payload.get(k)}
    ids |= {str(p.payload["successor_id"]) for p in proposals if p.payload.get("successor_id")}
    filed = live_events(session, [doc.id], {EventType.FILED}).get(doc.id, [])
    filing = filing_state(doc, filed, today=today, days=settings.filing_deadline_days) \
        if doc.category == NORMATIVE else None
    return {"document": data, "version": doc.version, "office_id": doc.office_id,
            "office": office_names(session).get(doc.office_id) if doc.office_id else None,
            "published": doc.published_at is not None, "events": events, "proposals": proposals,
            "names": display_names(session, people), "titles": _titles(session, ids), "filing": filing,
            "interpretations": interpretation_choices(session, doc),
            "audit_entries": audit_count(session, doc.id)}


def audit_count(session: Session, document_id: str) -> int:
    return int(session.exec(select(func.count()).select_from(AuditEntry)
                            .where(AuditEntry.target == document_id)).one())


def audit_trail(session: Session, document_id: str, *, limit: int = 500) -> list[AuditEntry]:
    """The audit entries whose target is the document, newest first."""
    return list(session.exec(select(AuditEntry).where(AuditEntry.target == document_id)
                             .order_by(col(AuditEntry.id).desc()).limit(limit)))
