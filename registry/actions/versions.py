"""Law over time: a document's text versions, the text in force on a date, and diffs between versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.actions.scope import ActorLike, ScopedRuntime
from registry.errors import NotFound
from registry.models import Document
from registry.models.versions import TextVersionCreate
from registry.services import documents, validity, versions


def _published(doc: Document) -> Document:
    if doc.published_at is None:
        raise NotFound(f"no document with id {doc.id!r}")
    return doc


class VersionActions(ScopedRuntime):
    """Law over time actions of :class:`registry.facade.Registry`."""

    def text_versions(self, document_id: str) -> dict[str, Any]:
        """Every text version of a published document, oldest first, with the dates each was in force."""
        with self.read_session() as s:
            doc = _published(documents.get_document(s, document_id))
            rows, stored = versions.versions_of(s, doc)
            return {"document_id": doc.id, "items": [versions.version_public(v, stored) for v in rows]}

    def text_at(self, document_id: str, at: date | None = None) -> dict[str, Any]:
        """The text in force on ``at`` (default today) with its version and the document's status that day;
        :class:`registry.services.versions.OutsideKnown` (404) before the earliest known text."""
        day = at or self.today()
        with self.read_session() as s:
            doc = _published(documents.get_document(s, document_id))
            status = validity.check(s, doc.id, day, settings=self.settings, published_only=True)
            return versions.text_at(s, doc, day, status)

    def diff(self, document_id: str, with_ref: str, *, from_version: int | None = None) -> dict[str, Any]:
        """Article-aligned diff of a document (its newest text, or ``from_version``) and ``with_ref``: one of
        its version numbers (``2``, ``v2``) or another document (id, 文号, title), e.g. its successor."""
        with self.read_session() as s:
            doc = _published(documents.get_document(s, document_id))
            return versions.diff(s, doc, with_ref, from_version)

    def add_text_version(self, document_id: str, data: TextVersionCreate, *, actor: ActorLike = None) -> dict[str, Any]:
        """Record a new text of a document (an amendment applied, a consolidation, a correction) in force from
        ``data.in_force_from``; it becomes the current text. Staff of the document's office only."""
        with self.session() as s:
            doc = self._editable(s, actor, document_id)
            new = versions.apply_text(s, doc=doc, data=data, actor=self._who(actor).name, today=self.today())
            return versions.version_public(new, True)
