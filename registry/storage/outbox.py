"""The search outbox and the commit hook that feeds the index from it.

A write that changes what the index must hold queues the document here, in its own transaction
(:func:`queue`). When that transaction commits, the hook below calls the feeder the session carries
(``Registry`` puts one on every session it opens), so the index follows every committed write without
the caller doing anything. A rolled-back transaction drops the flag with its outbox rows. Sessions
without a feeder (the index worker's own, restore, tests that open a bare session) only leave the rows
pending for ``normreg worker`` or the next feed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

from registry.models import OutboxEntry
from registry.models._types import utcnow
from registry.storage.rows import insert_rows

log = logging.getLogger(__name__)

FEEDER = "normreg.index_feeder"  # session.info key: called after a commit that queued documents
FEED_PROCESS = "normreg.index_feed_process"  # session.info key: a bulk import's feed in a process of its own
_QUEUED = "normreg.outbox_queued"

Feeder = Callable[[], object]


def queue(session: OrmSession, document_ids: Iterable[str]) -> None:
    """Queue documents for the index inside the caller's transaction."""
    now = utcnow()
    rows = [{"document_id": doc_id, "created_at": now} for doc_id in document_ids]
    if rows:
        insert_rows(session, OutboxEntry.__table__, rows)  # type: ignore[attr-defined]
        session.info[_QUEUED] = True


@event.listens_for(OrmSession, "after_commit")
def _feed_after_commit(session: OrmSession) -> None:
    if not session.info.pop(_QUEUED, False):
        return
    feeder: Feeder | None = session.info.get(FEEDER)
    if feeder is None:
        return
    try:
        feeder()
    except Exception:  # the write is committed; the entries stay pending and doctor says the index is behind
        log.exception("feeding the search index failed; the outbox keeps the entries for the next feed")


@event.listens_for(OrmSession, "after_transaction_end")
def _drop_after_rollback(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # after a commit the flag is already gone; after a rollback, so are the rows
        session.info.pop(_QUEUED, None)
