"""Backup and restore: a snapshot taken while the registry is live restores into an empty database (on
either engine) with every row, every event and every stored file intact."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from registry.errors import Conflict, InvalidInput
from registry.facade import Registry
from registry.models import EventCreate
from registry.services.backup import TABLE_ORDER
from registry.services.events import record_event
from registry.services.ingestion import ingest_paths
from registry.services.validity import check
from registry.settings import Settings
from tests.conftest import make_settings

DEMO = Path(__file__).resolve().parents[3] / "registry" / "demo" / "documents"


def _counts(reg: Registry) -> dict[str, int]:
    with reg.engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(SQLModel.metadata.tables[name])).scalar_one()
                for name in TABLE_ORDER}


def test_backup_restore_round_trip_loses_nothing(registry: Registry, tmp_path: Path) -> None:
    with registry.session() as session:
        ingest_paths(session, paths=[DEMO], catalog_path=DEMO / "catalog.csv",
                     store=registry.files, as_of=date(2026, 11, 26), today=date(2026, 11, 26))
        record_event(session, document_id=check(session, "示政发〔2023〕4号", date.today())["document"]["id"],
                     data=EventCreate(type="note", text="备份前的备注"), actor="tester", today=date.today())
    before = _counts(registry)
    archive = tmp_path / "snapshot.tar.gz"
    manifest = registry.backup(archive)
    assert manifest["tables"]["documents"] == 25 and manifest["files"] == 25

    fresh = Registry(make_settings(tmp_path / "restored"))
    try:
        result = fresh.restore(archive)
        assert result["files"] == 25
        assert _counts(fresh) == before
        with fresh.session() as session:
            answer = check(session, "示政发〔2019〕8号", date(2026, 11, 26))
            assert answer["status"] == "repealed"
        stored = sorted(fresh.files.names())
        assert stored == sorted(registry.files.names()) and len(stored) == 25
        assert all(b"".join(fresh.files.iter_bytes(n)) == b"".join(registry.files.iter_bytes(n)) for n in stored)
        with pytest.raises(Conflict):
            fresh.restore(archive)  # never over a database that holds documents
    finally:
        fresh.close()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, settings: Settings) -> None:
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tar")
    reg = Registry(settings)
    try:
        with pytest.raises(InvalidInput):
            reg.restore(bogus)
    finally:
        reg.close()


def test_a_backup_is_private_and_a_restore_brings_no_credential_back(registry: Registry, tmp_path: Path) -> None:
    from tests.support import staff

    _, token = registry.create_token("machine-before", role="clerk")
    staff.user(registry, "li.ming", role="clerk")
    _, cookie = registry.sign_in("li.ming", staff.PASSWORD)
    archive = tmp_path / "snapshot.tar.gz"
    manifest = registry.backup(archive)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert manifest["audit_head"]["hash"]
    registry.revoke_token("machine-before")  # revoked after the snapshot: the snapshot still holds it live
    fresh = Registry(make_settings(tmp_path / "restored"))
    try:
        fresh.restore(archive)
        assert fresh.authenticate(token) is None
        assert fresh.session_actor(cookie) is None
        assert fresh.sign_in("li.ming", staff.PASSWORD)[0].name == "li.ming"  # people just sign in again
        assert fresh.diagnose(anchors=[(manifest["audit_head"]["id"], manifest["audit_head"]["hash"])])["ok"]
    finally:
        fresh.close()


def test_a_statement_issued_before_a_backup_is_still_authentic_after_a_restore_elsewhere(
        registry: Registry, tmp_path: Path) -> None:
    """The signing key (and the delivery key) travel with the backup; a key the new machine made is kept aside."""
    with registry.session() as session:
        ingest_paths(session, paths=[DEMO], catalog_path=DEMO / "catalog.csv",
                     store=registry.files, as_of=date(2026, 11, 26), today=date(2026, 11, 26))
    statement = registry.issue_statement("示政发〔2023〕4号", date(2026, 11, 26))
    archive = tmp_path / "snapshot.tar.gz"
    assert "signing-key.pem" in registry.backup(archive)["keys"]
    fresh = Registry(make_settings(tmp_path / "elsewhere"))
    try:
        own = fresh.signing_key.key_id  # the new machine made a key of its own before the restore
        assert own != registry.signing_key.key_id
        assert "signing-key.pem" in fresh.restore(archive)["keys"]
        assert fresh.signing_key.key_id == registry.signing_key.key_id
        assert fresh.verify_statement(statement)["authentic"] is True
        kept = list(fresh.settings.data_dir.glob("signing-key.pem.replaced-*"))
        assert len(kept) == 1 and oct(kept[0].stat().st_mode & 0o777) == "0o600"
        assert oct((fresh.settings.data_dir / "signing-key.pem").stat().st_mode & 0o777) == "0o600"
    finally:
        fresh.close()


BEFORE = Path(__file__).resolve().parents[2] / "fixtures" / "backups" / "before-the-file-store.tar.gz"


def test_a_backup_taken_before_the_file_store_restores_its_files_into_either_store(settings: Settings) -> None:
    """Written by the code of main before stored files went behind Registry.files (files on disk, revision
    slots 0016/0017 empty): its two source files come back into the store the registry uses now."""
    reg = Registry(settings)
    try:
        result = reg.restore(BEFORE)
        assert result["files"] == 2 and result["restored"]["documents"] == 2
        names = sorted(reg.files.names())
        assert len(names) == 2 and not any(name.startswith(("tables/", "files/")) for name in names)
        sources = {p.suffix: p.read_bytes() for p in DEMO.glob("*") if p.name in (
            "sz-2016-30-e-commerce.md", "szb-2020-6-resumption-of-work.txt")}
        assert {Path(n).suffix: b"".join(reg.files.iter_bytes(n)) for n in names} == sources
        assert reg.diagnose()["ok"], reg.diagnose()["problems"]
    finally:
        reg.close()


def test_files_on_disk_restore_into_the_database_store_and_back(tmp_path: Path) -> None:
    from tests.conftest import pg_schema

    disk = Registry(make_settings(tmp_path / "disk"))
    disk.init()
    disk.ingest([DEMO / "sz-2016-30-e-commerce.md", DEMO / "szb-2020-6-resumption-of-work.txt"])
    first = tmp_path / "from-disk.tar.gz"
    disk.backup(first)
    with pg_schema("bk") as url:
        pg = Registry(make_settings(tmp_path / "pg", url))
        try:
            assert pg.files.kind == "database" and pg.restore(first)["files"] == 2
            assert sorted(pg.files.names()) == sorted(disk.files.names())
            assert not (tmp_path / "pg" / "data" / "files").exists()  # nothing landed on this machine's disk
            second = tmp_path / "from-database.tar.gz"
            assert pg.backup(second)["files"] == 2
        finally:
            pg.close()
    back = Registry(make_settings(tmp_path / "back"))
    try:
        assert back.restore(second)["files"] == 2 and back.files.kind == "local"
        for name in disk.files.names():
            assert (back.settings.data_dir / "files" / name).read_bytes() == b"".join(disk.files.iter_bytes(name))
    finally:
        back.close()
        disk.close()
