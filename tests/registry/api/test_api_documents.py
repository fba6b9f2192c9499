"""Document writes and events over HTTP on both databases: success, each refusal, and the state after."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from registry.models import Document, Event
from tests.registry.api.conftest import add_document, bearer

NEW = {"title": "示例市行政规范性文件管理办法", "doc_number": "示政规〔2024〕3号", "issuer": "示例市人民政府",
       "publication_date": "2024-01-10", "effective_date": "2024-02-01", "expiry_date": "2029-01-31",
       "text": "第一条 为了规范管理，制定本办法。\n第二条 本办法自2024年2月1日起施行。"}


def _db(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.registry.session()  # type: ignore[attr-defined]


def test_create_document_as_clerk(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/documents", json=NEW, headers=bearer(tokens["clerk"]))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "in_force" and body["version"] == 1
    assert r.headers["ETag"] == '"1"'
    assert r.headers["Location"] == f"/api/v1/documents/{body['id']}"
    with _db(client) as session:
        doc = session.get(Document, body["id"])
        assert doc is not None and doc.doc_number == "示政规〔2024〕3号"
        events = list(session.exec(select(Event).where(Event.document_id == doc.id)))
        assert [(e.type, e.actor) for e in events] == [("note", "clerk-zhang")]


def test_create_document_anonymous_is_401_and_writes_nothing(client: TestClient) -> None:
    r = client.post("/api/v1/documents", json=NEW)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    r = client.post("/api/v1/documents", json=NEW, headers=bearer("nr_not-a-real-token"))
    assert r.status_code == 401
    with _db(client) as session:
        assert session.exec(select(Document)).first() is None


def test_create_document_cannot_set_status_and_validates(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/documents", json={**NEW, "status": "repealed"}, headers=bearer(tokens["clerk"]))
    assert r.status_code == 201 and r.json()["status"] == "in_force"
    r = client.post("/api/v1/documents", json={"title": ""}, headers=bearer(tokens["clerk"]))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = client.post("/api/v1/documents", json={**NEW, "effective_date": "2030-01-01", "expiry_date": "2029-01-01"},
                    headers=bearer(tokens["clerk"]))
    assert r.status_code == 422


def test_patch_needs_if_match_and_refuses_a_stale_etag(client: TestClient, tokens: dict[str, str]) -> None:
    doc_id = add_document(client, title="示例市旧标题")
    h = bearer(tokens["clerk"])
    r = client.patch(f"/api/v1/documents/{doc_id}", json={"title": "示例市新标题"}, headers=h)
    assert r.status_code == 428 and r.json()["error"]["code"] == "precondition_required"
    etag = client.get(f"/api/v1/documents/{doc_id}").headers["ETag"]
    r = client.patch(f"/api/v1/documents/{doc_id}", json={"title": "示例市新标题"}, headers={**h, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "示例市新标题" and r.headers["ETag"] == '"2"'
    r = client.patch(f"/api/v1/documents/{doc_id}", json={"title": "示例市第三个标题"}, headers={**h, "If-Match": etag})
    assert r.status_code == 412 and r.json()["error"]["code"] == "precondition_failed"
    r = client.patch(f"/api/v1/documents/{doc_id}", json={"title": "x"}, headers={**h, "If-Match": "garbage"})
    assert r.status_code == 422
    with _db(client) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None and doc.title == "示例市新标题" and doc.version == 2
        notes = list(session.exec(select(Event).where(Event.document_id == doc_id)))
        assert [(e.actor, e.payload.get("fields")) for e in notes] == [("clerk-zhang", ["title"])]


def test_patch_unknown_document_is_404(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.patch("/api/v1/documents/nope", json={"title": "x"},
                     headers={**bearer(tokens["clerk"]), "If-Match": '"1"'})
    assert r.status_code == 404


def test_events_of_every_type_are_recorded_with_their_actor(client: TestClient, tokens: dict[str, str]) -> None:
    doc_id = add_document(client, title="示例市某某暂行办法", publication_date="2020-01-01", effective_date="2020-02-01")
    successor = add_document(client, title="示例市某某办法", publication_date="2023-01-01", effective_date="2023-02-01")
    interp = add_document(client, title="《示例市某某暂行办法》政策解读", publication_date="2020-01-02")
    h = bearer(tokens["clerk"])
    events = [
        {"type": "filed", "date": "2020-01-20", "payload": {"with": "示例省人民政府"}},
        {"type": "legality_reviewed", "date": "2019-12-20", "evidence": {"opinion": "示司审〔2019〕12号"}},
        {"type": "filing_reviewed", "date": "2020-03-01", "payload": {"outcome": "通过"}},
        {"type": "interpretation_linked", "payload": {"interpretation": interp}},
        {"type": "renewed", "date": "2021-12-01", "payload": {"new_expiry": "2023-01-31"}},
        {"type": "cleared", "date": "2022-06-30", "payload": {"result": "修改", "campaign": "2022年清理"}},
        {"type": "partially_invalid", "date": "2022-07-01", "payload": {"provisions": "第五条"}},
        {"type": "note", "text": "已报市政府常务会议"},
        {"type": "amended", "date": "2023-02-01", "payload": {"successor": successor}},
        {"type": "declared_invalid", "date": "2023-03-01", "legal_basis": "示政发〔2023〕9号"},
        {"type": "repealed", "date": "2023-04-01", "payload": {"successor": successor}},
    ]
    decisions = {"filing_reviewed", "cleared", "partially_invalid", "amended", "declared_invalid", "repealed"}
    for ev in events:
        if ev["type"] in decisions:  # decisions need a reviewer, as in the lifecycle routes
            r = client.post(f"/api/v1/documents/{doc_id}/events", json=ev, headers=h)
            assert r.status_code == 403 and r.json()["error"]["details"]["required_role"] == "reviewer"
        who = "reviewer" if ev["type"] in decisions else "clerk"
        r = client.post(f"/api/v1/documents/{doc_id}/events", json=ev, headers=bearer(tokens[who]))
        assert r.status_code == 201, (ev, r.text)
        assert r.json()["actor"] == f"{who}-zhang"
    body = client.get(f"/api/v1/documents/{doc_id}/events").json()
    assert body["total"] == len(events)
    assert [e["type"] for e in body["items"]] == [e["type"] for e in events]
    assert body["items"][7]["text"] == "已报市政府常务会议"
    assert client.get(f"/api/v1/documents/{doc_id}").json()["status"] == "repealed"
    changes = client.get("/api/v1/changes").json()["items"]
    assert changes[-1]["document_id"] == doc_id and changes[-1]["new_status"] == "repealed"


def test_invalid_events_are_422_and_not_stored(client: TestClient, tokens: dict[str, str]) -> None:
    doc_id = add_document(client)
    h = bearer(tokens["reviewer"])  # a reviewer may record decisions: these fail for their content
    for bad in ({"type": "note"}, {"type": "note", "text": "  "}, {"type": "amended"},
                {"type": "exploded"}, {"type": "repealed"}, {"type": "filed", "date": "2022-01-01"}):
        r = client.post(f"/api/v1/documents/{doc_id}/events", json=bad, headers=h)
        assert r.status_code == 422, bad
        assert set(r.json()["error"]) == {"code", "message", "details"}
    assert client.get(f"/api/v1/documents/{doc_id}/events").json()["total"] == 0
    r = client.post("/api/v1/documents/nope/events", json={"type": "note", "text": "x"}, headers=h)
    assert r.status_code == 404
    r = client.post(f"/api/v1/documents/{doc_id}/events", json={"type": "note", "text": "x"})
    assert r.status_code == 401


@pytest.mark.parametrize("event", [{"type": "expired", "date": "2024-01-01"},
                                   {"type": "status_asserted", "payload": {"status": "repealed"}},
                                   {"type": "revoked", "payload": {"event_id": 1}}])
def test_a_clerk_cannot_decide_a_status_alone(client: TestClient, tokens: dict[str, str],
                                               event: dict[str, object]) -> None:
    doc_id = add_document(client, title="示例市四眼原则测试办法", publication_date=date(2020, 1, 1))
    r = client.post(f"/api/v1/documents/{doc_id}/events", json=event, headers=bearer(tokens["clerk"]))
    assert r.status_code == 403 and r.json()["error"]["details"]["required_role"] == "reviewer"
    assert client.get(f"/api/v1/documents/{doc_id}/events").json()["total"] == 0
    assert client.get(f"/api/v1/documents/{doc_id}").json()["status"] != "repealed"
