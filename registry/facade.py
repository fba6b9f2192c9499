"""``Registry``: the library object. Every action a user can take is one typed method here.

Like ``sqlite_utils.Database``, this is the one class to read to learn what the registry can do. Each
method opens its own session (and so its transaction), reads its own settings and clock, and returns a
model or a plain answer; the CLI and the HTTP routes only parse input, call one method and render the
result. Writes reach the search index by themselves: every session this object opens carries a feeder
that the commit hook in :mod:`registry.storage.outbox` calls after a commit that queued documents.

Nothing here is global, so two registries (SQLite and PostgreSQL) can live in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from registry.models import (
    ApiToken,
    Document,
    DocumentCreate,
    DocumentUpdate,
    Event,
    EventCreate,
)
from registry.services import (
    auth,
    backup,
    documents,
    events,
    exports,
    feed,
    filing,
    health,
    ingestion,
    interpretations,
    lookup,
    periods,
    reports,
    search,
    uploads,
    validity,
)
from registry.services.clearing import campaigns
from registry.storage import indexing
from registry.storage.runtime import Runtime
from search.model import SearchQuery

Progress = Callable[[int, int, str], None]
Clock = Callable[[], date]


class Registry(Runtime):
    """A normreg installation: its database, its search index and every action on them.

    ``actor`` names whoever a write is attributed to when a method is not told (the command line's
    operating-system user); HTTP routes always pass the signed-in account or token. ``clock`` gives
    "today" (tests pass a fixed day). Engines, sessions and the index feed come from :class:`Runtime`.
    """

    def drain_index(self) -> int:
        """Apply every pending outbox entry now, whatever ``index_inline`` says (``normreg worker``)."""
        return indexing.drain_outbox(self.engine, self.backend)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the search index from the registry alone; searches see the old index until it is done."""
        return indexing.reindex(self.engine, self.backend, progress)

    def diagnose(self) -> dict[str, Any]:
        """Do registry, search index, stored files and the audit chain agree (``normreg doctor``)?"""
        return health.diagnose(self.engine, self.read_engine, self.backend, self.settings.files_dir)

    def close(self) -> None:
        """Close the search index and the database connections."""
        if "backend" in self.__dict__:
            self.backend.close()
        if "read_engine" in self.__dict__ and self.read_engine is not self.engine:
            self.read_engine.dispose()
        self.engine.dispose()

    # ------------------------------------------------------------------ reading

    def resolve(self, ref: str) -> Document:
        """The document an id, 文号 (any brackets), registration number or exact title names."""
        with self.read_session() as s:
            return lookup.resolve(s, ref)

    def show(self, ref: str, *, with_text: bool = True) -> dict[str, Any]:
        """One document with its articles, relations and files (``normreg show``, the document API)."""
        with self.read_session() as s:
            return documents.show(s, lookup.resolve(s, ref), with_text=with_text)

    def get_document(self, document_id: str, *, with_text: bool = True) -> dict[str, Any]:
        """One document by id (NotFound otherwise), as :meth:`show` returns it."""
        with self.read_session() as s:
            return documents.show(s, documents.get_document(s, document_id), with_text=with_text)

    def list_documents(self, *, offset: int = 0, limit: int = 20, status: str | None = None,
                       issuer: str | None = None, category: str | None = None,
                       year: int | None = None) -> tuple[int, list[dict[str, Any]]]:
        """A page of documents, newest first, with the total that match the filters."""
        with self.read_session() as s:
            total, rows = documents.list_documents(s, offset=offset, limit=limit, status=status, issuer=issuer,
                                                   category=category, year=year)
            return total, [documents.to_public(s, d).model_dump(mode="json") for d in rows]

    def count_documents(self) -> int:
        """How many documents the registry holds."""
        with self.read_session() as s:
            return lookup.count_documents(s)

    def list_events(self, document_id: str, *, offset: int = 0, limit: int = 100) -> tuple[int, list[Event]]:
        """A document's events, oldest first, with their total."""
        with self.read_session() as s:
            return events.list_events(s, document_id=document_id, offset=offset, limit=limit)

    def source_file(self, document_id: str) -> tuple[Document, Path, str] | None:
        """The newest stored source file of a document: (document, path on disk, format), or None."""
        with self.read_session() as s:
            doc = documents.get_document(s, document_id)
            stored = documents.source_files_of(s, document_id)
            if not stored or not stored[-1].stored_name:
                return None
            return doc, self.settings.files_dir / stored[-1].stored_name, stored[-1].format

    def check(self, ref: str, at: date | None = None) -> dict[str, Any]:
        """Is it valid (还有效吗), today or on ``at``: status, label, reason, evidence and successor."""
        with self.read_session() as s:
            return validity.check(s, ref, at or self.today(), settings=self.settings)

    def search(self, query: SearchQuery) -> dict[str, Any]:
        """One results page (hits, total, facets) for ``query``; the shape of ``GET /api/v1/search``."""
        with self.read_session() as s:
            return search.search_documents(s, self.backend, query)

    def suggest(self, prefix: str, limit: int = 8) -> list[dict[str, Any]]:
        """Type-ahead over titles and 文号."""
        return search.suggest(self.backend, prefix, limit)

    def changes(self, *, since: Any = None, offset: int = 0, limit: int = 100,
                newest_first: bool = False) -> tuple[int, list[dict[str, Any]]]:
        """The change feed: every status change, oldest first unless ``newest_first``."""
        with self.read_session() as s:
            return feed.list_changes(s, since=since, offset=offset, limit=limit, newest_first=newest_first)

    def export_documents(self, *, fmt: str, **filters: Any) -> tuple[bytes, str]:
        """A filtered document list (or search results, with ``q``) as CSV, XLSX or JSON, with its media type."""
        with self.read_session() as s:
            backend = self.backend if str(filters.get("q") or "").strip() else None
            return exports.export_documents(s, fmt=fmt, backend=backend, **filters)

    def list_campaigns(self) -> list[dict[str, Any]]:
        """Every clearing campaign with its counts."""
        with self.read_session() as s:
            return campaigns.list_campaigns(s)

    def show_campaign(self, name: str) -> dict[str, Any]:
        """A campaign's rows, their matches and what waits for review."""
        with self.read_session() as s:
            return campaigns.show_campaign(s, name)

    def export_campaign(self, name: str, *, fmt: str, out: Path) -> dict[str, Any]:
        """Write a campaign's published result lists (继续有效 / 修改 / 废止 / 失效) to ``out``."""
        with self.read_session() as s:
            return campaigns.export_campaign(s, name=name, fmt=fmt, out=out)

    def report(self, name: str, *, at: date | None = None) -> dict[str, Any]:
        """A staff report (filing, interpretations, periods, scorecard) as of today or ``at``."""
        with self.read_session() as s:
            return reports.build_report(s, name, today=at or self.today(), settings=self.settings)

    def scorecard(self) -> list[dict[str, Any]]:
        """Per-office rates (报备率, 解读率, 清理覆盖率 …) as of today."""
        with self.read_session() as s:
            return reports.scorecard(s, today=self.today(), settings=self.settings)

    def list_tokens(self) -> list[ApiToken]:
        """Every API token (hashes only; secrets are never kept)."""
        with self.read_session() as s:
            return auth.list_tokens(s)

    def authenticate(self, token: str) -> auth.Actor | None:
        """The actor holding ``token``, or None for an unknown or revoked one."""
        with self.read_session() as s:
            return auth.authenticate(s, token)

    # ------------------------------------------------------------------ writing

    def ingest(self, paths: Iterable[Path], *, catalog: Path | None = None, as_of: date | None = None,
               jobs: int = 1, progress: Progress | None = None, actor: str | None = None) -> ingestion.IngestReport:
        """Ingest files and folders; a catalog supplies or overrides metadata (see ``ingest_paths``)."""
        with self._batch() as s:
            return ingestion.ingest_paths(s, paths=paths, catalog_path=catalog, files_dir=self.settings.files_dir,
                                          as_of=as_of or self.today(), today=self.today(), jobs=jobs,
                                          progress=progress, actor=actor or self.default_actor)

    def ingest_upload(self, stream: BinaryIO, *, filename: str | None, actor: str) -> dict[str, Any]:
        """One file uploaded over HTTP, into the same ingestion as ``normreg ingest``."""
        s = self.settings
        with self._batch() as session:
            return uploads.ingest_upload(session, stream=stream, filename=filename, upload_dir=s.data_dir / "uploads",
                                         files_dir=s.files_dir, max_bytes=s.max_upload_bytes,
                                         timeout_seconds=s.ingest_timeout_seconds, actor=actor, today=self.today())

    def create_document(self, data: DocumentCreate, *, actor: str | None = None) -> dict[str, Any]:
        """Create a document from staff input; its status is derived, never taken from the input."""
        with self.session() as s:
            doc = documents.create_document(s, data=data, today=self.today(), actor=actor or self.default_actor)
            return documents.show(s, doc)

    def update_document(self, document_id: str, data: DocumentUpdate, *, expected_version: int,
                        actor: str | None = None) -> dict[str, Any]:
        """Apply a partial edit if ``expected_version`` (the ETag) is current; PreconditionFailed otherwise."""
        with self.session() as s:
            doc = documents.update_document(s, document_id=document_id, data=data, expected_version=expected_version,
                                            today=self.today(), actor=actor or self.default_actor)
            return documents.show(s, doc)

    def record_event(self, document_id: str, data: EventCreate, *, actor: str | None = None) -> Event:
        """Append one event to a document's log; its status follows in the same transaction."""
        with self.session() as s:
            return events.record_event(s, document_id=document_id, data=data, actor=actor or self.default_actor,
                                       today=self.today())

    def record_filing(self, ref: str, *, filed_on: date, filed_with: str, filing_number: str | None = None,
                      evidence: dict[str, Any] | None = None, actor: str | None = None) -> dict[str, Any]:
        """Record a filing (备案) with the supervising body; says whether it was late."""
        with self.session() as s:
            return filing.record_filing(s, ref=ref, filed_on=filed_on, filed_with=filed_with,
                                        filing_number=filing_number, evidence=evidence,
                                        actor=actor or self.default_actor, today=self.today(),
                                        days=self.settings.filing_deadline_days)

    def record_legality_review(self, ref: str, *, reviewed_on: date, reviewer: str, opinion: str | None = None,
                               evidence: dict[str, Any] | None = None, actor: str | None = None) -> dict[str, Any]:
        """Record a legality review (合法性审核)."""
        with self.session() as s:
            return filing.record_legality_review(s, ref=ref, reviewed_on=reviewed_on, reviewer=reviewer,
                                                 opinion=opinion, evidence=evidence,
                                                 actor=actor or self.default_actor, today=self.today())

    def record_filing_review(self, ref: str, *, reviewed_on: date, outcome: str, reviewer: str | None = None,
                             legal_basis: str | None = None, evidence: dict[str, Any] | None = None,
                             actor: str | None = None) -> dict[str, Any]:
        """Record a filing review outcome (备案审查: 通过 / 纠正 / 撤销)."""
        with self.session() as s:
            return filing.record_filing_review(s, ref=ref, reviewed_on=reviewed_on, outcome=outcome, reviewer=reviewer,
                                               legal_basis=legal_basis, evidence=evidence,
                                               actor=actor or self.default_actor, today=self.today())

    def renew(self, ref: str, *, new_expiry: date, renewed_on: date, registration_number: str | None = None,
              legal_basis: str | None = None, actor: str | None = None) -> dict[str, Any]:
        """Record a new validity period (and a new registration number where one is issued)."""
        with self.session() as s:
            return periods.renew(s, ref=ref, new_expiry=new_expiry, renewed_on=renewed_on,
                                 registration_number=registration_number, legal_basis=legal_basis,
                                 actor=actor or self.default_actor, today=self.today(),
                                 max_years=self.settings.max_validity_years)

    def link_interpretation(self, policy_ref: str, *, interpretation_ref: str,
                            actor: str | None = None) -> dict[str, Any]:
        """Link a policy interpretation (政策解读) to its document; says whether it came in time."""
        with self.session() as s:
            return interpretations.link_interpretation(
                s, interpretation_ref=interpretation_ref, policy_ref=policy_ref, actor=actor or self.default_actor,
                today=self.today(), working_days=self.settings.interpretation_working_days)

    def sweep(self, *, at: date | None = None, actor: str | None = None) -> dict[str, Any]:
        """Record ended validity periods, refresh stale statuses and list what needs attention."""
        with self.session() as s:
            return periods.sweep(s, today=at or self.today(), actor=actor or self.default_actor,
                                 reminder_months=self.settings.reminder_months,
                                 max_provisional_years=self.settings.max_provisional_years)

    def import_campaign(self, path: Path, *, name: str, decided_on: date | None = None,
                        source_name: str | None = None, actor: str | None = None) -> dict[str, Any]:
        """Import a clearing list and match every row to the registry (no document changes yet)."""
        with self.session() as s:
            return campaigns.import_campaign(s, path=path, name=name, decided_on=decided_on or self.today(),
                                             actor=actor or self.default_actor, source_name=source_name)

    def resolve_clearing_row(self, name: str, row: int, *, ref: str | None,
                             actor: str | None = None) -> dict[str, Any]:
        """Confirm or correct the document a clearing row names (None: it names none)."""
        with self.session() as s:
            return campaigns.resolve_row(s, name=name, row_no=row, ref=ref, actor=actor or self.default_actor)

    def apply_campaign(self, name: str, *, actor: str | None = None) -> dict[str, Any]:
        """Apply every matched row of a campaign as ``cleared`` events (a reviewer's decision)."""
        with self.session() as s:
            return campaigns.apply_campaign(s, name=name, actor=actor or self.default_actor, today=self.today())

    def undo_clearing_row(self, name: str, row: int, *, reason: str | None = None,
                          actor: str | None = None) -> dict[str, Any]:
        """Undo an applied row with a compensating ``revoked`` event."""
        with self.session() as s:
            return campaigns.undo_row(s, name=name, row_no=row, actor=actor or self.default_actor, today=self.today(),
                                      reason=reason)

    def create_token(self, name: str, *, role: str, actor: str | None = None) -> tuple[ApiToken, str]:
        """A new API token for a machine; the secret is returned once and only its hash is kept."""
        with self.session() as s:
            return auth.create_token(s, name=name, role=role, actor=actor or self.default_actor)

    def revoke_token(self, name: str, *, actor: str | None = None) -> ApiToken:
        """Revoke a token by name; it stops working at once."""
        with self.session() as s:
            return auth.revoke_token(s, name=name, actor=actor or self.default_actor)

    def backup(self, target: Path) -> dict[str, Any]:
        """Write a consistent online snapshot of the database and the stored files to ``target``."""
        return backup.backup(self.engine, self.settings.files_dir, target)

    def restore(self, source: Path, *, actor: str | None = None) -> dict[str, Any]:
        """Restore a snapshot into an empty database, then rebuild the search index from it."""
        self.init()
        data = backup.restore(self.engine, self.settings.files_dir, source, actor=actor or self.default_actor)
        data["indexed"] = self.reindex()
        return data

