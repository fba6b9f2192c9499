"""Bulk ingestion: read files stored a chunk per transaction keep every guarantee of one per transaction.

Real laws from ``../shared/corpus/laws`` with their real catalog rows, on SQLite and PostgreSQL; the
comparison registry is stored one document per chunk, which is how ingestion wrote before chunks.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from registry.facade import Registry
from registry.models import Article, Document, Event, OutboxEntry, SourceFile, StatusChange
from registry.services import ingestion
from registry.settings import Settings
from tests.conftest import make_settings
from tests.support.corpus import corpus_path, laws_catalog

pytestmark = pytest.mark.corpus
AS_OF = date(2025, 12, 1)




def _state(reg: Registry) -> dict[str, Any]:
    """What an import produced, per source file: fields, status and reason, events, articles, changes."""
    with reg.read_session() as s:
        origin = dict(s.execute(select(SourceFile.document_id, SourceFile.origin)).all())  # type: ignore[arg-type]
        out: dict[str, Any] = {}
        for doc in s.exec(select(Document)):
            events = [(e.type, e.date, e.payload, e.evidence.get("line")) for e in
                      s.exec(select(Event).where(Event.document_id == doc.id).order_by(Event.id))]  # type: ignore[arg-type]
            changes = [(c.old_status, c.new_status) for c in
                       s.exec(select(StatusChange).where(StatusChange.document_id == doc.id))]
            articles = s.execute(select(func.count()).select_from(Article)
                                 .where(Article.document_id == doc.id)).scalar_one()  # type: ignore[arg-type]
            out[origin[doc.id]] = {"title": doc.title, "issuer": doc.issuer, "dates": (
                doc.publication_date, doc.effective_date), "status": doc.status, "reason": doc.status_reason,
                "published": doc.published_at is not None, "events": events, "changes": changes,
                "articles": articles}
    return out


def _ingest(reg: Registry, files: list[Path], catalog: Path, **kwargs: Any) -> ingestion.IngestReport:
    return reg.ingest(files, catalog=catalog, as_of=AS_OF, jobs=2, **kwargs)


def test_chunks_store_what_one_document_per_transaction_stores(
        registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, catalog = laws_catalog(tmp_path, 60)
    monkeypatch.setattr(ingestion, "CHUNK_DOCUMENTS", 7)  # several chunks and a short last one
    monkeypatch.setattr(ingestion, "CHUNK_SECONDS", 3600.0)
    seen: list[tuple[int, int]] = []
    report = _ingest(registry, files, catalog, progress=lambda done, total, _p: seen.append((done, total)))
    assert (report.added, report.failed) == (60, [])
    assert seen[-1] == (60, 60) and len(seen) == 60

    monkeypatch.setattr(ingestion, "CHUNK_DOCUMENTS", 1)
    single = Registry(make_settings(tmp_path / "single"))
    single.init()
    try:
        assert _ingest(single, files, catalog).added == 60
        chunked, one_by_one = _state(registry), _state(single)
    finally:
        single.close()
    assert chunked == one_by_one
    assert {d["status"] for d in chunked.values()} >= {"in_force", "repealed", "amended"}
    assert all(d["published"] and d["changes"] for d in chunked.values())
    assert sum(1 for d in chunked.values() if d["articles"]) > 40  # amendment texts and decisions have no 第X条


def test_a_bulk_import_leaves_the_index_current_and_a_rerun_changes_nothing(
        registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, catalog = laws_catalog(tmp_path, 40)
    monkeypatch.setattr(ingestion, "CHUNK_DOCUMENTS", 9)
    first = _ingest(registry, files, catalog)
    assert first.added == 40
    health = registry.diagnose()
    assert (health["ok"], health["problems"]) == (True, [])
    with registry.read_session() as s:
        assert s.execute(select(func.count()).select_from(OutboxEntry)
                         .where(col(OutboxEntry.processed_at).is_(None))).scalar_one() == 0
        audited = s.execute(select(func.count()).select_from(Document)).scalar_one()
    assert audited == 40

    again = _ingest(registry, files, catalog)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 40)
    with registry.read_session() as s:
        assert s.execute(select(func.count()).select_from(SourceFile)).scalar_one() == 40
        assert s.execute(select(func.count()).select_from(Event)).scalar_one() == \
            sum(len(d["events"]) for d in _state(registry).values())


def test_a_second_file_for_the_same_document_in_one_chunk_is_its_next_version(
        registry: Registry, tmp_path: Path) -> None:
    laws = corpus_path("laws")
    first, second = sorted((laws / "docs").glob("*.md"))[:2]
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(first.read_bytes())
    b.write_bytes(second.read_bytes())
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text("".join(json.dumps({"id": "same-doc", "title": t, "file": f.name, "status": "有效"},
                                          ensure_ascii=False) + "\n" for t, f in (("甲", a), ("乙", b))),
                       encoding="utf-8")
    report = registry.ingest([a, b], catalog=catalog, as_of=AS_OF, jobs=1)
    assert (report.added, report.updated, report.failed) == (1, 1, [])
    with registry.read_session() as s:
        doc = s.get(Document, "same-doc")
        assert doc is not None and doc.version == 2
        versions = sorted(s.exec(select(SourceFile.version_no).where(SourceFile.document_id == "same-doc")))
    assert versions == [1, 2]


def test_a_record_the_database_refuses_costs_only_itself(settings: Settings, tmp_path: Path) -> None:
    if not settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("SQLite does not enforce column lengths, so it stores the over-long id the test needs")
    reg = Registry(settings)
    reg.init()
    try:
        laws = corpus_path("laws")
        bad = tmp_path / "bad.md"
        bad.write_bytes(sorted((laws / "docs").glob("*.md"))[0].read_bytes())
        files, catalog = laws_catalog(tmp_path, 12, extra=[{"id": "x" * 80, "title": "过长的编号", "file": str(bad)}])
        report = _ingest(reg, files, catalog)
        assert report.added == 12
        assert [f["path"] for f in report.failed] == [str(bad)]
        assert "could not store" in report.failed[0]["error"]
        health = reg.diagnose()
        assert (health["ok"], health["problems"]) == (True, [])
    finally:
        reg.close()
