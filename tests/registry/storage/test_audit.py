"""The audit log, on SQLite and PostgreSQL: every kind of write leaves an entry naming its actor, the hash
chain shows an edited or removed entry to ``normreg doctor``, and concurrent writers keep one chain."""

from __future__ import annotations

import contextlib
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from registry.errors import PreconditionFailed
from registry.facade import Registry
from registry.models import AuditEntry, Document, DocumentCreate, DocumentUpdate, EventCreate
from registry.services import periods as sweep
from registry.services.auth import create_token, revoke_token
from registry.services.clearing import campaigns as clearing
from registry.services.documents import create_document, update_document
from registry.services.events import record_event
from registry.services.ingestion import ingest_paths
from registry.storage import audit
from tests.conftest import make_settings

TODAY = date(2026, 11, 26)
DEMO = Path(__file__).resolve().parents[3] / "registry" / "demo" / "documents"


def _entries(reg: Registry) -> list[AuditEntry]:
    with reg.read_session() as s:
        return list(s.exec(select(AuditEntry).order_by(col(AuditEntry.id))))


def _chain(reg: Registry) -> dict[str, object]:
    with reg.read_engine.connect() as conn:
        return audit.verify(conn)


def _new_doc(s: Session, actor: str = "alice") -> str:
    doc = create_document(s, data=DocumentCreate(title="示例市人民政府关于印发示例市停车场管理办法的通知",
                                                 doc_number="示政发〔2019〕3号", publication_date=date(2019, 3, 1),
                                                 effective_date=date(2019, 4, 1), expiry_date=date(2024, 3, 31)),
                          today=TODAY, actor=actor)
    return doc.id


def test_every_kind_of_write_is_audited_with_its_actor(registry: Registry, tmp_path: Path) -> None:
    with registry.session() as s:
        report = ingest_paths(s, paths=[DEMO], catalog_path=DEMO / "catalog.csv", store=registry.files,
                              as_of=TODAY, today=TODAY, actor="importer")
        doc_id = _new_doc(s)
        update_document(s, document_id=doc_id, data=DocumentUpdate(topic="交通"), expected_version=1, today=TODAY,
                        actor="bob")
        record_event(s, document_id=doc_id, data=EventCreate(type="note", text="核对"), actor="carol", today=TODAY)
        create_token(s, name="dora", role="clerk", actor="root")
        revoke_token(s, name="dora", actor="root")
        listing = tmp_path / "list.csv"
        listing.write_text("序号,文件名称,文号,清理结果\n1,示例市人民政府关于印发示例市停车场管理办法的通知,"
                           "示政发〔2019〕3号,废止\n", encoding="utf-8")
        clearing.import_campaign(s, path=listing, name="2026清理", decided_on=date(2026, 6, 1), actor="erin")
        clearing.resolve_row(s, name="2026清理", row_no=1, ref=doc_id, actor="erin")
        clearing.apply_campaign(s, name="2026清理", actor="frank", today=TODAY)
        clearing.undo_row(s, name="2026清理", row_no=1, actor="gina", today=TODAY)
        sweep.sweep(s, today=TODAY, actor="cron")

    entries = _entries(registry)
    seen = {(e.action, e.actor) for e in entries}
    assert {("document.create", "alice"), ("document.update", "bob"), ("event.append", "carol"),
            ("token.create", "root"), ("token.revoke", "root"), ("clearing.import", "erin"),
            ("clearing.resolve", "erin"), ("clearing.apply", "frank"), ("event.append", "frank"),
            ("clearing.undo", "gina"), ("event.append", "gina"), ("sweep", "cron")} <= seen
    ingested = [e for e in entries if e.action == "ingest.added"]
    assert len(ingested) == report.added == 25 and {e.actor for e in ingested} == {"importer"}
    assert all(e.target == doc_id for e in entries if e.action.startswith("document."))
    health = registry.diagnose()
    assert health["audit"] == {"entries": len(entries), "head": entries[-1].hash}
    assert not [p for p in health["problems"] if p["kind"] == "audit_chain_broken"]

    # a refused write leaves no entry
    with registry.session() as s, pytest.raises(PreconditionFailed):
        update_document(s, document_id=doc_id, data=DocumentUpdate(topic="x"), expected_version=1, today=TODAY,
                        actor="mallory")
    assert len(_entries(registry)) == len(entries)

    # a restore brings the chain back as it was, and adds itself to it
    archive = tmp_path / "snap.tar.gz"
    registry.backup(archive)
    fresh = Registry(make_settings(tmp_path / "restored", registry.settings.database_url))
    if registry.engine.dialect.name == "postgresql":
        fresh.close()
        return  # same schema: restoring onto PostgreSQL is covered by tests/registry/services/test_backup.py
    try:
        fresh.restore(archive, actor="ops")
        again = _entries(fresh)
        assert [e.hash for e in again[:-1]] == [e.hash for e in entries]
        assert (again[-1].action, again[-1].actor, again[-1].prev_hash) == ("backup.restore", "ops", entries[-1].hash)
        assert _chain(fresh)["broken"] is None
    finally:
        fresh.close()


