"""The migrations create exactly the schema the models describe, on both databases, and the event log
refuses edits at the database level."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

import registry.models  # noqa: F401
from registry.facade import Registry
from registry.storage.db import alembic_config


def test_migrations_match_the_models(registry: Registry) -> None:
    with registry.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_init_brings_the_schema_to_the_newest_revision_and_twice_is_harmless(registry: Registry) -> None:
    head = ScriptDirectory.from_config(alembic_config(registry.engine)).get_current_head()
    assert registry.init() == head
    assert registry.init() == head


def test_events_cannot_be_edited_or_deleted(registry: Registry) -> None:
    with registry.engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, title, title_key, co_issuers, text, status, status_reason, "
                          "version, pinned, created_at, updated_at) VALUES ('d1', 't', 't', '[]', '', 'unknown', '', "
                          "1, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO events (document_id, type, actor, payload, evidence, recorded_at) "
                          "VALUES ('d1', 'note', 'x', '{}', '{}', CURRENT_TIMESTAMP)"))
    sqlite = registry.engine.dialect.name == "sqlite"
    rewrites = ["UPDATE events SET actor = 'y'", "DELETE FROM events",
                # SQLite's REPLACE deletes the old row without firing DELETE triggers; PostgreSQL's upsert
                # updates it (UPDATE triggers fire) and TRUNCATE fires no row trigger at all
                "INSERT OR REPLACE INTO events (id, document_id, type, actor, payload, evidence, recorded_at) "
                "VALUES ((SELECT id FROM events), 'd1', 'note', 'y', '{}', '{}', CURRENT_TIMESTAMP)" if sqlite else
                "INSERT INTO events (id, document_id, type, actor, payload, evidence, recorded_at) "
                "SELECT id, 'd1', 'note', 'y', '{}', '{}', CURRENT_TIMESTAMP FROM events "
                "ON CONFLICT (id) DO UPDATE SET actor = 'y'",
                "DELETE FROM events" if sqlite else "TRUNCATE events CASCADE"]
    for statement in rewrites:
        with pytest.raises(Exception, match="append-only"), registry.engine.begin() as conn:
            conn.execute(text(statement))
    with registry.engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM events")).scalar_one() == "x"


def test_an_audit_entry_cannot_be_replaced_in_place(registry: Registry) -> None:
    registry.create_token("machine-audit", role="clerk")  # one audited write: entry 1 exists
    sqlite = registry.engine.dialect.name == "sqlite"
    statement = ("INSERT OR REPLACE INTO audit_log (id, recorded_at, actor, action, target, details, prev_hash, hash) "
                 "SELECT id, recorded_at, 'mallory', action, target, details, prev_hash, hash FROM audit_log"
                 if sqlite else
                 "INSERT INTO audit_log (id, recorded_at, actor, action, target, details, prev_hash, hash) "
                 "SELECT id, recorded_at, 'mallory', action, target, details, prev_hash, hash FROM audit_log "
                 "ON CONFLICT (id) DO UPDATE SET actor = 'mallory'")
    with pytest.raises(Exception, match="append-only"), registry.engine.begin() as conn:
        conn.execute(text(statement))
    with registry.engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() != ["mallory"]
