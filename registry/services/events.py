"""Recording events: the only way a document's status changes.

Each call appends one event, recomputes the stored status and writes the change feed and search outbox
in the same transaction. Payloads are checked per type so that, say, a clearing result always names its
result and a partial invalidity always says which provisions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry import audit
from registry.errors import InvalidInput, NotFound
from registry.models import Document, Event, EventCreate
from registry.services.lookup import resolve
from registry.services.validity import refresh_status
from registry.status import ClearingResult, EventType, FilingReviewOutcome, parse_status

DATE_REQUIRED = {
    EventType.FILED, EventType.LEGALITY_REVIEWED, EventType.FILING_REVIEWED, EventType.CLEARED,
    EventType.REPEALED, EventType.AMENDED, EventType.DECLARED_INVALID, EventType.PARTIALLY_INVALID,
    EventType.RENEWED, EventType.EXPIRED, EventType.STATUS_ASSERTED,
}


def _validate(session: Session, doc: Document, etype: EventType, data: EventCreate) -> dict[str, Any]:
    payload = dict(data.payload)
    if etype in DATE_REQUIRED and data.date is None:
        raise InvalidInput(f"a {etype.value} event needs the date it took effect")
    if etype is EventType.CLEARED:
        result = payload.get("result")
        if result not in {r.value for r in ClearingResult}:
            raise InvalidInput("a clearing result must be one of 继续有效, 修改, 废止, 宣布失效, 失效",
                               details={"result": result})
    elif etype is EventType.FILING_REVIEWED:
        if payload.get("outcome") not in {o.value for o in FilingReviewOutcome}:
            raise InvalidInput("a filing review outcome must be 通过, 纠正 or 撤销")
    elif etype is EventType.PARTIALLY_INVALID:
        if not payload.get("provisions"):
            raise InvalidInput("say which provisions no longer apply (payload.provisions)")
    elif etype is EventType.RENEWED:
        try:
            payload["new_expiry"] = date.fromisoformat(str(payload.get("new_expiry"))).isoformat()
        except ValueError as exc:
            raise InvalidInput("a renewal needs payload.new_expiry as YYYY-MM-DD") from exc
    elif etype is EventType.STATUS_ASSERTED:
        try:
            payload["status"] = parse_status(str(payload.get("status", ""))).value
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
    elif etype is EventType.REVOKED:
        target = session.get(Event, int(payload.get("undoes") or 0))
        if target is None or target.document_id != doc.id:
            raise InvalidInput("payload.undoes must name an event of this document")
    elif etype is EventType.NOTE:
        if not (data.text and data.text.strip()):
            raise InvalidInput("a note needs a text")
    elif etype is EventType.FILED and not payload.get("with"):
        raise InvalidInput("say with whom it was filed (payload.with)")
    for key in ("successor", "interpretation"):
        ref = payload.pop(key, None)
        if ref:
            payload[f"{key}_id"] = resolve(session, str(ref)).id
    for key in ("successor_id", "interpretation_id"):
        if payload.get(key) and session.get(Document, str(payload[key])) is None:
            raise InvalidInput(f"payload.{key} names no document", details={key: payload[key]})
    return payload


def append_event(
    session: Session, *, document: Document, data: EventCreate, actor: str, today: date
) -> Event:
    """Append one event inside the caller's transaction (no commit) and bring the status up to date;
    the audit log gets its entry when that transaction commits."""
    try:
        etype = EventType(data.type)
    except ValueError as exc:
        raise InvalidInput(f"unknown event type {data.type!r}",
                           details={"allowed": [t.value for t in EventType]}) from exc
    payload = _validate(session, document, etype, data)
    event = Event(document_id=document.id, type=etype.value, date=data.date, legal_basis=data.legal_basis,
                  payload=payload, evidence=data.evidence, text=data.text, actor=actor)
    session.add(event)
    session.flush()
    refresh_status(session, document, today, event_id=event.id)
    audit.record(session, actor=actor, action="event.append", target=document.id,
                 details={"event_id": event.id, "type": etype.value, "status": document.status})
    return event


def record_event(session: Session, *, document_id: str, data: EventCreate, actor: str, today: date) -> Event:
    """Record one event and commit. Raises NotFound / InvalidInput without writing anything."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id!r}")
    try:
        event = append_event(session, document=doc, data=data, actor=actor, today=today)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return event


def list_events(session: Session, *, document_id: str, offset: int = 0, limit: int = 100) -> tuple[int, list[Event]]:
    if session.get(Document, document_id) is None:
        raise NotFound(f"no document with id {document_id!r}")
    total = session.exec(select(func.count()).select_from(Event).where(Event.document_id == document_id)).one()
    rows = session.exec(select(Event).where(Event.document_id == document_id).order_by(col(Event.id))
                        .offset(offset).limit(limit))
    return int(total), list(rows)
