"""Each user's inbox: what is due and overdue within the actor's reach, each with its deadline.

The deadlines are the registry's own, computed by the services that already own them — filing
(:func:`registry.services.filing.filing_state`), interpretations
(:func:`registry.services.interpretations.interpretation_map`), validity periods
(:func:`registry.services.periods.period_watch`) — and working days by
:mod:`registry.rules.workdays`; a date in a year the official calendar does not know is listed with that
reason, never guessed. Read-only: opening the inbox changes nothing.

Sections: ``filing`` (30 days after publication), ``interpretation`` (3 working days), ``disclosure``
(registered but unpublished, 20 working days after it was made), ``expiry`` (periods ending within the
reminder windows), and for reviewers ``filing_review`` (30 days after filing, +20 when extended),
``proposals`` (waiting for a reviewer) and ``clearing`` (rows the matcher left for review). ``suggestions``:
审查建议 not yet answered, due ``suggestion_answer_days`` after they came in. ``basis`` lists the open review
tasks a changed basis (上位法) opened, each due when its task says. ``mine`` lists
the actor's own proposals still waiting; it is not counted as something to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from registry.models import ClearingCampaign, ClearingRow, Document
from registry.rules.status import EventType
from registry.rules.workdays import CalendarUnknown, add_workdays
from registry.services import suggestions
from registry.services.events import live_events
from registry.services.filing import NORMATIVE, filing_state
from registry.services.interpretations import OPEN_STATUSES, interpretation_map
from registry.services.periods import period_watch
from registry.services.proposals import open_proposals
from registry.services.tasks import list_tasks
from registry.settings import Settings

Reach = frozenset[int] | None
EXTENDED = "filing_review_extended"  # payload ``action`` of the note a reviewer records to extend a review
SHOWN = 100  # items listed per section (the count covers them all)
SECTIONS = ("proposals", "filing_review", "clearing", "suggestions", "basis", "filing", "interpretation", "disclosure",
            "expiry",
            "mine")
COUNTED = set(SECTIONS) - {"mine"}


def _doc(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "title": doc.title, "doc_number": doc.doc_number}


def _item(doc: Document | None, *, due: date | None, today: date, anchor: str, **extra: Any) -> dict[str, Any]:
    days = (due - today).days if due else None
    return {"document": _doc(doc) if doc else None, "due": due.isoformat() if due else None,
            "overdue": days is not None and days < 0, "days": days, "anchor": anchor, **extra}


def _workday_deadline(start: date, n: int) -> tuple[date | None, str | None]:
    try:
        return add_workdays(start, n), None
    except CalendarUnknown as exc:
        return None, exc.message


def _filing(docs: list[Document], today: date, settings: Settings, session: Session) -> list[dict[str, Any]]:
    normative = [d for d in docs if d.category == NORMATIVE and d.published_at is not None and d.publication_date]
    filed = live_events(session, [d.id for d in normative], {EventType.FILED})
    out = []
    for doc in normative:
        state = filing_state(doc, filed.get(doc.id, []), today=today, days=settings.filing_deadline_days)
        if state.state in ("pending", "missing"):
            out.append(_item(doc, due=state.deadline, today=today, anchor="filing"))
    return out


def _interpretation(docs: list[Document], today: date, settings: Settings,
                    session: Session) -> list[dict[str, Any]]:
    have = interpretation_map(session)
    out = []
    for doc in docs:
        if (doc.category != NORMATIVE or doc.published_at is None or doc.publication_date is None
                or doc.publication_date > today or doc.id in have or doc.status not in OPEN_STATUSES):
            continue
        due, unknown = _workday_deadline(doc.publication_date, settings.interpretation_working_days)
        out.append(_item(doc, due=due, today=today, anchor="interpretation", calendar_unknown=unknown))
    return out


def _disclosure(docs: list[Document], today: date, settings: Settings) -> list[dict[str, Any]]:
    out = []
    for doc in docs:
        if doc.published_at is not None:
            continue
        start = doc.written_date or doc.created_at.date()
        due, unknown = _workday_deadline(start, settings.disclosure_working_days)
        out.append(_item(doc, due=due, today=today, anchor="publish", calendar_unknown=unknown))
    return out


def _expiry(session: Session, by_id: dict[str, Document], today: date, settings: Settings) -> list[dict[str, Any]]:
    watch = period_watch(session, today=today, reminder_months=settings.reminder_months,
                         max_provisional_years=settings.max_provisional_years)
    out = []
    for months, rows in watch["ending_within_months"].items():
        for row in rows:
            doc = by_id.get(row["id"])
            if doc is not None:
                out.append(_item(doc, due=date.fromisoformat(row["expiry_date"]), today=today, anchor="renewal",
                                 window_months=int(months)))
    return out


def _filing_review(session: Session, docs: list[Document], today: date, settings: Settings) -> list[dict[str, Any]]:
    ids = [d.id for d in docs]
    live = live_events(session, ids, {EventType.FILED, EventType.FILING_REVIEWED, EventType.NOTE})
    out = []
    for doc in docs:
        events = live.get(doc.id, [])
        filings = [e.date for e in events if e.type == EventType.FILED.value and e.date]
        if not filings or any(e.type == EventType.FILING_REVIEWED.value for e in events):
            continue
        extended = any(e.type == EventType.NOTE.value and e.payload.get("action") == EXTENDED for e in events)
        days = settings.filing_review_days + (settings.filing_review_extension_days if extended else 0)
        out.append(_item(doc, due=min(filings) + timedelta(days=days), today=today, anchor="filing-review",
                         extended=extended))
    return out


def _clearing(session: Session, today: date) -> list[dict[str, Any]]:
    rows = session.exec(select(ClearingRow, ClearingCampaign)
                        .join(ClearingCampaign, col(ClearingCampaign.id) == col(ClearingRow.campaign_id))
                        .where(col(ClearingRow.match_state) == "review")
                        .order_by(col(ClearingCampaign.decided_on), col(ClearingRow.row_no)))
    return [_item(None, due=None, today=today, anchor=f"row-{r.row_no}", campaign=c.name, row=r.row_no,
                  title=r.title, result=r.result) for r, c in rows]


def _basis(session: Session, by_id: dict[str, Document], reach: Reach, today: date) -> list[dict[str, Any]]:
    """Open ``basis_changed`` review tasks (:mod:`registry.services.basis_watch`) on documents in reach."""
    out = []
    for task in list_tasks(session, state="open", reach=reach):
        doc = by_id.get(task.document_id)
        if doc is not None:
            out.append(_item(doc, due=task.due, today=today, anchor=f"task-{task.id}", href=f"/staff/tasks/{task.id}",
                             basis=task.basis_title))
    return out


def _proposal(p: Any, doc: Document, today: date) -> dict[str, Any]:
    return _item(doc, due=None, today=today, anchor=f"proposal-{p.id}", proposal=p.id, kind=p.kind,
                 proposed_by=p.proposed_by, since=p.proposed_at.date().isoformat())


def _order(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda i: (i["due"] is None, i["due"] or "", i["document"]["title"] if i["document"]
                                        else ""))


def build_inbox(session: Session, *, reach: Reach, reviewer: bool, actor: str, today: date,
                settings: Settings) -> dict[str, Any]:
    """The inbox of an actor whose reach is ``reach``; ``reviewer`` adds what only reviewers decide."""
    query = select(Document) if reach is None else select(Document).where(col(Document.office_id).in_(reach))
    docs = list(session.exec(query))
    by_id = {d.id: d for d in docs}
    sections: dict[str, list[dict[str, Any]]] = {
        "filing": _filing(docs, today, settings, session),
        "interpretation": _interpretation(docs, today, settings, session),
        "disclosure": _disclosure(docs, today, settings),
        "expiry": _expiry(session, by_id, today, settings),
        "basis": _basis(session, by_id, reach, today),
    }
    sections["suggestions"] = suggestions.inbox_section(session, reach, today)  # 审查建议, 15 days to answer
    waiting = open_proposals(session, reach)
    sections["mine"] = [_proposal(p, d, today) for p, d in waiting if p.proposed_by == actor]
    if reviewer:
        sections["filing_review"] = _filing_review(session, docs, today, settings)
        sections["proposals"] = [_proposal(p, d, today) for p, d in waiting if p.proposed_by != actor]
        sections["clearing"] = _clearing(session, today)
    out = []
    for key in SECTIONS:
        if key in sections:
            items = _order(sections[key])
            out.append({"key": key, "total": len(items), "overdue": sum(i["overdue"] for i in items),
                        "items": items[:SHOWN]})
    return {"today": today.isoformat(), "sections": out,
            "total": sum(s["total"] for s in out if s["key"] in COUNTED),
            "overdue": sum(s["overdue"] for s in out if s["key"] in COUNTED)}

