"""Access: roles, token management (API and CLI), rate limits and CORS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from registry.cli import app as cli_app
from registry.models import ApiToken
from registry.services.auth import hash_token
from registry.settings import Settings
from tests.registry.api.conftest import ClientFactory, add_document, bearer


def test_roles_are_ordered(client: TestClient, tokens: dict[str, str]) -> None:
    for role in ("clerk", "reviewer"):
        r = client.get("/api/v1/tokens", headers=bearer(tokens[role]))
        assert r.status_code == 403, role
        assert r.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/tokens", headers=bearer(tokens["admin"])).status_code == 200
    doc_id = add_document(client)
    for role in ("reviewer", "admin"):  # a higher role may do what a clerk may
        r = client.post(f"/api/v1/documents/{doc_id}/events", json={"type": "note", "text": role},
                        headers=bearer(tokens[role]))
        assert r.status_code == 201 and r.json()["actor"] == f"{role}-zhang"


def test_admin_manages_tokens_and_only_hashes_are_stored(client: TestClient, tokens: dict[str, str]) -> None:
    h = bearer(tokens["admin"])
    r = client.post("/api/v1/tokens", json={"name": "clerk-li", "role": "clerk"}, headers=h)
    assert r.status_code == 201
    secret = r.json()["token"]
    assert client.post("/api/v1/tokens", json={"name": "clerk-li", "role": "clerk"}, headers=h).status_code == 409
    assert client.post("/api/v1/tokens", json={"name": "x", "role": "king"}, headers=h).status_code == 422
    listed = client.get("/api/v1/tokens", headers=h).json()
    assert "clerk-li" in {t["name"] for t in listed}
    assert secret not in json.dumps(listed) and all("token_hash" not in t for t in listed)
    with client.app.state.registry.session() as session:  # type: ignore[attr-defined]
        row = session.exec(select(ApiToken).where(ApiToken.name == "clerk-li")).one()
        assert row.token_hash == hash_token(secret) and secret not in row.token_hash
    doc_id = add_document(client)
    note = {"type": "note", "text": "ok"}
    assert client.post(f"/api/v1/documents/{doc_id}/events", json=note, headers=bearer(secret)).status_code == 201
    assert client.delete("/api/v1/tokens/clerk-li", headers=h).status_code == 200
    r = client.post(f"/api/v1/documents/{doc_id}/events", json=note, headers=bearer(secret))
    assert r.status_code == 401


def test_cli_token_create_list_revoke(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMREG_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("NORMREG_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    r = runner.invoke(cli_app, ["token", "create", "--role", "clerk", "--name", "clerk-wu", "--json"])
    assert r.exit_code == 0, r.output
    created = json.loads(r.stdout)
    assert created["token"].startswith("nr_") and created["role"] == "clerk"
    r = runner.invoke(cli_app, ["token", "create", "--role", "clerk", "--name", "clerk-wu", "--json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["error"]["code"] == "conflict"
    r = runner.invoke(cli_app, ["token", "create", "--role", "emperor", "--name", "x", "--json"])
    assert r.exit_code == 2
    r = runner.invoke(cli_app, ["token", "list", "--json"])
    assert r.exit_code == 0 and created["token"] not in r.stdout
    assert [t["name"] for t in json.loads(r.stdout)["tokens"]] == ["clerk-wu"]
    r = runner.invoke(cli_app, ["token", "revoke", "clerk-wu", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["revoked_at"]


def test_public_reads_are_rate_limited_per_client(client_with: ClientFactory) -> None:
    with client_with(rate_limit_per_minute=3) as c:
        for _ in range(3):
            assert c.get("/api/v1/suggest", params={"q": "示例"}).status_code == 200
        r = c.get("/api/v1/search", params={"q": "示例"})
        assert r.status_code == 429
        assert r.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        assert c.get("/api/v1/validity", params={"ref": "x"}).status_code == 429
        assert c.get("/api/v1/documents").status_code == 200  # plain reads are not limited


def test_cors_is_open_for_search_suggest_validity_only(client: TestClient) -> None:
    origin = {"Origin": "https://www.example.gov.cn"}
    for path in ("/api/v1/search?q=x", "/api/v1/suggest?q=x"):
        assert client.get(path, headers=origin).headers.get("access-control-allow-origin") == "*"
    pre = client.options("/api/v1/search", headers={**origin, "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200
    pre = client.options("/api/v1/search", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 400
    assert "access-control-allow-origin" not in client.get("/api/v1/documents", headers=origin).headers


def test_widget_script_is_small_and_never_uses_inner_html(client: TestClient) -> None:
    r = client.get("/widget.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert len(r.content) <= 15 * 1024
    code = Path("registry/web/static/widget.js").read_text()
    assert ".innerHTML" not in code and "insertAdjacentHTML" not in code and "eval(" not in code
    assert r.headers["cross-origin-resource-policy"] == "cross-origin"
