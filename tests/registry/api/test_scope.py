"""Scope in the API: every document write route refuses another office's staff (403) and lets the reviewer
of the office above through, recording the user's name as the actor. The routes are read off the OpenAPI description, so
a new write route without a case here fails instead of going untested."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from registry.facade import Registry
from registry.models import DocumentCreate
from tests.registry.api.conftest import bearer
from tests.support import staff

PREFIX = "/api/v1/documents/{document_id}"
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


def _bodies(interpretation_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        ("PATCH", PREFIX): {"title": "示例市司法局关于规范行政执法证件管理的通知（修订）"},
        ("POST", f"{PREFIX}/events"): {"type": "note", "text": "核对"},
        ("POST", f"{PREFIX}/filings"): {"filed_on": "2026-03-10", "filed_with": "示例市人民政府"},
        ("POST", f"{PREFIX}/legality-reviews"): {"reviewed_on": "2026-02-20", "reviewer": "示例市司法局"},
        ("POST", f"{PREFIX}/filing-reviews"): {"reviewed_on": "2026-04-01", "outcome": "通过"},
        ("POST", f"{PREFIX}/renewals"): {"new_expiry": "2031-02-28", "renewed_on": "2026-02-01"},
        ("POST", f"{PREFIX}/interpretations"): {"interpretation": interpretation_id},
        ("POST", f"{PREFIX}/versions"): {"text": "第一条 修订后的条文。", "in_force_from": "2026-06-01"},
        ("POST", f"{PREFIX}/publish"): {},  # publishing a published document changes nothing, but is scoped
    }


def _write_routes(client: TestClient) -> set[tuple[str, str]]:
    """Every write on one document the API publishes (read from its OpenAPI description)."""
    paths = client.get("/openapi.json").json()["paths"]
    return {(m.upper(), path) for path, ops in paths.items() if path.startswith(PREFIX)
            for m in ops if m.upper() in WRITES}


def _call(client: TestClient, method: str, path: str, doc_id: str, body: dict[str, Any], token: str) -> Any:
    headers = bearer(token)
    if method == "PATCH":
        headers["If-Match"] = client.get(f"/api/v1/documents/{doc_id}").headers["etag"]
    return client.request(method, path.replace("{document_id}", doc_id), json=body, headers=headers)


def _token(reg: Registry, username: str, role: str, office: str) -> str:
    staff.user(reg, username, role=role, office=office)
    actor, _ = reg.sign_in(username, staff.PASSWORD)
    return reg.create_own_token(actor, "api", role=role)[1]


def test_every_document_write_route_is_scoped_by_office(client: TestClient) -> None:
    reg: Registry = client.app.state.registry  # type: ignore[attr-defined]
    clerk = _token(reg, "li.ming", "clerk", staff.JUSTICE[0])
    outsiders = [_token(reg, "chen.jing", "clerk", staff.TRANSPORT[0]),
                 _token(reg, "sun.yu", "reviewer", staff.TRANSPORT[0])]  # a reviewer, but of a sibling bureau
    city = _token(reg, "zhao.lei", "reviewer", staff.CITY[0])
    li, _ = reg.sign_in("li.ming", staff.PASSWORD)
    doc_id = str(reg.create_document(DocumentCreate(
        title="示例市司法局关于规范行政执法证件管理的通知", issuer=staff.JUSTICE[0], publication_date=date(2026, 3, 1),
        effective_date=date(2026, 3, 1), expiry_date=date(2028, 2, 29)), actor=li)["id"])
    interp = str(reg.create_document(DocumentCreate(
        title="《示例市司法局关于规范行政执法证件管理的通知》政策解读", category="政策解读", issuer=staff.JUSTICE[0],
        publication_date=date(2026, 3, 2)), actor=li)["id"])
    bodies = _bodies(interp)
    assert _write_routes(client) == set(bodies), "a document write route has no scope case"

    before = client.get(f"/api/v1/documents/{doc_id}/events").json()["total"]
    for token in outsiders:
        for (method, path), body in bodies.items():
            r = _call(client, method, path, doc_id, body, token)
            assert r.status_code == 403, (method, path, r.text)
            assert r.json()["error"]["code"] == "forbidden"
    assert client.get(f"/api/v1/documents/{doc_id}/events").json()["total"] == before  # nothing was written

    for (method, path), body in bodies.items():  # the city's reviewer reaches the bureau's documents
        r = _call(client, method, path, doc_id, body, city)
        assert r.status_code in (200, 201), (method, path, r.text)
    events = client.get(f"/api/v1/documents/{doc_id}/events").json()["items"]
    assert {e["actor"] for e in events[before:]} == {"zhao.lei"}

    r = _call(client, "POST", f"{PREFIX}/events", doc_id, {"type": "note", "text": "本机关"}, clerk)
    assert r.status_code == 201 and r.json()["actor"] == "li.ming"


def test_a_browser_session_cookie_is_not_accepted_by_the_api(client: TestClient) -> None:
    reg: Registry = client.app.state.registry  # type: ignore[attr-defined]
    staff.user(reg, "li.ming", role="clerk")
    assert staff.sign_in(client, "li.ming").status_code == 303  # the client now holds the session cookie
    r = client.post("/api/v1/documents", json={"title": "示例市司法局测试办法"})
    assert r.status_code == 401
