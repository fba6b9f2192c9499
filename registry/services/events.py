"""Recording events: the only way a document's status changes.

:func:`append_many` is the one write path for events, used by staff actions, ingestion (a catalog's
claims and dated changes), relations (repeals and amendments a catalog states) and clearing alike. Each
call checks every payload for its type (a clearing result always names its result, a partial invalidity
always says which provisions), inserts the events, recomputes the stored status once and writes the
change feed and the search outbox, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from registry.errors import InvalidInput, NotFound
from registry.models import Document, Event, EventCreate
from registry.models._types import utcnow
from registry.rules.dates import parse_date
from registry.rules.status import ClearingResult, EventType, FilingReviewOutcome, parse_status
from registry.rules.validity import not_revoked
from registry.services import article_validity
from registry.services.lookup import resolve
from registry.services.validity import Subject, events_of, refresh_statuses
from registry.storage import audit

DATE_REQUIRED = {
    EventType.FILED, EventType.LEGALITY_REVIEWED, EventType.FILING_REVIEWED, EventType.CLEARED,
    EventType.REPEALED, EventType.AMENDED, EventType.DECLARED_INVALID, EventType.PARTIALLY_INVALID,
    EventType.RENEWED, EventType.EXPIRED, EventType.STATUS_ASSERTED,
}


def event_type(value: str) -> EventType:
    try:
        return EventType(value)
    except ValueError as exc:
        raise InvalidInput(f"unknown event type {value!r}",
                           details={"allowed": [t.value for t in EventType]}) from exc


def _validate(session: Session, doc_id: str, etype: EventType, data: EventCreate) -> dict[str, Any]:
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
        new_expiry = parse_date(str(payload.get("new_expiry") or ""), "payload.new_expiry")
        if new_expiry is None:
            raise InvalidInput("a renewal needs payload.new_expiry as YYYY-MM-DD")
        payload["new_expiry"] = new_expiry.isoformat()
    elif etype is EventType.STATUS_ASSERTED:
        try:
            payload["status"] = parse_status(str(payload.get("status", ""))).value
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
    elif etype is EventType.REVOKED:
        target = session.get(Event, int(payload.get("undoes") or 0))
        if target is None or target.document_id != doc_id:
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


def append_many(
    session: Session, *, document: Document, items: Sequence[EventCreate], actor: str, today: date,
    prior: list[Event] | None = None, audited: bool = True,
) -> list[Event]:
    """Append ``items`` to ``document``'s log inside the caller's transaction (no commit), then bring its
    status, change feed and search outbox up to date once.

    Every item is checked before anything is written, so an invalid one raises InvalidInput and leaves
    the transaction as it was. ``prior`` are the document's events when the caller already holds them
    (ingestion), saving a read. With ``audited`` each event gets its own audit entry when the
    transaction commits; ingestion audits the whole stored file instead.
    """
    return append_batch(session, entries=[(document, items, prior)], actor=actor, today=today, audited=audited)[0]


Entry = tuple[Subject, Sequence[EventCreate], list[Event] | None]  # document, new events, its prior events


def append_batch(session: Session, *, entries: Sequence[Entry], actor: str, today: date,
                 audited: bool = True) -> list[list[Event]]:
    """:func:`append_many` for many documents at once (a bulk import's chunk): the same checks, then one
    INSERT for every event of every document and one refresh of all their statuses. A document given
    no events is left alone. Returns each document's new events, in the order of ``entries``.
    """
    rows: list[dict[str, Any]] = []
    for document, items, _prior in entries:
        checked = [(event_type(data.type), data) for data in items]
        rows.extend({"document_id": document.id, "type": etype.value, "date": data.date,
                     "legal_basis": data.legal_basis, "payload": _validate(session, document.id, etype, data),
                     "evidence": data.evidence, "text": data.text, "actor": actor[:200], "recorded_at": utcnow()}
                    for etype, data in checked)
    if not rows:
        return [[] for _ in entries]
    ids = session.execute(insert(Event).returning(col(Event.id), sort_by_parameter_order=True), rows).scalars().all()
    made = iter([Event(id=event_id, **row) for event_id, row in zip(ids, rows, strict=True)])
    out: list[list[Event]] = []
    refresh: list[tuple[Subject, list[Event], int | None]] = []
    for document, items, prior in entries:
        events = [next(made) for _ in items]
        out.append(events)
        if events:
            own = [e.id for e in events if e.id is not None]
            history = (prior if prior is not None else events_of(session, document.id, exclude=own)) + events
            refresh.append((document, history, events[-1].id))
    refresh_statuses(session, refresh, today)
    article_validity.refresh(session, [document.id for (document, _i, _p), events in zip(entries, out, strict=True)
                                       if any(e.type in article_validity.WATCHED for e in events)])
    digests = {event_id: audit.event_digest({**row, "id": event_id}) for event_id, row in zip(ids, rows, strict=True)}
    if audited:
        for (document, _items, _prior), events in zip(entries, out, strict=True):
            for ev in events:
                audit.record(session, actor=actor, action="event.append", target=document.id,
                             details={"event_id": ev.id, "type": ev.type, "status": document.status,
                                      "event_sha256": digests[ev.id or 0]})
    else:  # the caller audits what it did (a file stored); the events' contents are chained here, in one entry
        audit.record(session, actor=actor, action="event.batch", target=None,
                     details={"event_ids": audit.id_ranges(digests),
                              "events_sha256": audit.events_digest(digests[i] for i in sorted(digests))})
    return out


def append(session: Session, *, document: Document, data: EventCreate, actor: str, today: date) -> Event:
    """Append one event (see :func:`append_many`)."""
    return append_many(session, document=document, items=[data], actor=actor, today=today)[0]


def record_event(session: Session, *, document_id: str, data: EventCreate, actor: str, today: date) -> Event:
    """Record one event and commit. Raises NotFound / InvalidInput without writing anything."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"no document with id {document_id!r}")
    try:
        event = append(session, document=doc, data=data, actor=actor, today=today)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return event


def live_events(session: Session, doc_ids: list[str] | None, types: set[EventType]) -> dict[str, list[Event]]:
    """Events of these types that no ``revoked`` event undid, per document, oldest first."""
    wanted = [t.value for t in types] + [EventType.REVOKED.value]
    query = select(Event).where(col(Event.type).in_(wanted)).order_by(col(Event.id))
    if doc_ids is not None:
        query = query.where(col(Event.document_id).in_(doc_ids))
    out: dict[str, list[Event]] = {}
    for e in not_revoked(session.exec(query)):
        out.setdefault(e.document_id, []).append(e)
    return out


def list_events(session: Session, *, document_id: str, offset: int = 0, limit: int = 100) -> tuple[int, list[Event]]:
    if session.get(Document, document_id) is None:
        raise NotFound(f"no document with id {document_id!r}")
    total = session.exec(select(func.count()).select_from(Event).where(Event.document_id == document_id)).one()
    rows = session.exec(select(Event).where(Event.document_id == document_id).order_by(col(Event.id))
                        .offset(offset).limit(limit))
    return int(total), list(rows)
