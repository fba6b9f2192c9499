"""Filing (备案), legality review (合法性审核) and filing review (备案审查).

A normative document is filed with the supervising body within ``filing_deadline_days`` of publication
(30 by default, 《法规规章备案审查条例》); legality review happens before publication; filing review ends
with 通过, 纠正 or 撤销 (撤销 makes the document invalid through the validity engine). Each is an event
with its evidence, so the question "was it filed on time, and where is the proof" has one answer.
Only documents of the category 行政规范性文件 are due for filing; laws and interpretations are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from registry.errors import InvalidInput
from registry.models import Document, Event, EventCreate
from registry.models.answers import DocumentSummary, brief
from registry.models.records import FilingRecorded, FilingReviewRecorded, LegalityReviewRecorded
from registry.rules.status import EventType, FilingReviewOutcome
from registry.services.events import append, live_events, record_event
from registry.services.lookup import resolve

NORMATIVE = "行政规范性文件"


@dataclass(frozen=True, slots=True)
class FilingState:
    """Where a document stands with filing on a given day."""

    state: str  # on_time, late, missing, pending, unknown
    deadline: date | None
    filed_on: date | None
    days_late: int = 0


def filing_deadline(doc: Document, days: int) -> date | None:
    return doc.publication_date + timedelta(days=days) if doc.publication_date else None


def filing_state(doc: Document, filings: list[Event], *, today: date, days: int) -> FilingState:
    deadline = filing_deadline(doc, days)
    filed_on = min((e.date for e in filings if e.date), default=None)
    if deadline is None:
        return FilingState("unknown", None, filed_on)
    if filed_on is not None:
        late = (filed_on - deadline).days
        return FilingState("late" if late > 0 else "on_time", deadline, filed_on, max(late, 0))
    if today > deadline:
        return FilingState("missing", deadline, None, (today - deadline).days)
    return FilingState("pending", deadline, None)


def _record(session: Session, ref: str, data: EventCreate, *, actor: str, today: date) -> tuple[Document, Event]:
    doc = resolve(session, ref)
    return doc, record_event(session, document_id=doc.id, data=data, actor=actor, today=today)


def record_filing(
    session: Session, *, ref: str, filed_on: date, filed_with: str, actor: str, today: date, days: int,
    evidence: dict[str, Any] | None = None, filing_number: str | None = None,
) -> FilingRecorded:
    """Record that ``ref`` was filed with ``filed_with`` on ``filed_on``; says whether that was late."""
    if not filed_with.strip():
        raise InvalidInput("say with whom it was filed")
    if filed_on > today:
        raise InvalidInput("a filing cannot be recorded before it happens", details={"filed_on": filed_on.isoformat()})
    payload: dict[str, Any] = {"with": filed_with.strip()}
    if filing_number:
        payload["filing_number"] = filing_number
    doc = resolve(session, ref)
    try:
        event = append(session, document=doc, actor=actor, today=today, data=EventCreate(
            type=EventType.FILED.value, date=filed_on, payload=payload, evidence=evidence or {}))
        filings = live_events(session, [doc.id], {EventType.FILED}).get(doc.id, [])
        state = filing_state(doc, filings, today=today, days=days)
        session.commit()  # last: no transaction is left open for the caller (SQLite write lock)
    except Exception:
        session.rollback()
        raise
    return FilingRecorded(document=DocumentSummary.of(doc), event_id=_id(event), filed_on=filed_on.isoformat(),
                          filed_with=payload["with"], deadline=state.deadline.isoformat() if state.deadline else None,
                          state=state.state, days_late=state.days_late)


def record_legality_review(
    session: Session, *, ref: str, reviewed_on: date, reviewer: str, opinion: str | None, actor: str, today: date,
    evidence: dict[str, Any] | None = None,
) -> LegalityReviewRecorded:
    """Record the legality review; flags one that came after publication (it must come before)."""
    if not reviewer.strip():
        raise InvalidInput("say who carried out the legality review")
    doc, event = _record(session, ref, EventCreate(
        type=EventType.LEGALITY_REVIEWED.value, date=reviewed_on, payload={"reviewer": reviewer.strip(),
                                                                         "opinion": opinion or ""},
        evidence=evidence or {}), actor=actor, today=today)
    before = doc.publication_date is None or reviewed_on <= doc.publication_date
    return LegalityReviewRecorded(document=DocumentSummary.of(doc), event_id=_id(event),
                                  reviewed_on=reviewed_on.isoformat(), before_publication=before,
                                  flags=[] if before else ["legality_review_after_publication"])


def record_filing_review(
    session: Session, *, ref: str, reviewed_on: date, outcome: str, reviewer: str | None, actor: str, today: date,
    legal_basis: str | None = None, evidence: dict[str, Any] | None = None,
) -> FilingReviewRecorded:
    """Record a filing review outcome (通过, 纠正, 撤销); 撤销 ends the document's validity from that date."""
    try:
        value = FilingReviewOutcome(outcome.strip()).value
    except ValueError as exc:
        raise InvalidInput("a filing review outcome must be 通过, 纠正 or 撤销", details={"outcome": outcome}) from exc
    doc, event = _record(session, ref, EventCreate(
        type=EventType.FILING_REVIEWED.value, date=reviewed_on, legal_basis=legal_basis,
        payload={"outcome": value, "reviewer": reviewer or ""}, evidence=evidence or {}), actor=actor, today=today)
    return FilingReviewRecorded(document=DocumentSummary.of(doc), event_id=_id(event), outcome=value,
                                status=doc.status)


def filing_report(session: Session, *, today: date, days: int) -> list[dict[str, Any]]:
    """Every normative document whose filing is missing past its deadline or was late."""
    docs = list(session.exec(select(Document).where(Document.category == NORMATIVE)))
    filed = live_events(session, None, {EventType.FILED})
    out = []
    for doc in docs:
        state = filing_state(doc, filed.get(doc.id, []), today=today, days=days)
        if state.state in ("missing", "late"):
            out.append({**brief(doc), "publication_date": doc.publication_date.isoformat() if doc.publication_date else None,
                        "deadline": state.deadline.isoformat() if state.deadline else None,
                        "filed_on": state.filed_on.isoformat() if state.filed_on else None,
                        "state": state.state, "days_late": state.days_late})
    return sorted(out, key=lambda r: (-r["days_late"], r["title"]))


def _id(event: Event) -> int:
    """The id of an event just flushed (the database gave it one)."""
    assert event.id is not None
    return event.id
