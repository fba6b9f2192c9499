"""``normreg office``/``user``/``demo-accounts`` as a newcomer runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select
from typer.testing import CliRunner

from registry.cli import app
from registry.facade import Registry
from registry.models import Document
from registry.settings import Settings
from tests.support import staff

runner = CliRunner()
DEMO = Path(__file__).resolve().parents[3] / "registry" / "demo" / "documents"


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {"NORMREG_DATA_DIR": str(settings.data_dir), **extra}
    if settings.database_url:
        env["NORMREG_DATABASE_URL"] = settings.database_url
    return env


def test_office_and_user_add_read_the_password_from_standard_input(settings: Settings) -> None:
    env = _env(settings)
    r = runner.invoke(app, ["office", "add", "示例市人民政府办公室", "--code", "ZF", "--region", "SL", "--json"], env=env)
    assert r.exit_code == 0 and json.loads(r.stdout)["code"] == "ZF"
    r = runner.invoke(app, ["user", "add", "li.ming", "--office", "ZF", "--role", "clerk", "--json"], env=env,
                      input="correct-horse-42\n")
    assert r.exit_code == 0 and "correct-horse-42" not in r.stdout
    r = runner.invoke(app, ["user", "add", "wu.ke", "--office", "ZF", "--role", "clerk", "--json"], env=env,
                      input="short\n")
    assert r.exit_code == 1 and json.loads(r.stdout)["error"]["code"] == "invalid_input"
    reg = Registry(settings)
    try:
        assert reg.sign_in("li.ming", "correct-horse-42")[0].role == "clerk"
    finally:
        reg.close()


def test_demo_accounts_are_refused_outside_development(settings: Settings) -> None:
    for extra in ({}, {"NORMREG_ENVIRONMENT": "production", "NORMREG_DATABASE_URL": settings.resolved_database_url,
                              "NORMREG_PUBLIC_URL": "https://gfxwj.example.gov.cn"}):
        r = runner.invoke(app, ["demo-accounts", "--json"], env=_env(settings, **extra))
        assert r.exit_code == 1, extra
        assert "NORMREG_ENVIRONMENT=development" in json.loads(r.stdout)["error"]["message"]


def test_demo_accounts_let_a_newcomer_sign_in_and_own_the_demo_documents(settings: Settings) -> None:
    env = _env(settings, NORMREG_ENVIRONMENT="development")
    r = runner.invoke(app, ["ingest", str(DEMO), "--catalog", str(DEMO / "catalog.csv"), "--json"], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["demo-accounts", "--json"], env=env)
    assert r.exit_code == 0, r.output
    first = json.loads(r.stdout)
    assert set(first["offices_added"]) == {staff.CITY[0], staff.JUSTICE[0], staff.TRANSPORT[0]}
    assert {u["role"] for u in first["users"]} == {"clerk", "reviewer", "admin"}
    again = json.loads(runner.invoke(app, ["demo-accounts", "--json"], env=env).stdout)
    assert again["offices_added"] == [] and again["documents_assigned"] == 0
    assert not any(u["created"] for u in again["users"])
    human = runner.invoke(app, ["demo-accounts"], env=env)
    assert all(u["username"] in human.stdout and u["password"] in human.stdout for u in first["users"])

    reg = Registry(settings)
    try:
        offices = {o["name"]: o for o in reg.list_offices()}
        assert offices[staff.JUSTICE[0]]["parent"] == staff.CITY[0] and offices[staff.JUSTICE[0]]["region"] == "SL"
        clerk = next(u for u in first["users"] if u["office"] == staff.JUSTICE[0])
        actor, _ = reg.sign_in(clerk["username"], clerk["password"])
        with reg.read_session() as s:
            docs = s.exec(select(Document)).all()
        own = [d for d in docs if d.office_id == actor.office_id]
        assert own and all(d.issuer == staff.JUSTICE[0] for d in own)
        # a government's documents belong to its general office (三统一: it registers them)
        city_id = offices[staff.CITY[0]]["id"]
        assert {d.issuer for d in docs if d.office_id == city_id} == {"示例市人民政府", "示例市人民政府办公室"}
        assert first["documents_assigned"] == sum(1 for d in docs if d.office_id is not None)
    finally:
        reg.close()
