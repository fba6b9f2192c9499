"""``normreg doctor`` and ``/healthz``: does everything agree?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from registry.models import SourceFile
from registry.storage import audit
from registry.storage.files import FileStore
from registry.storage.indexing import compare, pending_outbox
from search.model import SearchBackend


def diagnose(engine: Engine, read_engine: Engine, backend: SearchBackend, files: FileStore,
             anchors: Iterable[tuple[int, str]] = ()) -> dict[str, Any]:
    """Compare registry and index, check every document's stored source file is readable whole in the file
    store (each missing one reported with its document's id), and verify the
    audit log's hash chain (the first broken link is reported; ``audit.head`` is the newest hash, worth
    keeping elsewhere since dropping the newest rows cannot be seen from inside the chain). Each anchor
    ``(entry id, hash)`` kept outside the database (from the Atom feed, a backup, a printed report) is
    checked too: a chain rewritten and recomputed from scratch verifies by itself but misses its anchors."""
    problems: list[dict[str, Any]] = []
    pending = pending_outbox(engine)
    if pending == 0:
        problems.extend(compare(engine, backend))
    else:
        problems.append({"kind": "outbox_pending", "count": pending,
                         "hint": "run `normreg worker --once` (or the API will catch up)"})
    with Session(engine) as session:
        owners = [(sf.stored_name, sf.document_id) for sf in session.exec(select(SourceFile)) if sf.stored_name]
    gone = set(files.unreadable(sorted({name for name, _ in owners})))
    problems.extend({"kind": "stored_file_missing", "id": doc, "file": name} for name, doc in owners if name in gone)
    with read_engine.connect() as conn:  # never SQLite's write lock for a check
        chain = audit.verify(conn)
        problems.extend(audit.verify_events(conn))
        problems.extend(p for p in (audit.check_anchor(conn, i, h) for i, h in anchors) if p)
        conn.rollback()
    if chain["broken"]:
        problems.append(chain["broken"])
    return {"ok": not problems, "problems": problems, "audit": {"entries": chain["entries"], "head": chain["head"]}}
