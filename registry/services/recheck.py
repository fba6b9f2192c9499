"""Which references a resolution pass must try again, and against which documents.

Every ingest, a clerk's upload of one file included, ends by resolving the references still waiting for
their target (:func:`registry.services.relations.link_stated_references` for repeals and amendments,
:func:`registry.services.basis.resolve_citations` for 依据). References to laws the registry does not
hold stay pending for good, so trying each of them against every stored document on every ingest made a
one-file upload into a 30,000-document registry take seconds (docs/benchmarks.md, "Resolving references
without reading the whole registry").

A pass now stamps the references it leaves unresolved with ``Relation.checked_at`` (when it started).
A stamped reference can only be resolved by a document stored or edited since that stamp: every other
document was there, unchanged, when it was tried. So such a reference is tried again, against the whole
registry as before, only when one of the documents changed since then is a candidate for it; references
never stamped (new ones, or those of an import killed before its pass) are tried against everything.
The result is the one a full pass gives. ``RECHECK_MARGIN`` covers a document whose transaction stamped
its ``updated_at`` before the pass began but committed after the pass read the table. A registry that
predates the stamps has none: its first ingest after the upgrade tries every waiting reference once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select as select_columns
from sqlalchemy import update
from sqlmodel import Session, col

from registry.models import Document, Relation

RECHECK_MARGIN = timedelta(minutes=10)  # far longer than any transaction that stores documents
_CHUNK = 500  # ids per IN (...) list: below every database's limit on bound parameters


def changed_since(stamps: Iterable[datetime | None]) -> datetime | None:
    """From when documents may resolve references stamped at ``stamps`` (None: none is stamped)."""
    known = [s for s in stamps if s is not None]
    return min(known) - RECHECK_MARGIN if known else None


def changed_documents(session: Session, since: datetime | None, *columns: Any) -> list[Any]:
    """``columns`` of the documents stored or edited since ``since`` (none when ``since`` is None)."""
    if since is None:
        return []
    return list(session.execute(select_columns(*columns).where(col(Document.updated_at) >= since)))


def settle(session: Session, resolved: Sequence[tuple[int, str]],
           unresolved: Sequence[tuple[int, datetime | None]], started: datetime) -> None:
    """Point the ``resolved`` references (id, target) at their targets and stamp the ``unresolved`` ones
    (id, stamp they had) with ``started``.

    A stamp younger than RECHECK_MARGIN is left as it is: keeping an older stamp only widens the next
    pass's window of changed documents, never narrows it, and so a registry's few thousand waiting
    references are not all rewritten by every upload of a busy day, only once per margin.
    """
    if resolved:
        session.execute(update(Relation), [{"id": rel_id, "target_id": target} for rel_id, target in resolved])
    stale = [rel_id for rel_id, stamp in unresolved if stamp is None or stamp < started - RECHECK_MARGIN]
    for start in range(0, len(stale), _CHUNK):
        session.execute(update(Relation).where(col(Relation.id).in_(stale[start:start + _CHUNK]))
                        .values(checked_at=started))


__all__ = ["RECHECK_MARGIN", "changed_documents", "changed_since", "settle"]
