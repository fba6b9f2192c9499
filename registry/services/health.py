"""``normreg doctor`` and ``/healthz``: does everything agree?"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from registry.context import Registry
from registry.indexing import compare, pending_outbox
from registry.models import SourceFile


def diagnose(reg: Registry) -> dict[str, Any]:
    """Compare registry and index, and check every stored source file is present and intact."""
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
    return {"ok": not problems, "problems": problems}
