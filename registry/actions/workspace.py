"""The document workspace: the documents of one's reach, one document's page, proposals a reviewer
confirms, and the audit trail.

Every method takes the signed-in :class:`registry.rules.actors.Actor` (or a name: the operator); reading a
document's workspace needs the same reach as editing it, so a clerk of another office gets Forbidden.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.actions.scope import ActorLike, ScopedRuntime, require_reach
from registry.errors import Forbidden
from registry.models import AuditEntry, Event, EventCreate, Proposal
from registry.services import documents, events, inbox, proposals, workspace


class WorkspaceActions(ScopedRuntime):
    """The document workspace actions of :class:`registry.facade.Registry`."""

    def staff_documents(self, actor: ActorLike, *, status: str | None = None, q: str = "", offset: int = 0,
                        limit: int = 50) -> tuple[int, list[dict[str, Any]]]:
        """The documents ``actor`` may work on (clerk: own office; reviewer: offices under; admin: all),
        newest change first, filtered by status and by text in the title, 文号 or 统一登记号."""
        with self.read_session() as s:
            return workspace.list_reach(s, reach=self._who(actor).reach, status=status, q=q, offset=offset,
                                        limit=limit)

    def workspace(self, document_id: str, *, actor: ActorLike) -> dict[str, Any]:
        """One document as its workspace shows it: metadata and version (the ETag), events with who and when,
        proposals, the filing deadline, interpretation candidates; Forbidden outside the actor's reach."""
        with self.read_session() as s:
            doc = documents.get_document(s, document_id)
            require_reach(self._who(actor), doc)
            return workspace.view(s, doc, today=self.today(), settings=self.settings)

    def audit_trail(self, document_id: str, *, actor: ActorLike) -> tuple[dict[str, Any], list[AuditEntry]]:
        """The document's summary and the audit entries whose target it is, newest first."""
        with self.read_session() as s:
            doc = documents.get_document(s, document_id)
            require_reach(self._who(actor), doc)
            return {"id": doc.id, "title": doc.title}, workspace.audit_trail(s, doc.id)

    def propose_change(self, document_id: str, *, kind: str, on: date | None, legal_basis: str | None = None,
                       successor: str | None = None, provisions: list[str] | None = None, note: str = "",
                       actor: ActorLike = None) -> Proposal:
        """Propose a repeal, amendment, declared or partial invalidity; it waits for a reviewer's decision."""
        with self.session() as s:
            doc = self._editable(s, actor, document_id)
            return proposals.propose(s, document=doc, kind=kind, on=on, actor=self._who(actor).name,
                                     legal_basis=legal_basis, successor=successor, provisions=provisions, note=note)

    def withdraw_proposal(self, proposal_id: int, *, actor: ActorLike = None) -> Proposal:
        """Withdraw an open proposal (its author only)."""
        with self.session() as s:
            proposal = proposals.get_proposal(s, proposal_id)
            self._editable(s, actor, proposal.document_id)
            return proposals.withdraw(s, proposal=proposal, actor=self._who(actor).name)

    def decide_proposal(self, proposal_id: int, *, confirm: bool, note: str | None = None,
                        actor: ActorLike = None) -> Proposal:
        """Confirm (the event is recorded, naming proposer and confirmer) or reject an open proposal; a
        reviewer whose reach covers the document, other than its author."""
        who = self._who(actor)
        if not who.may("reviewer"):
            raise Forbidden("只有审核人员可以确认或驳回提议 (only a reviewer confirms or rejects a proposal)")
        with self.session() as s:
            proposal = proposals.get_proposal(s, proposal_id)
            self._editable(s, who, proposal.document_id)
            return proposals.decide(s, proposal=proposal, confirm=confirm, actor=who.name, today=self.today(),
                                    note=note)

    def extend_filing_review(self, document_id: str, *, actor: ActorLike = None) -> Event:
        """Extend the document's filing review by ``filing_review_extension_days`` (a reviewer's note event)."""
        who = self._who(actor)
        if not who.may("reviewer"):
            raise Forbidden("只有审核人员可以延长备案审查期限 (only a reviewer extends a filing review)")
        days = self.settings.filing_review_extension_days
        with self.session() as s:
            doc = self._editable(s, who, document_id)
            return events.record_event(s, document_id=doc.id, actor=who.name, today=self.today(), data=EventCreate(
                type="note", text=f"备案审查期限延长{days}日", payload={"action": inbox.EXTENDED, "days": days}))
