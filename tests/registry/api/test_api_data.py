"""Uploads, the change feed and exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from registry.models import Document, Event, SourceFile
from tests.registry.api.conftest import ClientFactory, add_document, bearer

TEXT = "示例市人民政府关于上传测试的通知\n示政发〔2024〕7号\n第一条 为测试上传，制定本通知。\n".encode()


def test_upload_ingests_the_file_and_records_the_uploader(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/files", files={"file": ("通知.txt", TEXT, "text/plain")}, headers=bearer(tokens["clerk"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["added"] == 1 and body["failed"] == []
    doc_id = body["documents"][0]["id"]
    with client.app.state.registry.session() as session:  # type: ignore[attr-defined]
        assert session.get(Document, doc_id) is not None
        assert session.exec(select(SourceFile).where(SourceFile.document_id == doc_id)).one().format
        note = session.exec(select(Event).where(Event.document_id == doc_id)).one()
        assert note.actor == "clerk-zhang" and "通知.txt" in (note.text or "")
    again = client.post("/api/v1/files", files={"file": ("通知.txt", TEXT)}, headers=bearer(tokens["clerk"]))
    assert again.json()["unchanged"] == 1
    assert client.get(f"/documents/{doc_id}/file").content == TEXT


def test_upload_names_cannot_escape_the_upload_folder(client: TestClient, tokens: dict[str, str]) -> None:
    data_dir = client.app.state.registry.settings.data_dir  # type: ignore[attr-defined]
    for name in ("../../../escaped.txt", "..\\..\\escaped.txt", "/tmp/escaped.txt", "a/../../escaped.txt"):
        r = client.post("/api/v1/files", files={"file": (name, TEXT)}, headers=bearer(tokens["clerk"]))
        assert r.status_code == 200, (name, r.text)
        assert all(d["path"] == "escaped.txt" for d in r.json()["documents"])
    assert not (data_dir.parent / "escaped.txt").exists() and not (data_dir / "escaped.txt").exists()
    r = client.post("/api/v1/files", files={"file": ("evil.exe", b"MZ")}, headers=bearer(tokens["clerk"]))
    assert r.status_code == 422


def test_upload_refusals(client_with: ClientFactory) -> None:
    with client_with(max_upload_bytes=1000) as c:
        with c.app.state.registry.session() as session:  # type: ignore[attr-defined]
            from registry.services.auth import create_token

            _, tok = create_token(session, name="clerk-a", role="clerk")
        assert c.post("/api/v1/files", files={"file": ("a.txt", TEXT)}).status_code == 401
        r = c.post("/api/v1/files", files={"file": ("big.txt", "测".encode() * 400)}, headers=bearer(tok))
        assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
        r = c.post("/api/v1/files", files={"file": ("big.txt", "测".encode() * 40000)}, headers=bearer(tok))
        assert r.status_code == 413
        assert c.post("/api/v1/files", headers=bearer(tok)).status_code == 422
        with c.app.state.registry.session() as session:  # type: ignore[attr-defined]
            assert session.exec(select(Document)).first() is None


def test_changes_are_paged_and_filtered_by_since(client: TestClient) -> None:
    first = add_document(client, title="示例一", publication_date="2020-01-01", effective_date="2020-01-01")
    mark = datetime.now(UTC).isoformat()
    second = add_document(client, title="示例二", publication_date="2020-01-01", effective_date="2020-01-01")
    body = client.get("/api/v1/changes").json()
    assert body["total"] == 2 and [c["document_id"] for c in body["items"]] == [first, second]
    body = client.get("/api/v1/changes", params={"since": mark}).json()
    assert [c["document_id"] for c in body["items"]] == [second]
    assert client.get("/api/v1/changes", params={"per_page": 1, "page": 2}).json()["items"][0]["document_id"] == second
    assert client.get("/api/v1/changes", params={"since": "yesterday"}).status_code == 422


def test_atom_feed_escapes_titles(client: TestClient) -> None:
    add_document(client, title='<img src=x onerror="window.__pwned=1">', publication_date="2020-01-01",
                 effective_date="2020-01-01")
    r = client.get("/feeds/changes.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert "<img" not in r.text and "&lt;img src=x" in r.text


def test_exports_in_three_formats_neutralise_formulas(client: TestClient) -> None:
    add_document(client, title="=HYPERLINK(\"http://evil\")", issuer="示例市", publication_date="2021-05-01",
                 effective_date="2021-05-01")
    add_document(client, title="示例市已失效文件", issuer="示例市", publication_date="2015-01-01",
                 effective_date="2015-01-01", expiry_date="2016-01-01")
    r = client.get("/api/v1/documents/export", params={"format": "csv", "status": "in_force"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["'=HYPERLINK(\"http://evil\")"]
    r = client.get("/api/v1/documents/export", params={"format": "json"})
    assert {i["title"] for i in json.loads(r.content)["items"]} == {"=HYPERLINK(\"http://evil\")", "示例市已失效文件"}
    r = client.get("/api/v1/documents/export", params={"format": "xlsx", "status": "invalid"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][1] == "title" and values[1][1] == "示例市已失效文件" and len(values) == 2
    r = client.get("/api/v1/documents/export", params={"format": "json", "status": ["invalid", "in_force"]})
    assert json.loads(r.content)["total"] == 2
    r = client.get("/api/v1/documents/export", params={"format": "json", "q": "已失效"})
    assert [i["title"] for i in json.loads(r.content)["items"]] == ["示例市已失效文件"]
    assert client.get("/api/v1/documents/export", params={"format": "pdf"}).status_code == 422
    assert client.get("/api/v1/documents/export", params={"status": "alive"}).status_code == 422
