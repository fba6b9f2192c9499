"""insert_rows stores exactly what SQLAlchemy's Core insert stores: conversions, omitted defaults, NULLs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session

from registry.facade import Registry
from registry.models import Article, Document, Notice, OutboxEntry
from registry.storage.rows import insert_rows
from tests.conftest import make_settings


def _documents() -> list[dict[str, Any]]:
    when = datetime(2025, 3, 4, 5, 6, 7, 89, tzinfo=UTC)
    return [{"id": f"doc-{i}", "title": f"标题{i}", "text": "正文" * i, "doc_number": None if i % 2 else f"示{i}号",
             "publication_date": date(2020, 1, 1 + i), "effective_date": None, "co_issuers": ["甲", "乙"][:i % 3],
             "created_at": when, "updated_at": when, "published_at": when if i % 2 else None,
             "status_reason": "", "title_key": f"t{i}"} for i in range(1, 6)]


def _stored(session: Session, table: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]


def test_rows_inserted_in_bulk_are_stored_as_sqlalchemy_stores_them(tmp_path: Path) -> None:
    stored: list[dict[str, list[tuple[Any, ...]]]] = []
    for name, write in (("core", lambda s, t, rows: s.execute(insert(t), rows)), ("bulk", insert_rows)):
        reg = Registry(make_settings(tmp_path / name))
        reg.init()
        try:
            with reg.session() as s:
                write(s, Document.__table__, _documents())  # pinned, status, version omitted: their defaults
                write(s, Article.__table__, [{"document_id": "doc-1", "ordinal": n, "number": f"第{n}条",
                                              "chapter": None, "heading": "总则", "text": "条文"} for n in (1, 2)])
                write(s, Notice.__table__, [{"kind": "document_added", "document_id": "doc-2",
                                             "data": {"title": "标题2", "n": [1, None]},
                                             "created_at": datetime(2025, 1, 1, tzinfo=UTC)}])
                write(s, OutboxEntry.__table__, [{"document_id": "doc-3", "created_at": datetime(2025, 1, 2, tzinfo=UTC)}])
                s.commit()
                stored.append({t: _stored(s, t) for t in ("documents", "articles", "notices", "search_outbox")})
        finally:
            reg.close()
    core, bulk = stored
    assert core == bulk
    assert len(core["documents"]) == 5 and core["articles"] and core["notices"] and core["search_outbox"]
