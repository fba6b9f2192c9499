"""Validity periods: the daily sweep, reminders before a period ends, and renewals.

The validity engine already answers ``invalid`` the day after a period ends; what it cannot do by itself
is tell anyone. ``sweep`` records one ``expired`` event per ended period (never twice for the same period,
so it can run every day or be rerun), brings every stored status that time has changed up to date, and in
both cases the change feed and the search outbox are written in the same transaction. It also lists the
periods ending within the reminder windows (6, 2 and 1 months) and 暂行/试行 documents in force for
longer than allowed (2 years).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from ingest.dates import add_years, expiry_after
from registry.errors import InvalidInput
from registry.models import Document, Event, EventCreate
from registry.models.answers import DocumentSummary, brief
from registry.models.records import RenewalRecorded, SweepResult
from registry.rules.refs import registration_number_key
from registry.rules.status import EventType, Status
from registry.rules.validity import PROVISIONAL_MARKERS, effective_expiry, evaluate, not_revoked
from registry.services.events import append
from registry.services.lookup import resolve
from registry.services.validity import event_facts, facts_of, refresh_status
from registry.storage import audit


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, on the last day of the month where the day does not exist."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _all_events(session: Session) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for ev in session.exec(select(Event).order_by(col(Event.id))):
        out.setdefault(ev.document_id, []).append(ev)
    return out


def _row(doc: Document, **extra: Any) -> dict[str, Any]:
    return {**brief(doc), **extra}


def sweep(session: Session, *, today: date, actor: str, reminder_months: tuple[int, ...] = (6, 2, 1),
          max_provisional_years: int = 2) -> SweepResult:
    """Record ended periods, refresh stale statuses and list what needs attention; one transaction."""
    events = _all_events(session)
    expired: list[dict[str, Any]] = []
    refreshed: list[dict[str, Any]] = []
    try:
        for doc in session.exec(select(Document).order_by(col(Document.id))).all():
            doc_events = events.get(doc.id, [])
            facts = event_facts(doc_events)
            ans = evaluate(facts_of(doc), facts, today)
            period_end = effective_expiry(facts_of(doc), facts, today)
            if (ans.status is Status.INVALID and ans.evidence and ans.evidence[0].get("type") == "validity_period"
                    and period_end is not None and not _expiry_recorded(doc_events, period_end)):
                old = doc.status
                ev = append(session, document=doc, actor=actor, today=today, data=EventCreate(
                    type=EventType.EXPIRED.value, date=period_end + timedelta(days=1),
                    payload={"expiry_date": period_end.isoformat()},
                    evidence={"sweep": today.isoformat()}, text=ans.reason))
                expired.append(_row(doc, expiry_date=period_end.isoformat(), event_id=ev.id,
                                    old_status=old, new_status=doc.status))
            elif ans.status.value != doc.status:
                old = doc.status
                refresh_status(session, doc, today, events=doc_events)
                refreshed.append(_row(doc, old_status=old, new_status=doc.status))
        session.flush()
        watch = period_watch(session, today=today, reminder_months=reminder_months,
                             max_provisional_years=max_provisional_years)
        audit.record(session, actor=actor, action="sweep", target=None,
                     details={"today": today.isoformat(), "expired": [r["id"] for r in expired],
                              "refreshed": [r["id"] for r in refreshed]})
        session.commit()  # last: no transaction is left open for the caller (SQLite write lock)
    except Exception:
        session.rollback()
        raise
    return SweepResult(today=today.isoformat(), expired=expired, refreshed=refreshed, **watch)


def period_watch(session: Session, *, today: date, reminder_months: tuple[int, ...] = (6, 2, 1),
                 max_provisional_years: int = 2) -> dict[str, Any]:
    """Read-only: periods ending within each reminder window (each document in the nearest window) and
    暂行/试行 documents in force beyond the provisional limit."""
    events = _all_events(session)
    windows = sorted(reminder_months)
    ending: dict[str, list[dict[str, Any]]] = {str(m): [] for m in windows}
    provisional: list[dict[str, Any]] = []
    for doc in session.exec(select(Document).order_by(col(Document.id))).all():
        facts = event_facts(events.get(doc.id, []))
        ans = evaluate(facts_of(doc), facts, today)
        if not ans.status.in_force:
            continue
        period_end = effective_expiry(facts_of(doc), facts, today)
        if period_end is not None and period_end >= today:
            for m in windows:
                if period_end <= add_months(today, m):
                    ending[str(m)].append(_row(doc, expiry_date=period_end.isoformat(),
                                               days_left=(period_end - today).days))
                    break
        start = doc.effective_date or doc.publication_date
        if any(w in doc.title for w in PROVISIONAL_MARKERS) and start is not None:
            limit = expiry_after(start, max_provisional_years)
            too_long = period_end is not None and period_end > limit
            if today > limit or too_long:
                provisional.append(_row(doc, effective_date=start.isoformat(),
                                        expiry_date=period_end.isoformat() if period_end else None,
                                        years_in_force=round((today - start).days / 365.25, 1),
                                        period_too_long=too_long))
    for items in ending.values():
        items.sort(key=lambda r: r["expiry_date"])
    return {"ending_within_months": ending, "provisional_over_limit": provisional}


def _expiry_recorded(events: list[Event], period_end: date) -> bool:
    return any(e.type == EventType.EXPIRED.value and e.payload.get("expiry_date") == period_end.isoformat()
               for e in not_revoked(events))


def renew(
    session: Session, *, ref: str, new_expiry: date, renewed_on: date, actor: str, today: date,
    registration_number: str | None = None, legal_basis: str | None = None, max_years: int = 5,
) -> RenewalRecorded:
    """Record a new validity period ending ``new_expiry`` (and a new registration number where the
    jurisdiction issues one); the document's status follows in the same transaction."""
    doc = resolve(session, ref)
    if new_expiry < renewed_on:
        raise InvalidInput("the new period ends before the renewal")
    old_number = doc.registration_number
    payload: dict[str, Any] = {"new_expiry": new_expiry.isoformat()}
    if registration_number:
        payload["registration_number"] = registration_number.strip()
        payload["previous_registration_number"] = old_number
    flags = ["period_too_long"] if new_expiry > add_years(renewed_on, max_years) else []
    try:
        if registration_number:
            doc.registration_number = registration_number.strip()
            doc.registration_number_key = registration_number_key(doc.registration_number)
            doc.version += 1
        event = append(session, document=doc, actor=actor, today=today, data=EventCreate(
            type=EventType.RENEWED.value, date=renewed_on, legal_basis=legal_basis, payload=payload))
        session.commit()
    except Exception:
        session.rollback()
        raise
    assert event.id is not None
    return RenewalRecorded(document=DocumentSummary.of(doc), event_id=event.id, new_expiry=new_expiry.isoformat(),
                           status=doc.status, flags=flags)
