"""Notices: the one place a write announces something followers may want to hear about.

A service that makes a change worth telling (``status_changed``, ``document_added``, ``version_added``,
``task_opened``) calls :func:`publish` (or :func:`publish_many` for a batch) inside its own transaction, so a
notice exists exactly when the change was committed. Delivery (feeds, webhooks, mail) reads the notices later
and never runs in the writer's transaction. Until the follows work lands, publishing records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

NOTICE_KINDS = ("status_changed", "document_added", "version_added", "task_opened")


def publish(session: Session, kind: str, document_id: str | None, data: dict[str, Any]) -> None:
    """Announce ``kind`` about ``document_id`` with JSON-able ``data``, in ``session``'s transaction."""
    publish_many(session, kind, [(document_id, data)])


def publish_many(session: Session, kind: str, items: Sequence[tuple[str | None, dict[str, Any]]]) -> None:
    """Announce ``kind`` once per ``(document_id, data)`` item, in one statement whatever their number."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
