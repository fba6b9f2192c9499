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
    for statement in ("UPDATE events SET actor = 'y'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"), registry.engine.begin() as conn:
            conn.execute(text(statement))
    with registry.engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM events")).scalar_one() == "x"
