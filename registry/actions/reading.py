"""Reading: documents, validity, search, the change feed, exports and reports.

These are the public reads: a registered document that is not yet published answers NotFound here,
like one that does not exist (its office's staff see it through the intake actions).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.errors import NotFound
from registry.models import (
    Document,
    Event,
)
from registry.models.answers import Report, ScorecardList
from registry.services import (
    documents,
    events,
    feed,
    lookup,
    reports,
    search,
    validity,
)
from registry.storage.files import FileMissing, Opened, open_stored
from registry.storage.runtime import Runtime
from search.model import SearchQuery


def _published(doc: Document) -> Document:
    if doc.published_at is None:
        raise NotFound(f"no document with id {doc.id!r}")
    return doc


class ReadingActions(Runtime):
    """Reading actions of :class:`registry.facade.Registry`."""

    def resolve(self, ref: str) -> Document:
        """The document an id, 文号 (any brackets), registration number or exact title names."""
        with self.read_session() as s:
            return lookup.resolve(s, ref, published_only=True)

    def show(self, ref: str, *, with_text: bool = True) -> dict[str, Any]:
        """One document with its articles, relations and files (``normreg show``, the document API)."""
        with self.read_session() as s:
            return documents.show(s, lookup.resolve(s, ref, published_only=True), with_text=with_text)

    def get_document(self, document_id: str, *, with_text: bool = True) -> dict[str, Any]:
        """One document by id (NotFound otherwise), as :meth:`show` returns it."""
        with self.read_session() as s:
            return documents.show(s, _published(documents.get_document(s, document_id)), with_text=with_text)

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
            _published(documents.get_document(s, document_id))
            return events.list_events(s, document_id=document_id, offset=offset, limit=limit)

    def source_file(self, document_id: str) -> tuple[Document, Opened, str] | None:
        """The newest stored source file of a document: (document, the file opened for streaming, format),
        or None when it has none; NotFound when its stored file is gone from the store."""
        with self.read_session() as s:
            doc = _published(documents.get_document(s, document_id))
            stored = documents.source_files_of(s, document_id)
            if not stored or not stored[-1].stored_name:
                return None
            name, fmt = stored[-1].stored_name, stored[-1].format
        try:
            return doc, open_stored(self.files, name), fmt
        except FileMissing as exc:
            raise NotFound("原件文件缺失 / the stored source file is missing") from exc

    def check(self, ref: str, at: date | None = None) -> dict[str, Any]:
        """Is it valid (还有效吗), today or on ``at``: status, label, reason, evidence and successor."""
        with self.read_session() as s:
            return validity.check(s, ref, at or self.today(), settings=self.settings, published_only=True)

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

    def report(self, name: str, *, at: date | None = None) -> Report:
        """A staff report (filing, interpretations, periods, scorecard) as of today or ``at``."""
        with self.read_session() as s:
            return reports.build_report(s, name, today=at or self.today(), settings=self.settings)

    def scorecard(self) -> list[dict[str, Any]]:
        """Per-office rates (报备率, 解读率, 清理覆盖率 …) as of today."""
        with self.read_session() as s:
            return reports.scorecard(s, today=self.today(), settings=self.settings)

    def scorecard_groups(self, *, at: date | None = None) -> list[dict[str, Any]]:
        """The scorecard per office (or issuer) with the ids of the documents behind every count."""
        with self.read_session() as s:
            return reports.scorecard_groups(s, today=at or self.today(), settings=self.settings)

    def scorecard_list(self, group: str, measure: str, *, at: date | None = None) -> ScorecardList:
        """The documents behind one number of the scorecard (a count, or a rate's count); NotFound otherwise."""
        with self.read_session() as s:
            return reports.scorecard_list(s, group=group, measure=measure, today=at or self.today(),
                                          settings=self.settings)
