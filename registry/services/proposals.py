"""Proposals: a clerk proposes a status-changing decision, a reviewer confirms or rejects it.

What is guaranteed:

- only ``repealed``, ``amended``, ``declared_invalid`` and ``partially_invalid`` are proposed; a partial
  invalidity always names its articles, a named successor is resolved to a document before anything is
  stored, so a proposal that would fail when confirmed is refused when it is made;
- a proposal changes state once: every transition is one conditional UPDATE on ``state = 'open'``, so of
  two reviewers confirming at the same moment one wins and the other gets Conflict (no event twice);
- only its author withdraws it, and nobody confirms their own proposal (four eyes);
- confirming appends the event through :func:`registry.services.events.append` — the one write path —
  with the proposer and the confirmer in its payload and evidence, in the same transaction.

The caller (the façade) checks that the actor's reach covers the document and that a decider is a reviewer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from registry.models import Document, EventCreate, Proposal
from registry.models._types import utcnow
from registry.rules.status import EventType
from registry.services.events import append
from registry.services.lookup import resolve
from registry.storage import audit

PROPOSABLE = (EventType.REPEALED, EventType.AMENDED, EventType.DECLARED_INVALID, EventType.PARTIALLY_INVALID)
STATES = ("open", "withdrawn", "confirmed", "rejected")


def _kind(value: str) -> EventType:
    for kind in PROPOSABLE:
        if kind.value == value:
            return kind
    raise InvalidInput("只能提议废止、修改、宣布失效或部分失效 (propose repealed, amended, declared_invalid or "
                       "partially_invalid)", details={"kind": value, "allowed": [k.value for k in PROPOSABLE]})


def propose(session: Session, *, document: Document, kind: str, on: date | None, actor: str,
            legal_basis: str | None = None, successor: str | None = None, provisions: list[str] | None = None,
            note: str = "") -> Proposal:
    """Store an open proposal for ``document`` and commit; InvalidInput (nothing stored) when incomplete."""
    etype = _kind(kind)
    if on is None:
        raise InvalidInput("请填写生效日期 (say from which day the change takes effect)")
    payload: dict[str, Any] = {}
    if successor and successor.strip():
        other = resolve(session, successor.strip())
        if other.id == document.id:
            raise InvalidInput("新文件不能是本文件 (a document cannot succeed itself)")
        payload["successor_id"] = other.id
    items = [p.strip() for p in provisions or [] if p.strip()]
    if etype is EventType.PARTIALLY_INVALID:
        if not items:
            raise InvalidInput("部分失效须写明失效的条款 (name the articles that no longer apply)")
        payload["provisions"] = items
    proposal = Proposal(document_id=document.id, kind=etype.value, date=on, legal_basis=(legal_basis or "").strip()
                        or None, payload=payload, note=note.strip(), proposed_by=actor[:200])
    try:
        session.add(proposal)
        session.flush()
        audit.record(session, actor=actor, action="proposal.create", target=document.id,
                     details={"proposal": proposal.id, "kind": etype.value, "date": on.isoformat()})
        session.commit()
    except Exception:
        session.rollback()
        raise
    return proposal


def get_proposal(session: Session, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(f"没有编号为 {proposal_id} 的提议 (no proposal {proposal_id})")
    return proposal


def _close(session: Session, proposal: Proposal, *, state: str, actor: str, note: str | None,
           event_id: int | None = None) -> None:
    """Move an open proposal to ``state``; Conflict when someone else already did."""
    result = session.execute(update(Proposal).where(col(Proposal.id) == proposal.id, col(Proposal.state) == "open")
                             .values(state=state, decided_by=actor[:200], decided_at=utcnow(),
                                     decision_note=(note or "").strip()[:2000] or None, event_id=event_id))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("该提议已被处理 (this proposal was already decided or withdrawn)",
                       details={"proposal": proposal.id})
    session.expire(proposal)


def withdraw(session: Session, *, proposal: Proposal, actor: str) -> Proposal:
    """The author takes an open proposal back."""
    if proposal.proposed_by != actor:
        raise Forbidden("只有提出人可以撤回该提议 (only its author may withdraw a proposal)")
    try:
        _close(session, proposal, state="withdrawn", actor=actor, note=None)
        audit.record(session, actor=actor, action="proposal.withdraw", target=proposal.document_id,
                     details={"proposal": proposal.id})
        session.commit()
    except Exception:
        session.rollback()
        raise
    return get_proposal(session, proposal.id or 0)


def decide(session: Session, *, proposal: Proposal, confirm: bool, actor: str, today: date,
           note: str | None = None) -> Proposal:
    """Confirm (append the event, naming proposer and confirmer) or reject an open proposal; one transaction."""
    if proposal.proposed_by == actor:
        raise Forbidden("不能审核自己提出的提议 (nobody confirms their own proposal)")
    if proposal.state != "open":
        raise Conflict("该提议已被处理 (this proposal was already decided or withdrawn)",
                       details={"proposal": proposal.id, "state": proposal.state})
    doc = session.get(Document, proposal.document_id)
    if doc is None:
        raise NotFound(f"no document with id {proposal.document_id!r}")
    try:
        event_id = None
        if confirm:
            people = {"proposal_id": proposal.id, "proposed_by": proposal.proposed_by, "confirmed_by": actor}
            event = append(session, document=doc, actor=actor, today=today, data=EventCreate(
                type=proposal.kind, date=proposal.date, legal_basis=proposal.legal_basis,
                payload={**proposal.payload, **people}, evidence={**people, "proposal_note": proposal.note},
                text=proposal.note or None))
            event_id = event.id
        _close(session, proposal, state="confirmed" if confirm else "rejected", actor=actor, note=note,
               event_id=event_id)
        audit.record(session, actor=actor, action="proposal.confirm" if confirm else "proposal.reject",
                     target=proposal.document_id, details={"proposal": proposal.id, "event_id": event_id})
        session.commit()
    except Exception:
        session.rollback()
        raise
    return get_proposal(session, proposal.id or 0)


def proposals_of(session: Session, document_id: str) -> list[Proposal]:
    """A document's proposals, newest first."""
    return list(session.exec(select(Proposal).where(Proposal.document_id == document_id)
                             .order_by(col(Proposal.id).desc())))


def open_proposals(session: Session, reach: frozenset[int] | None) -> list[tuple[Proposal, Document]]:
    """Open proposals on documents within ``reach`` (None: every office), oldest first."""
    query = (select(Proposal, Document).join(Document, col(Document.id) == col(Proposal.document_id))
             .where(col(Proposal.state) == "open").order_by(col(Proposal.id)))
    if reach is not None:
        query = query.where(col(Document.office_id).in_(reach))
    return [(p, d) for p, d in session.exec(query)]
