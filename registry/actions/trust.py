"""Trust: signed validity statements, status badges and 审查建议 (review suggestions)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from registry.actions.scope import ActorLike, ScopedRuntime
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import SuggestionCreate
from registry.services import badges, lookup, signing, statements, suggestions, validity
from registry.services.suggestions import Attachment
from registry.storage.files import FileMissing, Opened, open_stored


class TrustActions(ScopedRuntime):
    """Trust actions of :class:`registry.facade.Registry`."""

    @cached_property
    def signing_key(self) -> signing.SigningKey:
        """The registry's Ed25519 key (created on first use; see :mod:`registry.services.signing`)."""
        return signing.load_or_create(self.settings)

    def public_key(self) -> dict[str, Any]:
        """The public half of the signing key, as published at ``/api/v1/statements/key``."""
        return self.signing_key.public(f"{self.settings.public_url.rstrip('/')}/api/v1/statements/key")

    def issue_statement(self, ref: str, at: date | None = None) -> dict[str, Any]:
        """``check(ref, at)`` as a signed, stored statement (核验凭证) with its ``id`` and ``signature``."""
        with self.session() as s:
            return statements.issue(s, ref=ref, at=at, today=self.today(), settings=self.settings,
                                    key=self.signing_key)

    def get_statement(self, statement_id: str) -> dict[str, Any]:
        """A statement exactly as issued; NotFound otherwise."""
        with self.read_session() as s:
            return statements.get(s, statement_id)

    def verify_statement(self, statement: Any) -> dict[str, Any]:
        """``{"authentic", "current", "reason"}``: signed by this registry and unaltered; still its answer today."""
        with self.read_session() as s:
            return statements.verify(s, statement, settings=self.settings, key=self.signing_key)

    def badge(self, document_id: str, *, lang: str = "zh") -> str:
        """The live status of a published document as an SVG badge."""
        with self.read_session() as s:
            answer = validity.check(s, document_id, self.today(), settings=self.settings, published_only=True)
        return badges.badge_svg(answer, lang=lang)

    def suggestion_form_token(self, document_id: str) -> str:
        """A signed token for a 审查建议 form shown now (see :mod:`registry.services.suggestions`)."""
        return suggestions.form_token(suggestions.form_key(self.signing_key), document_id, time.time())

    def submit_suggestion(self, document_id: str, data: SuggestionCreate, *, token: str, honeypot: str = "",
                          client: str | None = None, attachment: Attachment | None = None) -> dict[str, Any]:
        """Receive a citizen's 审查建议 about a published document; returns its number and due date only."""
        secret = suggestions.form_key(self.signing_key)
        if honeypot.strip():
            raise InvalidInput("表单无效 / the form is not valid")  # a robot filled the hidden field
        suggestions.check_token(secret, token, document_id, time.time(),
                                min_seconds=self.settings.suggestion_min_fill_seconds)
        with self.session() as s:
            doc = lookup.resolve(s, document_id, published_only=True)
            row = suggestions.submit(s, document=doc, data=data, client=suggestions.client_hash(secret, client),
                                     attachment=attachment, settings=self.settings, files=self.files, today=self.today(),
                                     now=datetime.now(UTC))
            return {"id": row.id, "document_id": doc.id, "due_on": row.due_on.isoformat()}

    def suggestion_counts(self, document_id: str) -> dict[str, int]:
        """How many 审查建议 a document received and how many were answered (public; no personal data)."""
        with self.read_session() as s:
            return suggestions.counts(s, document_id)

    def suggestion(self, suggestion_id: int, *, actor: ActorLike) -> dict[str, Any]:
        """One suggestion with its contact, for staff whose reach covers its document (Forbidden otherwise)."""
        who = self._who(actor)
        with self.read_session() as s:
            row, doc = suggestions.get_for(s, suggestion_id, who)
            return {"suggestion": row.model_dump(), "document": {"id": doc.id, "title": doc.title,
                                                                 "doc_number": doc.doc_number},
                    "days_left": (row.due_on - self.today()).days}

    def suggestion_attachment(self, suggestion_id: int, *, actor: ActorLike) -> tuple[Opened, str, str]:
        """(the stored file opened for streaming, media type, original name) of a suggestion's attachment,
        for staff within reach; NotFound when there is none or its stored file is gone."""
        who = self._who(actor)
        with self.read_session() as s:
            row, _ = suggestions.get_for(s, suggestion_id, who)
        if not row.attachment_stored:
            raise NotFound("该审查建议没有附件 / this suggestion has no attachment")
        try:
            opened = open_stored(self.files, row.attachment_stored)
        except FileMissing as exc:
            raise NotFound("附件文件缺失 / the stored attachment is missing") from exc
        return opened, row.attachment_type or "application/octet-stream", row.attachment_name or "attachment"

    def reply_suggestion(self, suggestion_id: int, text: str, *, actor: ActorLike) -> dict[str, Any]:
        """Answer a suggestion and mail the answer to the citizen; ``mailed`` says whether the mail went."""
        who = self._who(actor)
        with self.session() as s:
            row, doc = suggestions.get_for(s, suggestion_id, who)
            suggestions.reply(s, row, text=text, actor=who.name, now=datetime.now(UTC))
            mailed = suggestions.mail_reply(s, row, doc, settings=self.settings, now=datetime.now(UTC))
            return {"id": row.id, "mailed": mailed, "mail_error": row.mail_error}

    def resend_suggestion_reply(self, suggestion_id: int, *, actor: ActorLike) -> dict[str, Any]:
        """Mail an answered suggestion's reply again (after the mail server failed)."""
        who = self._who(actor)
        with self.session() as s:
            row, doc = suggestions.get_for(s, suggestion_id, who)
            if row.reply is None:
                raise Conflict("尚未答复 / not answered yet")
            mailed = suggestions.mail_reply(s, row, doc, settings=self.settings, now=datetime.now(UTC))
            return {"id": row.id, "mailed": mailed, "mail_error": row.mail_error}
