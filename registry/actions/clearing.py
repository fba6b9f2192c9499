"""Clearing campaigns (清理): import a list, match, resolve, apply, undo, publish."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from registry.actions.scope import ActorLike, ScopedRuntime, require_decision
from registry.models.clearing import (
    CampaignApplied,
    CampaignExported,
    CampaignListed,
    CampaignPublic,
    ClearingRowPublic,
    ClearingRowUndone,
    PublishedLists,
)
from registry.services.clearing import campaigns


class ClearingActions(ScopedRuntime):
    """Clearing campaigns (清理) actions of :class:`registry.facade.Registry`."""

    def list_campaigns(self) -> list[CampaignListed]:
        """Every clearing campaign with its counts."""
        with self.read_session() as s:
            return campaigns.list_campaigns(s)

    def show_campaign(self, name: str) -> CampaignPublic:
        """A campaign's rows, their matches and what waits for review."""
        with self.read_session() as s:
            return campaigns.show_campaign(s, name)

    def import_campaign(self, path: Path, *, name: str, decided_on: date | None = None,
                        source_name: str | None = None, actor: ActorLike = None) -> CampaignPublic:
        """Import a clearing list and match every row to the registry (no document changes yet)."""
        with self.session() as s:
            return campaigns.import_campaign(s, path=path, name=name, decided_on=decided_on or self.today(),
                                             actor=self._who(actor).name, source_name=source_name)

    def resolve_clearing_row(self, name: str, row: int, *, ref: str | None,
                             actor: ActorLike = None) -> ClearingRowPublic:
        """Confirm or correct the document a clearing row names (None: it names none)."""
        with self.session() as s:
            return campaigns.resolve_row(s, name=name, row_no=row, ref=ref, actor=self._who(actor).name)

    def apply_campaign(self, name: str, *, actor: ActorLike = None) -> CampaignApplied:
        """Apply every matched row of a campaign as ``cleared`` events (a reviewer's decision); Forbidden, with
        nothing applied, when a row's document belongs to an office outside the actor's reach."""
        who = self._who(actor)
        require_decision(who, "cleared")
        with self.session() as s:
            return campaigns.apply_campaign(s, name=name, actor=who.name, today=self.today(),
                                            may_edit=lambda doc: who.may_edit(doc.office_id))

    def undo_clearing_row(self, name: str, row: int, *, reason: str | None = None,
                          actor: ActorLike = None) -> ClearingRowUndone:
        """Undo an applied row with a compensating ``revoked`` event (within the actor's reach)."""
        who = self._who(actor)
        require_decision(who, "revoked")
        with self.session() as s:
            return campaigns.undo_row(s, name=name, row_no=row, actor=who.name, today=self.today(),
                                      reason=reason, may_edit=lambda doc: who.may_edit(doc.office_id))

    def clearing_lists(self, name: str) -> PublishedLists:
        """A campaign's published result lists as data for the public page: ``campaign``, ``decided_on``,
        ``applied`` (False until a reviewer applied it) and ``lists`` (label → numbered rows)."""
        with self.read_session() as s:
            campaign, lists = campaigns.published_lists(s, name)
            return PublishedLists(campaign=campaign.name, decided_on=campaign.decided_on.isoformat(),
                                  applied=campaign.applied_at is not None, lists=lists)

    def export_campaign(self, name: str, *, fmt: str, out: Path) -> CampaignExported:
        """Write a campaign's published result lists (继续有效 / 修改 / 废止 / 失效) to ``out``."""
        with self.read_session() as s:
            return campaigns.export_campaign(s, name=name, fmt=fmt, out=out)
