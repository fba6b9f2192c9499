"""The intake API: upload and read items, register (a machine token belongs to no office, so it is told
so), publish, and the public reads that 404 until then."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient

from tests.registry.api.conftest import bearer
from tests.support import staff

TEXT = "示例市司法局关于印发示例市行政执法公示办法的通知\n示司发〔2026〕3号\n\n第一条 为了规范行政执法公示，制定本办法。\n"


def test_upload_read_and_register_need_an_office(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/intake", headers=bearer(tokens["clerk"]),
                    files=[("files", ("a.txt", TEXT.encode(), "text/plain")), ("files", ("b.exe", b"MZ", "x/y"))])
    assert r.status_code == 200, r.text
    items = r.json()
    assert [i["state"] for i in items] == ["pending", "failed"]
    got = client.get(f"/api/v1/intake/{items[0]['id']}", headers=bearer(tokens["clerk"])).json()
    assert got["fields"]["doc_number"] == "示司发〔2026〕3号" and got["provenance"]["doc_number"] == "found"
    refused = client.post(f"/api/v1/intake/{items[0]['id']}/register", headers=bearer(tokens["clerk"]),
                          json={"title": "示例市行政执法公示办法"})
    assert refused.status_code == 422 and "office" in refused.json()["error"]["message"]
    bad = client.post(f"/api/v1/intake/{items[0]['id']}/register", headers=bearer(tokens["clerk"]),
                      json={"title": "", "effective_date": "2026-13-01"})
    assert bad.status_code == 422 and set(bad.json()["error"]["details"]["fields"]) == {"title", "effective_date"}
    assert client.post("/api/v1/intake", files=[("files", ("a.txt", b"x", "text/plain"))]).status_code == 401


def test_publish_makes_a_registered_document_public(client: TestClient, tokens: dict[str, str]) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    staff.user(reg, "clerk-sd", role="clerk")
    actor = reg.sign_in("clerk-sd", staff.PASSWORD)[0]
    [item] = reg.upload_intake([("a.txt", io.BytesIO(TEXT.encode()))], actor=actor)
    doc = reg.register_intake(item["id"], {"title": "示例市行政执法公示办法"}, actor=actor)
    assert client.get(f"/api/v1/documents/{doc['id']}").status_code == 404
    assert client.get("/api/v1/validity", params={"ref": doc["registration_number"]}).status_code == 404
    assert doc["id"] not in client.get("/api/v1/documents").text
    assert client.post(f"/api/v1/documents/{doc['id']}/publish").status_code == 401
    r = client.post(f"/api/v1/documents/{doc['id']}/publish", headers=bearer(tokens["clerk"]))
    assert r.status_code == 200, r.text
    assert client.get(f"/api/v1/documents/{doc['id']}").json()["registration_number"] == doc["registration_number"]
    assert client.get("/api/v1/validity", params={"ref": doc["registration_number"]}).json()["document"]["id"] == doc["id"]