def _drop_trigger(conn: object, dialect: str) -> None:
    if dialect == "sqlite":
        conn.execute(text("DROP TRIGGER audit_log_no_update"))  # type: ignore[attr-defined]
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))  # type: ignore[attr-defined]
    else:
        conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))  # type: ignore[attr-defined]


def test_the_database_refuses_to_edit_the_audit_log(registry: Registry) -> None:
    with registry.session() as s:
        _new_doc(s)
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), registry.engine.begin() as conn:
            conn.execute(text(statement))
    assert _entries(registry)[0].actor == "alice"


@pytest.mark.parametrize("tamper", ["edit", "delete", "rehash"])
def test_doctor_finds_the_first_tampered_entry(registry: Registry, tamper: str) -> None:
    with registry.session() as s:
        doc_id = _new_doc(s)
        for n in range(4):
            record_event(s, document_id=doc_id, data=EventCreate(type="note", text=f"第{n}次"), actor="carol",
                         today=TODAY)
    entries = _entries(registry)
    victim = entries[2]
    with registry.engine.begin() as conn:
        _drop_trigger(conn, conn.dialect.name)
        if tamper == "edit":
            conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = :i"), {"i": victim.id})
        elif tamper == "delete":
            conn.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": victim.id})
        else:  # a careful forger recomputes the edited row's hash: the next row's link breaks instead
            row = {**victim.model_dump(), "actor": "mallory"}
            conn.execute(text("UPDATE audit_log SET actor = 'mallory', hash = :h WHERE id = :i"),
                         {"h": audit.entry_hash(row), "i": victim.id})
    health = registry.diagnose()
    broken = [p for p in health["problems"] if p["kind"] == "audit_chain_broken"]
    expected = victim.id + 1 if tamper in ("delete", "rehash") else victim.id
    assert not health["ok"] and broken and broken[0]["id"] == expected, broken


