"""The follows API over HTTP: follows and their Atom feeds, and webhooks (an admin's) with the secret
shown once, URLs refused by scheme and, in production, by address, the delivery log and a replay."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from registry.http.app import create_app
from registry.models import EventCreate
from registry.services.auth import create_token
from tests.conftest import make_settings
from tests.registry.api.conftest import add_document, bearer

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, TestClient]]:
    """One registry (SQLite; the queue itself is tested on both databases in tests/registry/services)
    served twice: as in development, and refusing internal webhook targets as in production."""
    settings = make_settings(tmp_path_factory.mktemp("follows_api"), index_inline=False, deliver_inline=False,
                             rate_limit_per_minute=0)
    dev, prod = create_app(settings), create_app(settings.model_copy(update={"webhook_allow_private": False}))
    dev.state.registry.init()
    with TestClient(dev, raise_server_exceptions=False) as a, TestClient(prod, raise_server_exceptions=False) as b:
        yield a, b


@pytest.fixture(scope="module")
def client(apps: tuple[TestClient, TestClient]) -> TestClient:
    return apps[0]


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[str, str]:
    out = {}
    with client.app.state.registry.session() as session:  # type: ignore[attr-defined]
        for role in ("clerk", "reviewer", "admin"):
            _, out[role] = create_token(session, name=f"follows-{role}", role=role)
    return out


def _registry(client: TestClient) -> Any:
    return client.app.state.registry  # type: ignore[attr-defined]


def test_follow_a_document_and_read_its_feed_without_an_account(client: TestClient) -> None:
    doc_id = add_document(client, title="示例市<测试>管理办法", publication_date="2026-01-01",
                          effective_date="2026-01-01")
    made = client.post("/api/v1/follows", json={"document": doc_id})
    assert made.status_code == 201
    follow = made.json()
    assert follow["kind"] == "document" and len(follow["id"]) >= 32
    _registry(client).record_event(doc_id, EventCreate(type="repealed", date=date(2026, 11, 20)))
    feed = client.get(f"/feeds/follows/{follow['id']}.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert "已废止" in entries[0].findtext(f"{ATOM}title", "")
    assert "<测试>" in entries[0].findtext(f"{ATOM}title", "")  # escaped by the XML library, read back whole
    assert client.get("/feeds/follows/not-a-follow.atom").status_code == 404
    notices = client.get(f"/api/v1/follows/{follow['id']}/notices").json()
    assert notices[0]["kind"] == "status_changed" and notices[0]["data"]["new_status"] == "repealed"


def test_a_saved_search_feed_lists_only_matching_new_documents(client: TestClient) -> None:
    add_document(client, title="示例市道路交通管理办法", publication_date="2026-03-01")
    add_document(client, title="示例市会议纪要", publication_date="2026-03-01")
    feed = client.get("/feeds/search.atom", params={"q": "交通", "year": "2026"})
    titles = [e.findtext(f"{ATOM}title", "") for e in ET.fromstring(feed.content).findall(f"{ATOM}entry")]
    assert len(titles) == 1 and titles[0].startswith("示例市道路交通管理办法")
    follow = client.post("/api/v1/follows", json={"query": "交通", "filters": {"year": ["2026"]}}).json()
    assert follow["kind"] == "search" and follow["filters"] == {"year": ["2026"]}
    bad = client.post("/api/v1/follows", json={"query": "交通", "filters": {"colour": "red"}})
    assert bad.status_code == 422 and "colour" in bad.json()["error"]["message"]
    assert client.post("/api/v1/follows", json={}).status_code == 422


def test_webhooks_are_an_admins_and_the_secret_is_shown_once(client: TestClient, tokens: dict[str, str]) -> None:
    body = {"url": "http://127.0.0.1:9/hook", "events": ["status_changed", "document_added"]}
    assert client.post("/api/v1/webhooks", json=body).status_code == 401
    assert client.post("/api/v1/webhooks", json=body, headers=bearer(tokens["reviewer"])).status_code == 403
    made = client.post("/api/v1/webhooks", json=body, headers=bearer(tokens["admin"]))
    assert made.status_code == 201
    hook = made.json()
    assert len(hook["secret"]) == 64
    listed = client.get("/api/v1/webhooks", headers=bearer(tokens["admin"])).json()
    assert hook["id"] in [h["id"] for h in listed] and all("secret" not in h for h in listed)
    for url in ("ftp://example.com/x", "javascript:alert(1)", "file:///etc/passwd", "http://u:p@example.com/"):
        refused = client.post("/api/v1/webhooks", json={**body, "url": url}, headers=bearer(tokens["admin"]))
        assert refused.status_code == 422, url
    unknown = client.post("/api/v1/webhooks", json={**body, "events": ["everything"]}, headers=bearer(tokens["admin"]))
    assert unknown.status_code == 422 and unknown.json()["error"]["details"]["unknown"] == ["everything"]


def test_production_refuses_webhooks_to_internal_addresses(apps: tuple[TestClient, TestClient],
                                                           tokens: dict[str, str]) -> None:
    c = apps[1]
    for url in ("http://127.0.0.1:8080/x", "http://10.1.2.3/x", "http://[::1]/x", "http://169.254.169.254/"):
        refused = c.post("/api/v1/webhooks", json={"url": url, "events": ["status_changed"]},
                         headers=bearer(tokens["admin"]))
        assert refused.status_code == 422, url
        assert "internal" in refused.json()["error"]["message"]


def test_the_delivery_log_and_a_replay_over_http(client: TestClient, tokens: dict[str, str]) -> None:
    admin = bearer(tokens["admin"])
    hook = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["document_added"]},
                       headers=admin).json()
    add_document(client, title="示例市推送测试办法")
    add_document(client, title="示例市推送测试第二办法")
    reg = _registry(client)
    reg.deliver()  # nothing listens on port 9: both retried later
    log = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=admin).json()
    assert log["total"] == 2 and {d["state"] for d in log["items"]} == {"pending"}
    assert all(d["attempts"] == 1 and "Connect" in (d["last_error"] or "") for d in log["items"])
    first = log["items"][0]
    replayed = client.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{first['id']}/replay", headers=admin)
    assert replayed.status_code == 200 and replayed.json()["id"] == first["id"]
    missing = client.post(f"/api/v1/webhooks/{hook['id']}/deliveries/nope/replay", headers=admin)
    assert missing.status_code == 404 and set(missing.json()["error"]) == {"code", "message", "details"}
    gone = client.delete(f"/api/v1/webhooks/{hook['id']}", headers=admin)
    assert gone.status_code == 200 and gone.json()["active"] is False
    states = {d["state"] for d in client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=admin)
              .json()["items"]}
    assert states == {"failed"}
