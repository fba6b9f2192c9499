"""Policy interpretations (政策解读): linking them to their policy, and policies still without one.

The 2016 circular asks for an interpretation within 3 working days of the policy (configurable). Working
days follow the official calendar (``registry.rules.workdays``); for a year that calendar does not know, the
policy is reported under ``calendar_unknown`` with the reason, never judged on weekends alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.models import Document, EventCreate, Relation
from registry.models.answers import DocumentSummary, brief
from registry.models.records import InterpretationLinked
from registry.rules.status import EventType, Status
from registry.rules.workdays import CalendarUnknown, add_workdays
from registry.services.events import append, live_events
from registry.services.filing import NORMATIVE
from registry.services.lookup import resolve

INTERPRETS = "interprets"
OPEN_STATUSES = (Status.IN_FORCE.value, Status.NOT_YET_EFFECTIVE.value, Status.PARTIALLY_INVALID.value)


def link_interpretation(
    session: Session, *, interpretation_ref: str, policy_ref: str, actor: str, today: date, working_days: int = 3
) -> InterpretationLinked:
    """Link an interpretation to its policy (relation ``interprets`` + event ``interpretation_linked``).

    Linking the same pair again changes nothing. The answer says whether it was published in time.
    """
    interp = resolve(session, interpretation_ref)
    policy = resolve(session, policy_ref)
    if interp.id == policy.id:
        raise InvalidInput("a document cannot interpret itself")
    linked = live_events(session, [policy.id], {EventType.INTERPRETATION_LINKED}).get(policy.id, [])
    existing = next((e for e in linked if e.payload.get("interpretation_id") == interp.id), None)
    created = False
    try:
        rel = session.exec(select(Relation).where(Relation.source_id == interp.id, Relation.target_id == policy.id,
                                                  Relation.kind == INTERPRETS)).first()
        if rel is None:
            session.add(Relation(source_id=interp.id, target_id=policy.id, kind=INTERPRETS, state="confirmed",
                                 quote=f"linked by {actor}"))
        elif rel.state != "confirmed":
            rel.state = "confirmed"
            session.add(rel)
        if existing is None:
            existing = append(session, document=policy, actor=actor, today=today, data=EventCreate(
                type=EventType.INTERPRETATION_LINKED.value, date=interp.publication_date or today,
                payload={"interpretation_id": interp.id}, evidence={"interpretation_title": interp.title}))
            created = True
        session.commit()
    except Exception:
        session.rollback()
        raise
    timing = _timing(policy, interp.publication_date or today, working_days)
    assert existing.id is not None
    return InterpretationLinked(policy=DocumentSummary.of(policy), interpretation=DocumentSummary.of(interp),
                                event_id=existing.id, created=created, **timing)


def _timing(policy: Document, published: date, working_days: int) -> dict[str, Any]:
    if policy.publication_date is None:
        return {"deadline": None, "on_time": None}
    try:
        deadline = add_workdays(policy.publication_date, working_days)
    except CalendarUnknown as exc:
        return {"deadline": None, "on_time": None, "calendar_unknown": exc.message}
    return {"deadline": deadline.isoformat(), "on_time": published <= deadline}


def interpretation_map(session: Session) -> dict[str, list[str]]:
    """Policy id -> ids of its interpretations (confirmed relations and live link events)."""
    out: dict[str, set[str]] = {}
    for source, target in session.exec(select(Relation.source_id, Relation.target_id).where(
            Relation.kind == INTERPRETS, col(Relation.state) != "rejected", col(Relation.target_id).is_not(None))):
        out.setdefault(str(target), set()).add(source)
    for doc_id, events in live_events(session, None, {EventType.INTERPRETATION_LINKED}).items():
        for e in events:
            if e.payload.get("interpretation_id"):
                out.setdefault(doc_id, set()).add(str(e.payload["interpretation_id"]))
    return {k: sorted(v) for k, v in out.items()}


def missing_interpretations(session: Session, *, today: date, working_days: int = 3) -> dict[str, Any]:
    """Normative documents past their deadline without an interpretation; those whose deadline falls in a
    year the official calendar does not know are listed apart, with the reason."""
    have = interpretation_map(session)
    missing: list[dict[str, Any]] = []
    unknown: list[dict[str, Any]] = []
    for doc in session.exec(select(Document).where(Document.category == NORMATIVE)
                            .order_by(col(Document.publication_date))):
        if doc.publication_date is None or doc.id in have or doc.publication_date > today:
            continue
        if doc.status not in OPEN_STATUSES:  # nobody writes an interpretation of a repealed text
            continue
        try:
            deadline = add_workdays(doc.publication_date, working_days)
        except CalendarUnknown as exc:
            unknown.append({**brief(doc), "publication_date": doc.publication_date.isoformat(), "reason": exc.message})
            continue
        if today > deadline:
            missing.append({**brief(doc), "publication_date": doc.publication_date.isoformat(), "deadline": deadline.isoformat(),
                            "days_overdue": (today - deadline).days})
    return {"missing": missing, "calendar_unknown": unknown}
