"""Writing documents and their records: ingestion, edits, events, filing, reviews, renewals, interpretations, the sweep."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from registry.actions.scope import ActorLike, ScopedRuntime, require_decision
from registry.models import (
    DocumentCreate,
    DocumentUpdate,
    Event,
    EventCreate,
)
from registry.models.records import (
    FilingRecorded,
    FilingReviewRecorded,
    InterpretationLinked,
    LegalityReviewRecorded,
    RenewalRecorded,
    SweepResult,
)
from registry.services import (
    documents,
    events,
    filing,
    ingestion,
    interpretations,
    periods,
    uploads,
)
from registry.storage.runtime import Progress


class RecordActions(ScopedRuntime):
    """Writing documents and their records actions of :class:`registry.facade.Registry`."""

    def ingest(self, paths: Iterable[Path], *, catalog: Path | None = None, as_of: date | None = None,
               jobs: int = 1, progress: Progress | None = None, actor: ActorLike = None) -> ingestion.IngestReport:
        """Ingest files and folders; a catalog supplies or overrides metadata (see ``ingest_paths``).

        Each chunk's commit feeds the search index, so documents become searchable as the import goes."""
        with self.session() as s:
            return ingestion.ingest_paths(s, paths=paths, catalog_path=catalog, store=self.files,
                                          as_of=as_of or self.today(), today=self.today(), jobs=jobs,
                                          progress=progress, actor=self._who(actor).name)

    def ingest_upload(self, stream: BinaryIO, *, filename: str | None, actor: ActorLike) -> dict[str, Any]:
        """One file uploaded over HTTP, into the same ingestion as ``normreg ingest``."""
        s = self.settings
        with self._batch() as session:
            return uploads.ingest_upload(session, stream=stream, filename=filename, upload_dir=s.data_dir / "uploads", store=self.files,
                                         max_bytes=s.max_upload_bytes,
                                         timeout_seconds=s.ingest_timeout_seconds, actor=self._who(actor).name,
                                         today=self.today())

    def create_document(self, data: DocumentCreate, *, actor: ActorLike = None) -> dict[str, Any]:
        """Create a document from staff input; its status is derived, never taken from the input."""
        with self.session() as s:
            who = self._who(actor)
            doc = documents.create_document(s, data=data, today=self.today(), actor=who.name, office_id=who.office_id)
            return documents.show(s, doc)

    def update_document(self, document_id: str, data: DocumentUpdate, *, expected_version: int,
                        actor: ActorLike = None) -> dict[str, Any]:
        """Apply a partial edit if ``expected_version`` (the ETag) is current; PreconditionFailed otherwise."""
        with self.session() as s:
            self._editable(s, actor, document_id)
            doc = documents.update_document(s, document_id=document_id, data=data, expected_version=expected_version,
                                            today=self.today(), actor=self._who(actor).name)
            return documents.show(s, doc)

    def record_event(self, document_id: str, data: EventCreate, *, actor: ActorLike = None) -> Event:
        """Append one event to a document's log; its status follows in the same transaction."""
        with self.session() as s:
            self._editable(s, actor, document_id)
            require_decision(self._who(actor), data.type)
            return events.record_event(s, document_id=document_id, data=data, actor=self._who(actor).name,
                                       today=self.today())

    def record_filing(self, ref: str, *, filed_on: date, filed_with: str, filing_number: str | None = None,
                      evidence: dict[str, Any] | None = None, actor: ActorLike = None) -> FilingRecorded:
        """Record a filing (备案) with the supervising body; says whether it was late."""
        with self.session() as s:
            self._editable(s, actor, ref)
            return filing.record_filing(s, ref=ref, filed_on=filed_on, filed_with=filed_with,
                                        filing_number=filing_number, evidence=evidence,
                                        actor=self._who(actor).name, today=self.today(),
                                        days=self.settings.filing_deadline_days)

    def record_legality_review(self, ref: str, *, reviewed_on: date, reviewer: str, opinion: str | None = None,
                               evidence: dict[str, Any] | None = None, actor: ActorLike = None) -> LegalityReviewRecorded:
        """Record a legality review (合法性审核)."""
        with self.session() as s:
            self._editable(s, actor, ref)
            return filing.record_legality_review(s, ref=ref, reviewed_on=reviewed_on, reviewer=reviewer,
                                                 opinion=opinion, evidence=evidence,
                                                 actor=self._who(actor).name, today=self.today())

    def record_filing_review(self, ref: str, *, reviewed_on: date, outcome: str, reviewer: str | None = None,
                             legal_basis: str | None = None, evidence: dict[str, Any] | None = None,
                             actor: ActorLike = None) -> FilingReviewRecorded:
        """Record a filing review outcome (备案审查: 通过 / 纠正 / 撤销): a reviewer's decision."""
        require_decision(self._who(actor), "filing_reviewed")
        with self.session() as s:
            self._editable(s, actor, ref)
            return filing.record_filing_review(s, ref=ref, reviewed_on=reviewed_on, outcome=outcome, reviewer=reviewer,
                                               legal_basis=legal_basis, evidence=evidence,
                                               actor=self._who(actor).name, today=self.today())

    def renew(self, ref: str, *, new_expiry: date, renewed_on: date, registration_number: str | None = None,
              legal_basis: str | None = None, actor: ActorLike = None) -> RenewalRecorded:
        """Record a new validity period (and a new registration number where one is issued)."""
        with self.session() as s:
            self._editable(s, actor, ref)
            return periods.renew(s, ref=ref, new_expiry=new_expiry, renewed_on=renewed_on,
                                 registration_number=registration_number, legal_basis=legal_basis,
                                 actor=self._who(actor).name, today=self.today(),
                                 max_years=self.settings.max_validity_years)

    def link_interpretation(self, policy_ref: str, *, interpretation_ref: str,
                            actor: ActorLike = None) -> InterpretationLinked:
        """Link a policy interpretation (政策解读) to its document; says whether it came in time."""
        with self.session() as s:
            self._editable(s, actor, policy_ref)
            return interpretations.link_interpretation(
                s, interpretation_ref=interpretation_ref, policy_ref=policy_ref, actor=self._who(actor).name,
                today=self.today(), working_days=self.settings.interpretation_working_days)

    def sweep(self, *, at: date | None = None, actor: ActorLike = None) -> SweepResult:
        """Record ended validity periods, refresh stale statuses and list what needs attention."""
        with self.session() as s:
            return periods.sweep(s, today=at or self.today(), actor=self._who(actor).name,
                                 reminder_months=self.settings.reminder_months,
                                 max_provisional_years=self.settings.max_provisional_years)
