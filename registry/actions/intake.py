"""Intake and registration (登记): uploads reviewed before registering, 统一登记号, publishing.

A clerk uploads files (:meth:`IntakeActions.upload_intake`), reviews each item beside its source, and
registers it (:meth:`IntakeActions.register_intake`) as a new unpublished document with the office's next
统一登记号 or as the next version of a matched document; :meth:`IntakeActions.publish` makes it public.
Items belong to the uploader's office: staff outside its reach get Forbidden, as for documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from sqlmodel import Session, col, select

from registry.actions.scope import ActorLike, ScopedRuntime, require_reach
from registry.errors import Forbidden, InvalidInput, NotFound
from registry.models import Document, IntakeItem
from registry.services import documents, intake, previews, registration


class IntakeActions(ScopedRuntime):
    """Intake and registration (登记) actions of :class:`registry.facade.Registry`."""

    def _item(self, session: Session, actor: ActorLike, item_id: int) -> IntakeItem:
        item = intake.get_item(session, item_id)
        if not self._who(actor).may_edit(item.office_id):
            raise Forbidden("该文件属于其他机关 (this upload belongs to another office)", details={"item": item_id})
        return item

    def upload_intake(self, files: Sequence[tuple[str | None, BinaryIO]], *, actor: ActorLike) -> list[dict[str, Any]]:
        """Save and read each file into a pending intake item of the actor's office; a file that cannot be
        read becomes a ``failed`` item with its reason and never stops the others."""
        who, s = self._who(actor), self.settings
        if not files:
            raise InvalidInput("请选择要上传的文件 (choose at least one file)")
        with self.session() as session:
            items = intake.upload_many(session, files, office_id=who.office_id, actor=who.name,
                                       upload_dir=s.data_dir / "uploads", store=self.files,
                                       max_bytes=s.max_upload_bytes, timeout_seconds=s.ingest_timeout_seconds)
            return [self._item_view(session, i) for i in items]

    def intake_items(self, *, actor: ActorLike) -> list[dict[str, Any]]:
        """Uploads waiting for review (and those that failed) in the actor's reach, newest first."""
        with self.read_session() as session:
            return [self._item_view(session, i) for i in intake.list_items(session, reach=self._who(actor).reach)]

    def intake_item(self, item_id: int, *, actor: ActorLike) -> dict[str, Any]:
        """One upload as the review screen shows it: fields, how each was found, warnings, text and the
        document of the same office it matches (by 文号 or title), if any."""
        with self.read_session() as session:
            return self._item_view(session, self._item(session, actor, item_id), full=True)

    def intake_page(self, item_id: int, page: int, *, actor: ActorLike) -> bytes:
        """A page of an uploaded PDF as PNG, for the review screen (staff of the item's office only)."""
        with self.read_session() as session:
            item = self._item(session, actor, item_id)
        if item.format != "pdf" or not item.stored_name:
            raise NotFound("该文件不是 PDF (this upload is not a PDF)")
        return previews.page_png(self.files, item.stored_name, page)

    def register_intake(self, item_id: int, fields: dict[str, str | None], *, version_of: str | None = None,
                        actor: ActorLike) -> dict[str, Any]:
        """Register a reviewed upload with the corrected ``fields`` (InvalidInput names each bad field): a
        new unpublished document with the office's next 统一登记号, or with ``version_of`` (a document id
        the actor may edit) the next version of that document."""
        values = registration.review_values(fields)
        with self.session() as session:
            item = self._item(session, actor, item_id)
            target = self._editable(session, actor, version_of) if version_of else None
            doc = registration.register(session, item, values, version_of=target, actor=self._who(actor).name,
                                        today=self.today(), default_pattern=self.settings.registration_pattern)
            return documents.show(session, doc, with_text=False)

    def discard_intake(self, item_id: int, *, actor: ActorLike) -> dict[str, Any]:
        """Set an upload aside without registering it."""
        with self.session() as session:
            item = self._item(session, actor, item_id)
            return self._item_view(session, intake.discard(session, item, actor=self._who(actor).name))

    def publish(self, ref: str, *, actor: ActorLike) -> dict[str, Any]:
        """Publish a registered document (三统一): public, indexed and its status derived from its dates
        from now on; the event names who published it."""
        with self.session() as session:
            doc = registration.publish(session, self._editable(session, actor, ref), actor=self._who(actor).name,
                                       today=self.today())
            return documents.show(session, doc, with_text=False)

    def staff_document(self, document_id: str, *, actor: ActorLike) -> dict[str, Any]:
        """A document as its office's staff see it, published or not (Forbidden outside the actor's reach)."""
        with self.read_session() as session:
            doc = documents.get_document(session, document_id)
            require_reach(self._who(actor), doc)
            data = documents.show(session, doc, with_text=False)
            data["published_at"] = doc.published_at.isoformat() if doc.published_at else None
            return data

    def unpublished_documents(self, *, actor: ActorLike, limit: int = 100) -> list[dict[str, Any]]:
        """Registered documents not yet published, in the actor's reach, newest first."""
        reach = self._who(actor).reach
        with self.read_session() as session:
            query = select(Document).where(col(Document.published_at).is_(None))
            if reach is not None:
                query = query.where(col(Document.office_id).in_(reach))
            rows = session.exec(query.order_by(col(Document.created_at).desc()).limit(limit))
            return [{"id": d.id, "title": d.title, "doc_number": d.doc_number,
                     "registration_number": d.registration_number} for d in rows]

    def _item_view(self, session: Session, item: IntakeItem, *, full: bool = False) -> dict[str, Any]:
        data = item.model_dump(mode="json", exclude={"text", "articles", "refs"} if not full else set())
        match = intake.match_for(session, item) if item.state == "pending" else None
        data["match"] = None if match is None else {
            "id": match.id, "title": match.title, "doc_number": match.doc_number,
            "registration_number": match.registration_number, "version": match.version}
        return data
