"""Shared fixtures: a real registry on a real database for every test that needs one.

``registry`` runs each test on SQLite (a file in the test's temporary directory) and, when a PostgreSQL
server answers on 127.0.0.1:5432 (database ``test``), again on PostgreSQL in a schema of its own.
Nothing here is mocked: the same code path as production, on both databases.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from registry.facade import Registry
from registry.http.app import create_app
from registry.settings import Settings

# CI explores the same examples every run (no flaky landings); locally hypothesis keeps hunting.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

PG_URL = os.environ.get("NORMREG_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


PG_AVAILABLE = _postgres_available()
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards; skips without a server."""
    if not PG_AVAILABLE:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}&application_name={schema}"
    finally:
        with admin.begin() as conn:
            # A connection a failed test left open must not block the drop (and hang the suite).
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :a"),
                         {"a": schema})
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    with pg_schema("t") as url:
        yield url


def make_settings(tmp_path: Path, database_url: str | None = None, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, **overrides)  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh registry on SQLite, then on PostgreSQL."""
    if request.param == "postgres":
        url = request.getfixturevalue("pg_schema_url")
        return make_settings(tmp_path, url)
    return make_settings(tmp_path)


@pytest.fixture
def registry(settings: Settings) -> Iterator[Registry]:
    reg = Registry(settings)
    reg.init()
    yield reg
    reg.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    app.state.registry.init()
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


TODAY = date(2026, 11, 26)


def _import_laws(settings: Settings) -> Registry:
    """A registry holding all 2,124 laws of the shared corpus with their catalog (index not fed)."""
    from registry.services.ingestion import ingest_paths
    from tests.support.corpus import corpus_path

    laws = corpus_path("laws")
    reg = Registry(settings)
    reg.init()
    with reg.session() as session:
        report = ingest_paths(session, paths=[laws / "docs"], catalog_path=laws / "catalog.jsonl",
                              store=reg.files, as_of=date(2025, 12, 1), today=date.today(), jobs=2)
    assert not report.failed, report.failed[:3]
    reg.laws_report = report  # type: ignore[attr-defined]
    return reg


@pytest.fixture(scope="session")
def laws_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """All 2,124 laws, imported once per test session on SQLite.

    The search index is not fed here (``index_inline`` off): tests that search build their own.
    """
    reg = _import_laws(make_settings(tmp_path_factory.mktemp("laws"), index_inline=False, rate_limit_per_minute=0))
    yield reg
    reg.close()


@pytest.fixture(scope="session")
def laws_registry_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """The same corpus on PostgreSQL (a schema of its own, dropped afterwards)."""
    with pg_schema("laws") as url:
        reg = _import_laws(make_settings(tmp_path_factory.mktemp("laws_pg"), url, index_inline=False,
                                         rate_limit_per_minute=0))
        yield reg
        reg.close()


@pytest.fixture
def smtp() -> Iterator[Any]:
    """A real SMTP server on loopback; ``smtp.url`` goes into ``Settings(smtp_url=...)``."""
    from tests.support.smtp import smtp_server

    with smtp_server() as box:
        yield box
