"""The API's PostgreSQL role (deploy/postgres-app-role.sql) writes rows but cannot touch the guards that
keep the event and audit logs append-only (issue 18). Against the real server, with the real script."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from registry.facade import Registry
from registry.models import DocumentCreate, EventCreate
from tests.conftest import PG_URL, make_settings, pg_schema

SCRIPT = Path(__file__).resolve().parents[3] / "deploy" / "postgres-app-role.sql"


def test_the_app_role_writes_rows_and_cannot_drop_the_guards(tmp_path: Path) -> None:
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed (apt-get install postgresql-client)")
    role = f"normreg_app_{uuid.uuid4().hex[:8]}"
    with pg_schema("role") as owner_url:
        schema = owner_url.split("search_path%3D", 1)[1].split("&", 1)[0]
        owner = Registry(make_settings(tmp_path / "owner", owner_url))
        owner.init()  # the migrations, as the owner
        owner.close()
        env = {**os.environ, "PGOPTIONS": f"-csearch_path={schema}"}
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-v", "ON_ERROR_STOP=1",
                        "-v", f"app_role={role}", "-v", "app_password=test-only", "-q", "-f", str(SCRIPT)],
                       env=env, check=True, capture_output=True)
        app_url = owner_url.replace("postgres@", f"{role}:test-only@", 1)
        try:
            app = Registry(make_settings(tmp_path / "app", app_url))
            doc = app.create_document(DocumentCreate(title="示例市应用角色测试办法", publication_date=date(2024, 1, 1)))
            app.record_event(doc["id"], EventCreate(type="repealed", date=date(2025, 1, 1)))
            assert app.check(doc["id"])["status"] == "repealed"
            for statement in ("DROP TRIGGER events_append_only ON events",
                              "ALTER TABLE events DISABLE TRIGGER ALL",
                              "TRUNCATE events CASCADE",
                              "DROP TRIGGER audit_log_append_only ON audit_log"):
                with pytest.raises(Exception, match=r"must be owner|permission denied"), app.engine.begin() as conn:
                    conn.execute(text(statement))
            with pytest.raises(Exception, match="append-only"), app.engine.begin() as conn:
                conn.execute(text("UPDATE events SET actor = 'mallory'"))
            app.close()
        finally:
            admin = create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(text(f'DROP OWNED BY "{role}"'))
                conn.execute(text(f'DROP ROLE "{role}"'))
            admin.dispose()
