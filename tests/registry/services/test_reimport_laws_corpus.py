"""Re-importing the whole law corpus (2,124 files) with a newer catalog saved elsewhere under another name,
in which one law is now 已废止: it must store that one claim, leave every other document as it was, show
no SQL, and skip the unchanged files without reading them (so it costs hashing, not extraction)."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from registry.facade import Registry
from registry.models import Document, Event, Relation, SourceFile, StatusChange
from registry.models.basis import ReviewTask
from tests.conftest import make_settings
from tests.support.corpus import corpus_path

REPEALED = "ff8081817ab231eb017abd6bd860052d"  # 中华人民共和国广告法 (2021), 有效 in the catalog


@pytest.mark.slow
def test_reimporting_the_corpus_with_one_law_repealed_changes_only_that_claim(tmp_path: Path) -> None:
    laws = corpus_path("laws")
    reg = Registry(make_settings(tmp_path, index_inline=False, rate_limit_per_minute=0))
    reg.init()
    try:
        first = reg.ingest([laws / "docs"], catalog=laws / "catalog.jsonl", as_of=date(2025, 12, 1), jobs=2)
        assert first.failed == [] and first.added == 2124
        with reg.read_session() as s:
            files, events = len(s.exec(select(SourceFile)).all()), len(s.exec(select(Event)).all())
            changes = len(s.exec(select(StatusChange)).all())
            before = {d.id: (d.status, d.version) for d in s.exec(select(Document))}
        rows = [json.loads(line) for line in (laws / "catalog.jsonl").read_text(encoding="utf-8").splitlines()]
        newer = tmp_path / "downloads" / "catalog-2026-11.jsonl"
        newer.parent.mkdir()
        newer.write_text("".join(json.dumps(dict(r, status="已废止", status_code="repealed") if r["id"] == REPEALED
                                            else r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        started = time.process_time()
        again = reg.ingest([laws / "docs"], catalog=newer, as_of=date(2026, 11, 20), jobs=2)
        cpu = time.process_time() - started
        assert again.failed == []
        assert (again.added, again.updated, again.unchanged) == (0, 1, 2123)
        assert "INSERT" not in json.dumps(again.as_dict(), ensure_ascii=False)
        with reg.read_session() as s:
            assert len(s.exec(select(SourceFile)).all()) == files
            new_events = list(s.exec(select(Event).order_by(col(Event.id)).offset(events)))
            assert [(e.document_id, e.type, e.payload.get("status")) for e in new_events] == [
                (REPEALED, "status_asserted", "repealed")]
            new_changes = list(s.exec(select(StatusChange).order_by(col(StatusChange.id)).offset(changes)))
            assert [(c.document_id, c.new_status) for c in new_changes] == [(REPEALED, "repealed")]
            after = {d.id: (d.status, d.version) for d in s.exec(select(Document))}
            assert {k for k in after if after[k] != before[k]} == {REPEALED}
            # a task for each live document whose basis is this text of 广告法, and for nothing else
            based = {r.source_id for r in s.exec(select(Relation).where(Relation.target_id == REPEALED,
                                                                        Relation.kind == "based_on"))}
            live = {d for d in based if after[d][0] not in ("repealed", "invalid")}
            tasks = list(s.exec(select(ReviewTask)))
            assert sorted(t.document_id for t in tasks) == sorted(live)
            assert {t.basis_id for t in tasks} <= {REPEALED}
        print(f"re-import of 2,124 files, one changed: {cpu:.1f} s CPU in this process")
        assert cpu < 30  # unchanged files are hashed and skipped, not extracted again
    finally:
        reg.close()
