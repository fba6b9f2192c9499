"""Notices: the one place a write announces something followers may want to hear about.

A service that makes a change worth telling (``status_changed``, ``document_added``, ``version_added``,
``task_opened``) calls :func:`publish` (or :func:`publish_many` for a batch) inside its own transaction, so a
notice exists exactly when the change was committed. Delivery (feeds, webhooks, mail) reads the notices later
and never runs in the writer's transaction (:mod:`registry.services.deliveries`).

Cost: one multi-row INSERT into ``notices`` per call, whatever the number of items (a bulk import
publishes 500 at a time), and nothing else: no fan-out, no lookup of followers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from registry.models import Notice
from registry.models._types import utcnow
from registry.storage.rows import insert_rows

NOTICE_KINDS = ("status_changed", "document_added", "version_added", "task_opened")


def publish(session: Session, kind: str, document_id: str | None, data: dict[str, Any]) -> None:
    """Announce ``kind`` about ``document_id`` with JSON-able ``data``, in ``session``'s transaction."""
    publish_many(session, kind, [(document_id, data)])


def publish_many(session: Session, kind: str, items: Sequence[tuple[str | None, dict[str, Any]]]) -> None:
    """Announce ``kind`` once per ``(document_id, data)`` item, in one statement whatever their number."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    if not items:
        return
    now = utcnow()
    insert_rows(session, Notice.__table__,  # type: ignore[attr-defined]
                [{"kind": kind, "document_id": doc_id, "data": data, "created_at": now} for doc_id, data in items])


def documents_added(session: Session, rows: Sequence[Any]) -> None:
    """Announce that documents became public (``document_added``): ``rows`` are documents or mappings
    with ``id``, ``title`` and ``doc_number``; followers' filters are matched later, against the stored row."""
    def field(row: Any, name: str) -> Any:
        return row.get(name) if isinstance(row, dict) else getattr(row, name, None)

    publish_many(session, "document_added", [
        (field(r, "id"), {"title": field(r, "title"), "doc_number": field(r, "doc_number")}) for r in rows])


def latest_id(session: Session) -> int:
    """The newest notice's id (0 when there is none): where a new follower's cursor starts."""
    from sqlalchemy import func
    from sqlmodel import select

    return int(session.exec(select(func.coalesce(func.max(Notice.id), 0))).one() or 0)
