"""The first HTTP endpoints on both databases: health, listing, one document, validity, one error shape."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from registry.models import DocumentCreate
from registry.services.documents import create_document


def _add(client: TestClient, **fields: object) -> str:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    with reg.session() as session:
        doc = create_document(session, data=DocumentCreate(**fields), today=date.today())  # type: ignore[arg-type]
    return doc.id


def test_healthz_reports_database_and_search(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True and body["database"] is True and body["documents"] == 0


def test_read_document_not_found_has_the_error_shape(client: TestClient) -> None:
    r = client.get("/api/v1/documents/nope")
    assert r.status_code == 404
    assert set(r.json()) == {"error"}
    assert r.json()["error"]["code"] == "not_found"


def test_list_documents_is_paged(client: TestClient) -> None:
    for i in range(5):
        _add(client, title=f"示例市测试文件{i}", publication_date=date(2020, 1, i + 1), effective_date=date(2020, 1, i + 1))
    r = client.get("/api/v1/documents", params={"per_page": 2, "page": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 5
    assert [i["title"] for i in body["items"]] == ["示例市测试文件2", "示例市测试文件1"]


def test_validity_by_doc_number_in_any_bracket_form(client: TestClient) -> None:
    doc_id = _add(client, title="示例市某某管理办法", doc_number="示政发〔2019〕8号",
                  publication_date=date(2019, 2, 1), effective_date=date(2019, 3, 1), expiry_date=date(2022, 2, 28))
    for ref in ("示政发〔2019〕8号", "示政发[2019]8号", "示政发（2019）8号", "示政发【2019】第8号", "示政发［２０１９］８号"):
        r = client.get("/api/v1/validity", params={"ref": ref, "at": "2020-06-01"})
        assert r.status_code == 200, r.text
        assert r.json()["document"]["id"] == doc_id
        assert r.json()["status"] == "in_force"
    r = client.get("/api/v1/validity", params={"ref": "示政发〔2019〕8号", "at": "2022-03-02"})
    assert r.json()["status"] == "invalid" and r.json()["label"] == "失效"
    assert "2022年2月28日" in r.json()["reason"]


def test_validity_with_a_bad_date_is_422_not_500(client: TestClient) -> None:
    r = client.get("/api/v1/validity", params={"ref": "x", "at": "2022-13-45"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"


def test_search_hits_carry_the_registry_rows(client: TestClient) -> None:
    shown = _add(client, title="示例市行政规范性文件备案审查办法", doc_number="示政发〔2021〕3号", issuer="示例市人民政府",
                 publication_date=date(2021, 4, 1), effective_date=date(2021, 5, 1),
                 body="第一条 为了规范备案审查工作，制定本办法。")
    _add(client, title="示例市档案管理规定", publication_date=date(2018, 1, 1), effective_date=date(2018, 1, 1),
         body="第一条 为了加强档案管理，制定本规定。")
    r = client.get("/api/v1/search", params={"q": "备案审查"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 1
    assert body["total_estimated"] is False and body["facets_estimated"] is False  # a small set: exact
    [hit] = body["hits"]
    assert (hit["id"], hit["title"], hit["doc_number"], hit["issuer"], hit["publication_date"], hit["status"]) == (
        shown, "示例市行政规范性文件备案审查办法", "示政发〔2021〕3号", "示例市人民政府", "2021-04-01", "in_force")
    assert "<mark>备案审查</mark>" in hit["snippet"]


def test_search_pages_stop_at_the_result_window_with_a_reason(client: TestClient) -> None:
    from search.model import MAX_RESULT_WINDOW

    _add(client, title="示例市行政规范性文件备案审查办法", publication_date=date(2021, 4, 1))
    edge = MAX_RESULT_WINDOW // 100
    assert client.get("/api/v1/search", params={"q": "备案", "page": edge, "per_page": 100}).status_code == 200
    r = client.get("/api/v1/search", params={"q": "备案", "page": edge + 1, "per_page": 100})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    assert r.json()["error"]["details"]["max_result_window"] == MAX_RESULT_WINDOW
