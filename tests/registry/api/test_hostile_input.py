"""Hostile or odd input gets a clear error or is carried safely: never a 500, never a live link or a
broken export (issue 18, the low findings)."""

from __future__ import annotations

import http.client
import io
from datetime import date
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from registry.http.app import create_app
from registry.models import DocumentCreate, EventCreate
from registry.settings import Settings
from tests.registry.api.conftest import bearer
from tests.support.live_server import serve


@pytest.mark.parametrize("doc_id", ["../x", "a\r\nb", ".hidden", "a/b"])
def test_a_document_id_outside_the_pattern_is_refused(client: TestClient, tokens: dict[str, str],
                                                      doc_id: str) -> None:
    r = client.post("/api/v1/documents", json={"id": doc_id, "title": "示例市测试办法"},
                    headers=bearer(tokens["clerk"]))
    assert r.status_code == 422, r.text
    assert client.get("/api/v1/documents").json()["total"] == 0


@pytest.mark.parametrize("title", ["示例市\x00档案管理办法", "示例市\x0b档案管理办法"])
def test_a_control_character_in_a_title_is_refused_on_both_databases(client: TestClient, tokens: dict[str, str],
                                                                      title: str) -> None:
    r = client.post("/api/v1/documents", json={"title": title}, headers=bearer(tokens["clerk"]))
    assert r.status_code == 422 and "control character" in r.text


def test_exports_and_the_feed_survive_control_characters_already_stored(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    # Stored before input was checked (or extracted from a damaged file): the outputs must cope.
    doc = _document_with_odd_title(reg)
    reg.record_event(doc, EventCreate(type="repealed", date=date(2025, 1, 1)), actor="rev")
    r = client.get("/api/v1/documents/export", params={"format": "xlsx"})
    assert r.status_code == 200, r.text
    ws = load_workbook(io.BytesIO(r.content)).active
    titles = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert "示例市档案管理办法" in titles
    feed = client.get("/feeds/changes.atom")
    assert feed.status_code == 200
    entries = ET.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert any("示例市档案管理办法" in (e.findtext("{http://www.w3.org/2005/Atom}title") or "") for e in entries)


def _document_with_odd_title(reg: object) -> str:
    from registry.services.documents import create_document

    with reg.session() as s:  # type: ignore[attr-defined]
        data = DocumentCreate.model_construct(title="示例市\x0b档案管理办法", text="第一条 档案。", co_issuers=[],
                                              publication_date=date(2020, 1, 1))
        return create_document(s, data=data, today=date(2026, 1, 1)).id


def test_a_protocol_relative_path_is_never_echoed_as_a_link(settings: Settings) -> None:
    app = create_app(settings)
    app.state.registry.init()
    with serve(app) as url:  # raw HTTP: a client library would read //evil.example as a host
        conn = http.client.HTTPConnection(url.removeprefix("http://"))
        conn.request("GET", "//evil.example/x", headers={"Accept": "text/html"})
        resp = conn.getresponse()
        body = resp.read().decode()
        conn.close()
    assert resp.status == 404
    assert 'href="//' not in body
