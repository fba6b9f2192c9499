"""Verifiable validity statements (核验凭证): a ``check`` answer, signed, kept and checkable later.

A statement says: for this document, asked about this date, the registry answered this status with this
reason and evidence; the registry's data were last changed at ``data_as_of``; issued at ``issued_at`` with
key ``key_id``. Its ``signature`` covers every other field in the canonical form of
:mod:`registry.services.signing`, so changing any character (a date, a label, a space inside a reason)
makes it "not authentic".

Verifying answers two questions apart: ``authentic`` (signed by this registry's key and unaltered) and
``current`` (would the registry give the same status, and the same successor, for the same date today).
A statement about a document later repealed with effect on or before the date asked is authentic and no
longer current; one about a repeal that takes effect after that date stays current, because the answer
for that date has not changed.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from registry.errors import NotFound
from registry.models import Document, Event, Statement, StatusChange
from registry.services import validity
from registry.services.signing import SigningKey, canonical
from registry.settings import Settings

KIND = "normreg/validity-statement"
_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")  # what token_urlsafe makes; anything else is not looked up
VERSION = 1


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def last_change(session: Session) -> datetime | None:
    """When the registry's data last changed: the newest event, document edit or status change."""
    stamps = [session.exec(select(func.max(col))).one() for col in
              (Event.recorded_at, Document.updated_at, StatusChange.changed_at)]
    found = [s for s in stamps if s is not None]
    return max(found) if found else None


def statement_url(settings: Settings, statement_id: str) -> str:
    return f"{settings.public_url.rstrip('/')}/statements/{statement_id}"


def issue(session: Session, *, ref: str, at: date | None, today: date, settings: Settings,
          key: SigningKey) -> dict[str, Any]:
    """Answer ``check(ref, at)``, sign it and keep it; returns the statement (with ``id`` and ``signature``)."""
    answer = validity.check(session, ref, at or today, settings=settings, published_only=True)
    statement_id = secrets.token_urlsafe(12)
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "type": KIND, "version": VERSION, "id": statement_id,
        "registry": settings.public_url.rstrip("/"),
        "document": answer["document"],
        "asked_for": answer["as_of"],
        "status": answer["status"], "label": answer["label"], "label_en": answer["label_en"],
        "reason": answer["reason"], "reason_en": answer["reason_en"],
        "evidence": answer["evidence"], "successor": answer["successor"],
        "data_as_of": _iso(last_change(session)),
        "issued_at": _iso(now),
        "key_id": key.key_id,
        "verify_url": statement_url(settings, statement_id),
    }
    body = json.loads(json.dumps(body, default=str))  # exactly what JSON carries (dates as strings)
    body["signature"] = key.sign(canonical(body))
    session.add(Statement(id=statement_id, document_id=answer["document"]["id"], key_id=key.key_id, body=body,
                          issued_at=now))
    session.commit()
    return body


def get(session: Session, statement_id: str) -> dict[str, Any]:
    """A stored statement exactly as it was issued; NotFound otherwise."""
    row = session.get(Statement, statement_id) if _ID.fullmatch(statement_id) else None
    if row is None:
        raise NotFound(f"没有编号为 {statement_id!r} 的核验凭证 / no statement with id {statement_id!r}")
    return dict(row.body)


def _answer(authentic: bool, current: bool, reason: str, **extra: Any) -> dict[str, Any]:
    return {"authentic": authentic, "current": current, "reason": reason, **extra}


def verify(session: Session, statement: Any, *, settings: Settings, key: SigningKey) -> dict[str, Any]:
    """``{"authentic", "current", "reason"}`` for anything sent as a statement (never raises on bad input)."""
    if not isinstance(statement, dict) or not isinstance(statement.get("signature"), str):
        return _answer(False, False, "这不是核验凭证：缺少签名 / this is not a statement: it has no signature")
    rest = {k: v for k, v in statement.items() if k != "signature"}
    if rest.get("key_id") != key.key_id:
        return _answer(False, False, f"凭证不是用本库的密钥签发的（密钥 {rest.get('key_id')!r}，本库 {key.key_id}）"
                       f" / not signed with this registry's key (key {rest.get('key_id')!r}; ours is {key.key_id})",
                       key_id=key.key_id)
    try:
        data = canonical(rest)
    except (TypeError, ValueError):
        data = b""
    if not data or not key.verify(data, statement["signature"]):
        return _answer(False, False, "签名与内容不符：凭证已被改动，或并非本库签发 / the signature does not match "
                       "the content: the statement was altered or not issued by this registry", key_id=key.key_id)
    return _current(session, rest, settings=settings)


def _current(session: Session, stmt: dict[str, Any], *, settings: Settings) -> dict[str, Any]:
    doc_id = str((stmt.get("document") or {}).get("id", ""))
    asked = date.fromisoformat(str(stmt["asked_for"]))
    extra: dict[str, Any] = {"statement_id": stmt.get("id"), "asked_for": asked.isoformat(),
                             "stated_status": stmt.get("status")}
    try:
        now = validity.check(session, doc_id, asked, settings=settings, published_only=True)
    except NotFound:
        return _answer(True, False, "凭证真实，但该文件已不再公开 / authentic, but the document is no longer "
                       "published", **extra)
    then_successor = (stmt.get("successor") or {}).get("id")
    now_successor = (now.get("successor") or {}).get("id")
    extra["answer_today"] = {k: now[k] for k in ("status", "label", "label_en", "reason", "reason_en")}
    when = asked.isoformat()
    if now["status"] == stmt.get("status") and now_successor == then_successor:
        return _answer(True, True, f"凭证真实；本库今天对{when}的答复仍是“{now['label']}” / authentic, and still "
                       f"the registry's answer today: “{now['label_en']}” on {when}", **extra)
    return _answer(True, False, f"凭证真实，但已不是本库今天的答复：{when}的状态现为“{now['label']}”（{now['reason']}）"
                   f" / authentic, but no longer the registry's answer today: on {when} the status is now "
                   f"“{now['label_en']}” ({now['reason_en']})", **extra)
