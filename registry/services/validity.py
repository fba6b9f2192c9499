"""Validity answers for people (``check``) and the stored current status kept in step with events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from registry.models import Document, Event, StatusChange
from registry.models._types import utcnow
from registry.models.answers import DocumentSummary
from registry.rules.status import EventType, Status
from registry.rules.validity import DocumentFacts, EventFact, ValidityAnswer, evaluate, period_flags
from registry.services import status_hooks
from registry.services.lookup import resolve
from registry.settings import Settings
from registry.storage import outbox
from registry.storage.rows import insert_rows

DEFAULT_RULES = Settings.model_construct()  # field defaults only: never reads the environment


@dataclass(slots=True)
class StatusRow:
    """The columns a document's status is derived from, and the status columns, without an ORM object.

    A bulk import derives the status of the rows it has just written from these: building a detached
    ``Document`` for each cost more than everything else the derivation does. :func:`refresh_statuses`
    accepts either and fills in the status columns of either."""

    id: str
    title: str
    publication_date: date | None = None
    effective_date: date | None = None
    expiry_date: date | None = None
    written_date: date | None = None
    published_at: datetime | None = None
    status: str | None = None
    status_reason: str | None = None
    status_on: date | None = None


Subject = Document | StatusRow  # what a status is derived for


def facts_of(doc: Subject) -> DocumentFacts:
    return DocumentFacts(
        title=doc.title,
        publication_date=doc.publication_date,
        effective_date=doc.effective_date,
        expiry_date=doc.expiry_date,
        written_date=doc.written_date,
        published=doc.published_at is not None,
    )


def event_facts(events: list[Event]) -> list[EventFact]:
    out: list[EventFact] = []
    for ev in events:
        try:
            etype = EventType(ev.type)
        except ValueError:
            continue
        out.append(EventFact(id=ev.id or 0, type=etype, date=ev.date, payload=ev.payload or {},
                             legal_basis=ev.legal_basis))
    return out


def events_of(session: Session, document_id: str, *, exclude: Sequence[int] = ()) -> list[Event]:
    query = select(Event).where(Event.document_id == document_id).order_by(col(Event.id))
    if exclude:
        query = query.where(col(Event.id).not_in(exclude))
    return list(session.exec(query))


def answer_for(session: Session, doc: Document, at: date) -> ValidityAnswer:
    return evaluate(facts_of(doc), event_facts(events_of(session, doc.id)), at)


def summary(doc: Document) -> dict[str, Any]:
    """The short form of a document used inside other answers (:class:`DocumentSummary`)."""
    return DocumentSummary.of(doc).model_dump()


def check(session: Session, ref: str, at: date, *, settings: Settings | None = None,
          published_only: bool = False) -> dict[str, Any]:
    """``normreg check`` and ``GET /api/v1/validity``: the status of ``ref`` on ``at`` with reason and evidence.

    ``settings`` carries the jurisdiction's limits on validity periods (the defaults when omitted).
    """
    rules = settings or DEFAULT_RULES
    doc = resolve(session, ref, published_only=published_only)
    ans = answer_for(session, doc, at)
    successor = session.get(Document, ans.successor_id) if ans.successor_id else None
    flags = ans.flags + period_flags(doc.title, doc.effective_date, doc.expiry_date,
                                     max_years=rules.max_validity_years,
                                     max_provisional_years=rules.max_provisional_years)
    return {
        "document": summary(doc),
        "status": ans.status.value,
        "label": ans.status.label,
        "label_en": ans.status.label_en,
        "as_of": at.isoformat(),
        "reason": ans.reason,
        "reason_en": ans.reason_en,
        "evidence": ans.evidence,
        "successor": summary(successor) if successor else None,
        "flags": flags,
    }


def refresh_status(
    session: Session, doc: Document, today: date, *, events: list[Event] | None = None, event_id: int | None = None,
) -> bool:
    """Recompute the stored current status, write the feed row on a change and queue the document for
    the search index.

    Runs inside the caller's transaction (the one that wrote the event or the edit), so the stored status,
    the change feed and the search outbox can never disagree with the event log. ``doc`` may be a row
    the session tracks or a detached copy of its values (ingestion): the status is written with one
    UPDATE either way. Returns True on a change.
    """
    history = events if events is not None else events_of(session, doc.id)
    return refresh_statuses(session, [(doc, history, event_id)], today) == 1


def refresh_statuses(session: Session, items: Sequence[tuple[Subject, list[Event], int | None]], today: date) -> int:
    """:func:`refresh_status` for many documents at once, each with its whole history (and the event
    that caused the refresh, if any): one statement each for the feed rows, the status updates and the
    outbox, whatever the number of documents (a bulk import's chunk). Returns how many changed."""
    changes: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for doc, history, event_id in items:
        ans = evaluate(facts_of(doc), event_facts(history), today)
        if ans.status.value != (doc.status or None):
            changes.append({"document_id": doc.id, "old_status": doc.status or None, "new_status": ans.status.value,
                            "reason": ans.reason[:2000], "event_id": event_id, "changed_at": utcnow()})
        values = {"status": ans.status.value, "status_reason": ans.reason, "status_on": today}
        updates.append({"id": doc.id, **values})
        for key, value in values.items():
            if isinstance(doc, StatusRow):
                setattr(doc, key, value)
            else:
                set_committed_value(doc, key, value)
    if changes:
        insert_rows(session, StatusChange.__table__, changes)  # type: ignore[attr-defined]
        status_hooks.after_changes(session, changes, today)
    if len(updates) == 1:
        values = {k: v for k, v in updates[0].items() if k != "id"}
        session.execute(update(Document).where(col(Document.id) == updates[0]["id"]).values(**values))
    elif updates:
        session.execute(update(Document), updates)  # by primary key, one executemany
    outbox.queue(session, [doc.id for doc, _, _ in items])
    return len(changes)


__all__ = ["Status", "StatusRow", "Subject", "answer_for", "check", "event_facts", "events_of", "facts_of", "refresh_status", "refresh_statuses", "summary"]
