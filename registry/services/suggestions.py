"""审查建议 (review suggestions): a citizen's suggestion about a document, answered by staff within a deadline.

Spam resistance without third-party services, three independent checks, each cheap to pass for a person:

- a honeypot field that the page hides from people (robots fill every field they see in the HTML);
- a signed form token: the form carries the time it was shown and the document, signed with a key derived
  from the registry's signing key; a form sent back sooner than ``suggestion_min_fill_seconds`` (robots post at
  once), later than :data:`TOKEN_MAX_AGE`, for another document or with a forged time is refused;
- a per-client limit (``suggestions_per_client_per_day``) counted in the database, so it holds across
  processes and restarts; the client's address is kept only as a keyed hash.

Personal data (name, contact) is read by staff within reach only (:func:`get_for`); the public sees
:func:`counts`. An attachment is size-capped, type-checked by its first bytes (not its name) and stored in the
registry's file store as ``suggestions/<random>`` (so any API process serves it to staff); nothing serves it
publicly.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited, TooLarge
from registry.models import Document, Suggestion, SuggestionCreate
from registry.rules.actors import Actor
from registry.services.mail import MailError, send_mail
from registry.services.signing import SigningKey
from registry.settings import Settings
from registry.storage.files import FileStore

TOKEN_MAX_AGE = 2 * 3600  # seconds a shown form stays valid
HONEYPOT = "website"  # the hidden field's name: people leave it empty
_EMAIL = re.compile(r"^[^@\s<>,;\"']{1,64}@[^@\s<>,;\"'.]+(\.[^@\s<>,;\"'.]+)+$")
ATTACHMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def form_key(key: SigningKey) -> bytes:
    """The secret that signs form tokens and hashes client addresses (derived, so nothing more to keep)."""
    raw = key.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
    return hashlib.sha256(b"normreg-suggestion-form\x00" + raw).digest()


def _mac(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[:32]


def form_token(secret: bytes, document_id: str, now: float) -> str:
    """A token for the form shown now for ``document_id``: ``<unix time>.<nonce>.<mac>``."""
    stamp, nonce = str(int(now)), secrets.token_hex(6)
    return f"{stamp}.{nonce}.{_mac(secret, f'{stamp}.{nonce}.{document_id}')}"


def check_token(secret: bytes, token: str, document_id: str, now: float, *, min_seconds: float) -> None:
    """InvalidInput unless ``token`` is ours, for this document, older than ``min_seconds`` and not stale."""
    parts = (token or "").split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not hmac.compare_digest(
            parts[2], _mac(secret, f"{parts[0]}.{parts[1]}.{document_id}")):
        raise InvalidInput("表单无效，请重新打开页面后填写 / the form is not valid; open the page again and resend")
    age = now - int(parts[0])
    if age < min_seconds:
        raise InvalidInput(f"提交过快，请确认内容后再提交（至少 {min_seconds:g} 秒）/ sent too fast; check what you "
                           f"wrote and send it again (after {min_seconds:g} s)", details={"retry_after": min_seconds})
    if age > TOKEN_MAX_AGE:
        raise InvalidInput("表单已过期，请重新打开页面 / the form has expired; open the page again")


def client_hash(secret: bytes, client: str | None) -> str:
    return _mac(secret, f"client:{client or 'unknown'}")


def valid_contact(contact: str) -> bool:
    return bool(_EMAIL.match(contact.strip()))


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` judged by its content, or None when it is not one we accept."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        except zipfile.BadZipFile:
            return None
        return None
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def _store(files: FileStore, attachment: Attachment, max_bytes: int) -> tuple[str, str, str]:
    if len(attachment.data) > max_bytes:
        raise TooLarge(f"附件超过 {max_bytes // 1024} KB / the attachment is larger than {max_bytes} bytes",
                       details={"max_bytes": max_bytes})
    media = sniff(attachment.data)
    if media is None:
        raise InvalidInput("附件只能是 PDF、Word（.docx）、PNG、JPEG 或纯文本 / the attachment must be a PDF, Word "
                           "(.docx), PNG, JPEG or plain-text file", details={"filename": attachment.name[:200]})
    stored = f"suggestions/{uuid.uuid4().hex}{ATTACHMENT_TYPES[media]}"
    with tempfile.TemporaryDirectory(prefix="normreg-attachment-") as tmp:
        source = Path(tmp) / "attachment"
        source.write_bytes(attachment.data)  # already in memory: capped at a few MB above
        files.put(stored, source)
    name = Path(attachment.name.replace("\\", "/")).name[:200] or f"attachment{ATTACHMENT_TYPES[media]}"
    return name, stored, media


def submit(session: Session, *, document: Document, data: SuggestionCreate, client: str,
           attachment: Attachment | None, settings: Settings, files: FileStore, today: date,
           now: datetime) -> Suggestion:
    """Keep one suggestion (after the per-client limit) with its due date; commits."""
    if not valid_contact(data.contact):
        raise InvalidInput("请填写可以接收答复的电子邮箱 / give an e-mail address the reply can be sent to",
                           details={"field": "contact"})
    limit = settings.suggestions_per_client_per_day
    if limit > 0:
        recent = session.exec(select(func.count()).select_from(Suggestion).where(
            col(Suggestion.client_hash) == client, col(Suggestion.submitted_at) > now - timedelta(days=1))).one()
        if recent >= limit:
            raise RateLimited(f"同一来源每天最多提交 {limit} 件审查建议，请明天再试 / at most {limit} suggestions a "
                              "day from one address; try again tomorrow", details={"retry_after": 3600})
    stored: tuple[str | None, str | None, str | None] = (None, None, None)
    if attachment is not None and attachment.data:
        stored = _store(files, attachment, settings.suggestion_attachment_max_bytes)
    row = Suggestion(document_id=document.id, name=data.name or None, contact=data.contact.strip(), text=data.text,
                     client_hash=client, attachment_name=stored[0], attachment_stored=stored[1],
                     attachment_type=stored[2], submitted_at=now,
                     due_on=today + timedelta(days=settings.suggestion_answer_days))
    session.add(row)
    session.commit()
    return row


def counts(session: Session, document_id: str) -> dict[str, int]:
    """How many suggestions a document received and how many were answered (no personal data)."""
    received, answered = session.exec(select(func.count(), func.count(col(Suggestion.replied_at)))
                                      .where(col(Suggestion.document_id) == document_id)).one()
    return {"received": int(received), "answered": int(answered)}


def get_for(session: Session, suggestion_id: int, actor: Actor) -> tuple[Suggestion, Document]:
    """A suggestion with its document, when ``actor``'s reach covers that document's office."""
    row = session.get(Suggestion, suggestion_id)
    if row is None:
        raise NotFound(f"没有编号为 {suggestion_id} 的审查建议 / no suggestion {suggestion_id}")
    doc = session.get(Document, row.document_id)
    assert doc is not None  # foreign key
    if not actor.may_edit(doc.office_id):
        raise Forbidden("该审查建议涉及的文件不属于您所在机关 / this suggestion is about another office's document")
    return row, doc


def open_items(session: Session, reach: frozenset[int] | None) -> list[tuple[Suggestion, Document]]:
    """Unanswered suggestions about documents within ``reach`` (None: every office), oldest deadline first."""
    query = (select(Suggestion, Document).join(Document, col(Document.id) == col(Suggestion.document_id))
             .where(col(Suggestion.replied_at).is_(None)).order_by(col(Suggestion.due_on), col(Suggestion.id)))
    if reach is not None:
        query = query.where(col(Document.office_id).in_(reach))
    return [(s, d) for s, d in session.exec(query)]


def inbox_section(session: Session, reach: frozenset[int] | None, today: date) -> list[dict[str, Any]]:
    """The inbox rows: each open suggestion with its due date, linking to the reply page."""
    out = []
    for s, d in open_items(session, reach):
        days = (s.due_on - today).days
        out.append({"document": {"id": d.id, "title": d.title, "doc_number": d.doc_number},
                    "due": s.due_on.isoformat(), "overdue": days < 0, "days": days, "anchor": f"suggestion-{s.id}",
                    "suggestion": s.id, "href": f"/staff/suggestions/{s.id}"})
    return out


def reply(session: Session, row: Suggestion, *, text: str, actor: str, now: datetime) -> Suggestion:
    """Record the answer (once: a second reply is a Conflict); commits. Mailing it is :func:`mail_reply`."""
    text = text.strip()
    if len(text) < 2:
        raise InvalidInput("请填写答复内容 / write the reply", details={"field": "reply"})
    if row.replied_at is not None:
        raise Conflict("该审查建议已经答复 / this suggestion has already been answered")
    row.reply, row.replied_by, row.replied_at = text, actor, now
    session.add(row)
    session.commit()
    return row


def mail_reply(session: Session, row: Suggestion, doc: Document, *, settings: Settings, now: datetime) -> bool:
    """Send the reply to the citizen's address; records when it went, or why not. True when sent."""
    subject = f"审查建议答复（第 {row.id} 号）/ Reply to your review suggestion no. {row.id}"
    greeting = f"{row.name}：" if row.name else "您好："
    body = (f"{greeting}\n\n您于 {row.submitted_at:%Y-%m-%d} 就《{doc.title}》{('（' + doc.doc_number + '）') if doc.doc_number else ''}"
            f"提出的审查建议（第 {row.id} 号），答复如下：\n\n{row.reply}\n\n"
            f"文件页面：{settings.public_url.rstrip('/')}/documents/{doc.id}\n\n"
            f"— You sent review suggestion no. {row.id} about “{doc.title}”; the reply is above.\n")
    try:
        send_mail(settings, row.contact, subject, body)
    except MailError as exc:  # what the mail server said is kept for staff to see, and they can resend
        row.mail_error, row.mailed_at = str(exc)[:1000], None
        ok = False
    else:
        row.mailed_at, row.mail_error = now, None
        ok = True
    session.add(row)
    session.commit()
    return ok
