"""``/api/v1/statements``: issued without a token, returned again unchanged, verified (authentic / current),
the public key at a fixed URL, bad input a clear error, and issuing rate-limited per client."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from registry.models import EventCreate
from tests.registry.api.conftest import ClientFactory, add_document


def test_issue_fetch_and_verify_without_a_token_then_a_repeal_makes_it_not_current(client: TestClient) -> None:
    doc = add_document(client, title="示例市公共资源交易管理办法", doc_number="示政办发〔2021〕7号",
                       publication_date=date(2021, 5, 1), effective_date=date(2021, 6, 1))
    created = client.post("/api/v1/statements", json={"ref": "示政办发[2021]7号", "at": "2024-01-01"})
    assert created.status_code == 201, created.text
    stmt = created.json()
    assert stmt["document"]["id"] == doc and stmt["asked_for"] == "2024-01-01" and stmt["status"] == "in_force"
    assert stmt["signature"] and stmt["verify_url"].endswith(f"/statements/{stmt['id']}")
    again = client.get(f"/api/v1/statements/{stmt['id']}")
    assert again.status_code == 200 and again.json() == stmt

    ok = client.post("/api/v1/statements/verify", json=stmt).json()
    assert ok["authentic"] is True and ok["current"] is True

    reg = client.app.state.registry  # type: ignore[attr-defined]
    reg.record_event(doc, EventCreate(type="repealed", date=date(2023, 12, 1), legal_basis="清理决定"))
    later = client.post("/api/v1/statements/verify", json=stmt).json()
    assert (later["authentic"], later["current"]) == (True, False)

    forged = client.post("/api/v1/statements/verify", json={**stmt, "asked_for": "2024-01-02"}).json()
    assert (forged["authentic"], forged["current"]) == (False, False)

    key = client.get("/api/v1/statements/key").json()
    assert key["key_id"] == stmt["key_id"] and key["algorithm"] == "Ed25519" and "BEGIN PUBLIC KEY" in key["pem"]


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)  # input handling is the same on both databases
def test_bad_input_is_a_clear_error_in_the_one_shape(client: TestClient) -> None:
    add_document(client, title="示例办法", publication_date=date(2021, 5, 1))
    cases = [({"ref": "示例办法", "at": "2024-13-01"}, 422), ({"ref": "没有这份文件"}, 404), ({"at": "2024-01-01"}, 422)]
    for body, status in cases:
        r = client.post("/api/v1/statements", json=body)
        assert r.status_code == status, (body, r.text)
        assert set(r.json()["error"]) == {"code", "message", "details"}
    missing = client.get("/api/v1/statements/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.post("/api/v1/statements/verify", json=[1, 2]).status_code == 422


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)  # the limit lives in process memory
def test_issuing_is_rate_limited_per_client(client_with: ClientFactory) -> None:
    with client_with(statement_rate_limit_per_minute=2) as c:
        add_document(c, title="示例办法", publication_date=date.today() - timedelta(days=3))
        codes = [c.post("/api/v1/statements", json={"ref": "示例办法"}).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        limited = c.post("/api/v1/statements", json={"ref": "示例办法"})
        assert int(limited.headers["Retry-After"]) >= 1
