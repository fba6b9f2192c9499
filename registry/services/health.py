"""``normreg doctor`` and ``/healthz``: does everything agree?"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from registry import audit
from registry.context import Registry
from registry.indexing import compare, pending_outbox
from registry.models import SourceFile


def diagnose(reg: Registry) -> dict[str, Any]:
    """Compare registry and index, check every stored source file is present and intact, and verify the
    audit log's hash chain (the first broken link is reported; ``audit.head`` is the newest hash, worth
    keeping elsewhere since dropping the newest rows cannot be seen from inside the chain)."""
    problems: list[dict[str, Any]] = []
    pending = pending_outbox(reg.engine)
    if pending == 0:
        problems.extend(compare(reg.engine, reg.backend))
    else:
        problems.append({"kind": "outbox_pending", "count": pending,
                         "hint": "run `normreg worker --once` (or the API will catch up)"})
    with reg.session() as session:
        for sf in session.exec(select(SourceFile)):
            if sf.stored_name and not (reg.settings.files_dir / sf.stored_name).is_file():
                problems.append({"kind": "stored_file_missing", "id": sf.document_id, "file": sf.stored_name})
    with reg.read_engine.connect() as conn:  # never SQLite's write lock for a check
        chain = audit.verify(conn)
        conn.rollback()
    if chain["broken"]:
        problems.append(chain["broken"])
    return {"ok": not problems, "problems": problems, "audit": {"entries": chain["entries"], "head": chain["head"]}}
