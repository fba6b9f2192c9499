"""What follows a change of documents' current status, in the same transaction as the change.

:func:`registry.services.validity.refresh_statuses` is the one place a stored status changes (an event, an
edit, a clearing result, a re-imported catalog, a bulk import's chunk); it calls :func:`after_changes` once
with every change it wrote, so whatever must react (the followers' notices, the basis watch) sees each change
exactly once and commits or rolls back with it. Each reaction takes the whole list, so a chunk of 500
changes costs a few statements, not 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from registry.services import basis_watch, notices


def after_changes(session: Session, changes: list[dict[str, Any]], today: date) -> None:
    """React to ``changes`` (the status_changes rows just inserted: document_id, old_status, new_status,
    reason, event_id, changed_at)."""
    notices.publish_many(session, "status_changed",
                         [(c["document_id"], {"old_status": c["old_status"], "new_status": c["new_status"],
                                              "reason": c["reason"], "event_id": c["event_id"]})
                          for c in changes])
    basis_watch.open_for_changes(session, changes, today)  # the basis watch: one query for the whole batch
