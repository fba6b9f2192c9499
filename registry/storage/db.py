"""Engines, sessions and migrations for SQLite (one machine) and PostgreSQL (several).

SQLite runs in WAL mode with a busy timeout and foreign keys on, so concurrent API workers and a CLI
batch can write without "database is locked" errors or orphan rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect

MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` with the per-backend settings normreg relies on.

    On SQLite, writers start with ``BEGIN IMMEDIATE``; ``read_only`` engines start with a plain (deferred)
    ``BEGIN``, so readers see a consistent snapshot without taking the write lock and never queue behind,
    or block, a writer.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # autocommit mode while setting pragmas; SQLAlchemy then manages transactions itself
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # BEGIN IMMEDIATE for writers: take the write lock at the start, so two writers queue instead
            # of failing half-way with SQLITE_BUSY on lock upgrade.
            conn.exec_driver_sql(begin)

        engine.dialect._json_serializer = _json_dumps  # type: ignore[attr-defined]
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, json_serializer=_json_dumps)


def _json_dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> str | None:
    """Create or upgrade the schema to the newest revision; returns the revision now in place."""
    command.upgrade(alembic_config(engine), "head")
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None
