"""The basis watch: review tasks opened when a law that documents are based on changes status.

:func:`open_for_changes` is called by :func:`registry.services.status_hooks.after_changes` with every
status change of a batch, inside the transaction that made them. When a document others are based on
moves from a known status to amended, repealed, invalid or partially invalid, each live document based on
it (not itself repealed or invalid) gets one open ``basis_changed`` task naming that basis and the
articles it cites, due ``basis_review_days`` (a setting, default 30) after ``today``. A second change of
the same basis while a task is open adds nothing. The whole batch costs three statements (dependents,
open tasks, one insert) and one ``task_opened`` notice per task. Closing a task is
:func:`registry.services.tasks.resolve_task`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ingest.metadata.citations import cited_articles
from registry.models._types import utcnow
from registry.models.basis import ReviewTask
from registry.rules.status import Status
from registry.services import notices
from registry.services.basis import dependents

BASIS_CHANGED = "basis_changed"
WATCHED = {Status.AMENDED.value, Status.REPEALED.value, Status.INVALID.value, Status.PARTIALLY_INVALID.value}
KNOWN = {s.value for s in Status} - {Status.UNKNOWN.value}
CLOSED = {Status.REPEALED.value, Status.INVALID.value}  # nothing left to review
DEFAULT_DAYS = 30


def _review_days(session: Session) -> int:
    settings = session.info.get("settings")
    return int(getattr(settings, "basis_review_days", DEFAULT_DAYS))


def open_for_changes(session: Session, changes: list[dict[str, Any]], today: date) -> list[int]:
    """Open the review tasks ``changes`` call for; returns their ids."""
    changed = {c["document_id"]: c for c in changes
               if c["new_status"] in WATCHED and c["old_status"] in KNOWN and c["old_status"] != c["new_status"]}
    rows = dependents(session, list(changed))
    if not rows:
        return []
    already = set(session.exec(select(ReviewTask.document_id, ReviewTask.basis_id)
                               .where(col(ReviewTask.basis_id).in_(list(changed)),
                                      ReviewTask.kind == BASIS_CHANGED, ReviewTask.state == "open")).all())
    due = today + timedelta(days=_review_days(session))
    now = utcnow()
    new: list[dict[str, Any]] = []
    for source_id, source_status, basis_id, cited, quote in rows:
        if source_id == basis_id or source_status in CLOSED or (source_id, basis_id) in already:
            continue
        already.add((source_id, basis_id))
        change = changed[basis_id]
        new.append({"kind": BASIS_CHANGED, "document_id": source_id, "basis_id": basis_id,
                    "basis_title": (cited or "")[:500], "articles": cited_articles(quote, cited) if cited else [],
                    "old_status": change["old_status"], "new_status": change["new_status"],
                    "reason": change["reason"], "due": due, "state": "open", "opened_at": now})
    if not new:
        return []
    ids = list(session.execute(insert(ReviewTask).returning(col(ReviewTask.id), sort_by_parameter_order=True),
                               new).scalars().all())
    notices.publish_many(session, "task_opened", [
        (row["document_id"], {"task": task_id, "kind": BASIS_CHANGED, "basis_id": row["basis_id"],
                              "new_status": row["new_status"], "due": row["due"].isoformat()})
        for task_id, row in zip(ids, new, strict=True)])
    return ids


__all__ = ["BASIS_CHANGED", "open_for_changes"]
