"""``/api/v1/documents/{id}/basis`` and ``/api/v1/tasks``: shapes, roles and errors, on real laws."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.http.app import create_app
from registry.services.auth import create_token
from tests.conftest import make_settings
from tests.support.basis import AD_LAW_2021, PENALTY_2021, build_watched


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("basis_api")
    settings = make_settings(tmp, index_inline=False, rate_limit_per_minute=0)
    data = build_watched(tmp, settings)
    data["reg"].close()
    app = create_app(settings)
    with app.state.registry.session() as session:
        tokens = {role: create_token(session, name=f"{role}-basis", role=role)[1] for role in ("clerk", "reviewer")}
    with TestClient(app, raise_server_exceptions=False) as client:
        yield {**data, "client": client, "tokens": tokens}


def test_basis_lists_each_cited_law_with_articles_and_its_document(api: dict[str, Any]) -> None:
    r = api["client"].get(f"/api/v1/documents/{api['measures']}/basis")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(i["title"], i["document"]["id"], i["document"]["status"]) for i in items] == [
        ("中华人民共和国广告法", AD_LAW_2021, "repealed"), ("行政处罚法", PENALTY_2021, "in_force")]
    assert items[0]["articles"] == ["第十二条", "第十三条", "第十四条", "第十五条", "第二十条"]
    cited = api["client"].get(f"/api/v1/documents/{PENALTY_2021}/basis").json()["cited_by"]
    assert {d["id"] for d in cited} == {api["measures"], api["other"]}


def test_basis_of_an_unknown_document_is_a_json_404(api: dict[str, Any]) -> None:
    r = api["client"].get("/api/v1/documents/no-such-doc/basis")
    assert r.status_code == 404
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_tasks_need_staff_and_list_the_documents_task(api: dict[str, Any]) -> None:
    client = api["client"]
    assert client.get("/api/v1/tasks", params={"document": api["measures"]}).status_code == 401
    r = client.get("/api/v1/tasks", params={"document": api["measures"]}, headers=_auth(api["tokens"]["clerk"]))
    assert r.status_code == 200
    [task] = r.json()["items"]
    assert {k: task[k] for k in ("kind", "document_id", "basis_id", "state")} == {
        "kind": "basis_changed", "document_id": api["measures"], "basis_id": AD_LAW_2021, "state": "open"}
    assert task["due"] == "2026-12-26"
    other = client.get("/api/v1/tasks", params={"document": api["other"]}, headers=_auth(api["tokens"]["clerk"]))
    assert other.json()["items"] == []
    bad = client.get("/api/v1/tasks", params={"state": "'; DROP TABLE review_tasks; --"},
                     headers=_auth(api["tokens"]["clerk"]))
    assert bad.status_code == 422 and "SELECT" not in bad.text


def test_resolving_needs_a_reviewer_a_known_decision_and_an_open_task(api: dict[str, Any]) -> None:
    client, tokens = api["client"], api["tokens"]
    task = client.get("/api/v1/tasks", params={"document": api["measures"]}, headers=_auth(tokens["clerk"])).json()
    url = f"/api/v1/tasks/{task['items'][0]['id']}/resolution"
    assert client.post(url, json={"decision": "继续有效"}, headers=_auth(tokens["clerk"])).status_code == 403
    wrong = client.post(url, json={"decision": "保留"}, headers=_auth(tokens["reviewer"]))
    assert wrong.status_code == 422 and wrong.json()["error"]["details"]["allowed"][0] == "继续有效"
    done = client.post(url, json={"decision": "继续有效"}, headers=_auth(tokens["reviewer"]))
    assert done.status_code == 200
    assert (done.json()["state"], done.json()["decision"]) == ("resolved", "继续有效")
    events = client.get(f"/api/v1/documents/{api['measures']}/events").json()["items"]
    [event] = [e for e in events if e["id"] == done.json()["event_id"]]
    assert event["evidence"]["task"] == task["items"][0]["id"] and event["payload"]["result"] == "继续有效"
    again = client.post(url, json={"decision": "废止"}, headers=_auth(tokens["reviewer"]))
    assert again.status_code == 409
