"""A bulk import's index feed in a process of its own keeps the outbox's guarantees.

Whatever dies and when (the feed process alone, or the whole import with it, by SIGKILL), the import
or its re-run ends with every document in the index exactly once and doctor ok. Real laws from
``../shared/corpus/laws``; ``index_feed_process_from`` is set low so small batches use the process.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import tantivy
from sqlalchemy import func
from sqlmodel import col, select

from registry.facade import Registry
from registry.models import OutboxEntry
from registry.services import ingestion
from registry.settings import Settings
from search.embedded.schema import DOC, load_payload
from search.embedded.writer import index_directory
from search.model import SearchQuery
from tests.support.corpus import laws_catalog
from tests.support.processes import children

pytestmark = pytest.mark.corpus
AS_OF = date(2025, 12, 1)
ROOT = Path(__file__).resolve().parents[3]






def _indexed_records(settings: Settings) -> list[str]:
    """The ids of every document record in the index, repeats included (read from its directory)."""
    index = tantivy.Index.open(str(index_directory(settings.search_dir)))
    index.reload()
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.term_query(index.schema, "kind", DOC), limit=max(1, searcher.num_docs),
                           count=False).hits
    return [load_payload(searcher.doc(addr))["id"] for _, addr in hits]


def _pending(reg: Registry) -> int:
    with reg.read_session() as s:
        return int(s.execute(select(func.count()).select_from(OutboxEntry)
                             .where(col(OutboxEntry.processed_at).is_(None))).scalar_one())


@pytest.fixture
def bulk(settings: Settings) -> Settings:
    return settings.model_copy(update={"index_feed_process_from": 1})


def test_the_feed_process_indexes_a_bulk_import_once_and_this_process_sees_it(
        bulk: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, catalog = laws_catalog(tmp_path, 40)
    monkeypatch.setattr(ingestion, "CHUNK_DOCUMENTS", 8)
    reg = Registry(bulk)
    reg.init()
    try:
        seen: set[int] = set()
        report = reg.ingest(files, catalog=catalog, as_of=AS_OF, jobs=2,
                            progress=lambda *_: seen.update(children(os.getpid(), b"registry.storage.feed_worker")))
        assert (report.added, report.failed) == (40, [])
        assert seen, "the feed ran in a process of its own"
        assert children(os.getpid(), b"registry.storage.feed_worker") == []  # waited for: gone when the import returns
        assert _pending(reg) == 0
        health = reg.diagnose()
        assert (health["ok"], health["problems"]) == (True, [])
        records = _indexed_records(bulk)
        assert len(records) == len(set(records)) == 40
        assert reg.search(SearchQuery(q="中华人民共和国"))["total"] > 0  # this process's reader sees the feed's commits
    finally:
        reg.close()


def test_a_feed_process_killed_mid_import_leaves_every_document_indexed_exactly_once(
        bulk: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, catalog = laws_catalog(tmp_path, 40)
    monkeypatch.setattr(ingestion, "CHUNK_DOCUMENTS", 5)
    monkeypatch.setattr(ingestion, "CHUNK_SECONDS", 3600.0)
    reg = Registry(bulk)
    reg.init()
    killed: list[int] = []

    def kill_once_it_has_fed(done: int, _total: int, _path: str) -> None:
        if killed or done < 20:
            return
        deadline = time.monotonic() + 60
        with reg.read_session() as s:  # half the chunks are committed: wait until the feed has taken some
            while s.execute(select(func.count()).select_from(OutboxEntry)
                            .where(col(OutboxEntry.processed_at).is_not(None))).scalar_one() == 0:
                assert time.monotonic() < deadline, "the feed process fed nothing"
                time.sleep(0.05)
                s.rollback()
        for pid in children(os.getpid(), b"registry.storage.feed_worker"):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    try:
        report = reg.ingest(files, catalog=catalog, as_of=AS_OF, jobs=2, progress=kill_once_it_has_fed)
        assert killed and (report.added, report.failed) == (40, [])
        assert _pending(reg) == 0  # what the killed process left was fed when the import ended
        health = reg.diagnose()
        assert (health["ok"], health["problems"]) == (True, [])
        records = _indexed_records(bulk)
        assert len(records) == len(set(records)) == 40
    finally:
        reg.close()


def test_a_broken_file_among_many_is_reported_and_the_rest_go_in_with_the_feed_process(
        bulk: Settings, tmp_path: Path) -> None:
    files, catalog = laws_catalog(tmp_path, 20)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n not a pdf at all")
    reg = Registry(bulk)
    reg.init()
    try:
        report = reg.ingest([*files, broken], catalog=catalog, as_of=AS_OF, jobs=2)
        assert report.added == 20
        assert [f["path"] for f in report.failed] == [str(broken)]
        health = reg.diagnose()
        assert (health["ok"], health["problems"]) == (True, [])
        assert sorted(_indexed_records(bulk)) == sorted(d["id"] for d in report.documents)
    finally:
        reg.close()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "registry.cli", *args]


def test_an_import_killed_with_its_feed_process_then_run_again_holds_each_document_once(tmp_path: Path) -> None:
    files, catalog = laws_catalog(tmp_path, 600)
    data = tmp_path / "data"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NORMREG_")},
           "NORMREG_DATA_DIR": str(data), "NORMREG_INDEX_FEED_PROCESS_FROM": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    args = _cli("ingest", *map(str, files), "--catalog", str(catalog), "--jobs", "2",
                "--as-of", AS_OF.isoformat(), "--json")
    first = subprocess.Popen(args, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    db = data / "normreg.db"
    deadline = time.monotonic() + 120
    stored = 0
    while stored == 0:  # a chunk is committed, the rest not yet: kill everything, as a power cut would
        assert time.monotonic() < deadline and first.poll() is None, "the import ended before it was killed"
        time.sleep(0.02)
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            stored = 0
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert 0 < stored < 600

    again = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    report = json.loads(again.stdout)
    assert report["added"] + report["unchanged"] == 600 and report["failed"] == []
    doctor = subprocess.run(_cli("doctor", "--json"), env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert json.loads(doctor.stdout)["ok"] is True, doctor.stdout[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 600
    records = _indexed_records(Settings(data_dir=data))
    assert len(records) == len(set(records)) == 600