def test_concurrent_writers_keep_one_chain(registry: Registry) -> None:
    with registry.session() as s:
        doc_ids = [_new_doc(s, actor=f"w{i}") for i in range(2)]
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for k in range(10):
                with registry.session() as s:
                    record_event(s, document_id=doc_ids[k % 2], data=EventCreate(type="note", text=f"{n}-{k}"),
                                 actor=f"writer{n}", today=TODAY)
                    if k % 3 == 0:
                        doc = s.get(Document, doc_ids[0])
                        assert doc is not None
                        # another writer may edit it first: refused (412), and then not audited
                        with contextlib.suppress(PreconditionFailed):
                            update_document(s, document_id=doc.id, data=DocumentUpdate(topic=f"{n}-{k}"),
                                            expected_version=doc.version, today=TODAY, actor=f"writer{n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    entries = _entries(registry)
    edits = sum(e.action == "document.update" for e in entries)
    assert edits >= 1
    # every event (80 notes, plus the note each edit writes) and every edit that won is there once
    assert sum(e.action == "event.append" and e.actor.startswith("writer") for e in entries) == 80 + edits
    assert [e.id for e in entries] == list(range(1, len(entries) + 1))
    chain = _chain(registry)
    assert chain["broken"] is None and chain["entries"] == len(entries)


def test_a_chain_rewritten_from_scratch_misses_the_anchor_published_in_the_feed(settings: object) -> None:
    from xml.etree import ElementTree as ET

    from fastapi.testclient import TestClient

    from registry.http.app import create_app

    app = create_app(settings)  # type: ignore[arg-type]
    reg: Registry = app.state.registry
    reg.init()
    with reg.session() as s:
        doc_id = _new_doc(s)
        record_event(s, document_id=doc_id, data=EventCreate(type="repealed", date=date(2024, 1, 1)), actor="carol",
                     today=TODAY)
    with TestClient(app) as client:
        feed = ET.fromstring(client.get("/feeds/changes.atom").content)
    published = feed.find("{urn:normreg:audit}auditHead")
    assert published is not None and published.text == _entries(reg)[-1].hash
    anchor = (int(published.get("entry", "0")), published.text or "")
    with reg.engine.begin() as conn:  # someone with the database's keys rewrites history…
        _drop_trigger(conn, conn.dialect.name)
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 1"))
        prev = audit.GENESIS
        for entry in _entries_on(conn):  # …and recomputes every hash, so the chain verifies by itself
            row = {**entry, "prev_hash": prev}
            prev = audit.entry_hash(row)
            conn.execute(text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                         {"p": row["prev_hash"], "h": prev, "i": entry["id"]})
    assert reg.diagnose()["ok"]  # nothing inside the database can tell
    health = reg.diagnose(anchors=[anchor])
    assert [p["kind"] for p in health["problems"]] == ["audit_anchor_mismatch"]
    reg.close()


def _entries_on(conn: object) -> list[dict[str, object]]:
    table = AuditEntry.__table__  # type: ignore[attr-defined]  # typed columns: timestamps as on write
    return [dict(r) for r in conn.execute(select(table).order_by(table.c.id)).mappings().all()]  # type: ignore[attr-defined]


def test_an_event_edited_past_its_triggers_no_longer_matches_the_chain(registry: Registry) -> None:
    """The chain carries each event's digest: editing the event itself (not its audit entry) is found."""
    with registry.session() as s:
        doc_id = _new_doc(s)
        kept = record_event(s, document_id=doc_id, data=EventCreate(type="note", text="保留"), actor="carol",
                            today=TODAY)
        victim = record_event(s, document_id=doc_id, data=EventCreate(type="repealed", date=date(2024, 1, 1)),
                              actor="carol", today=TODAY)
    assert registry.diagnose()["ok"], registry.diagnose()["problems"]
    with registry.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER events_no_update"))
        else:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE events SET date = '2030-01-01' WHERE id = :i"), {"i": victim.id})
    altered = [p for p in registry.diagnose()["problems"] if p["kind"] == "event_altered"]
    assert [p["id"] for p in altered] == [victim.id] and kept.id != victim.id


def test_events_of_a_bulk_import_are_chained_in_one_entry_per_chunk(registry: Registry, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"示例市人民政府关于第{n}项工作的通知\n各区：\n本通知自印发之日起施行。\n"
                                        "示例市人民政府\n2021年1月1日\n", encoding="utf-8")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("file,status\n" + "".join(f"in/{n}.txt,已废止\n" for n in range(3)), encoding="utf-8")
    registry.ingest([folder], catalog=catalog)
    batches = [e for e in _entries(registry) if e.action == "event.batch"]
    assert batches and all(len(e.details["events_sha256"]) == 64 for e in batches)
    assert registry.diagnose()["ok"], registry.diagnose()["problems"]
    with registry.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER events_no_update"))
        else:
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
        first = batches[0].details["event_ids"][0][0]
        conn.execute(text("UPDATE events SET payload = '{}' WHERE id = :i"), {"i": first})
    assert any(p["kind"] == "event_altered" for p in registry.diagnose()["problems"])
