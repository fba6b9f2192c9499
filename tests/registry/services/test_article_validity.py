"""A partial invalidity records which articles lost effect, from when and why; article search leaves them
out when asked for articles in force, and says so on each hit otherwise (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from registry.facade import Registry
from registry.models import EventCreate
from search.model import SearchQuery
from tests.support.articles import REASON, VOID_FROM, partially_invalid_document

QUESTION = "共享单车运营企业投放车辆要申请配额吗？"


def _hits(reg: Registry, scope: str) -> list[tuple[str, str]]:
    body = reg.search_articles(SearchQuery(q=QUESTION, per_page=100, articles=scope))  # type: ignore[arg-type]
    return [(h["article"], h["article_status"]) for h in body["hits"]]


def test_partial_invalidity_records_the_named_articles_with_day_and_reason(registry: Registry, tmp_path: Path) -> None:
    doc_id = partially_invalid_document(registry, tmp_path / "in")
    rows = registry.article_validity(doc_id).items
    assert [(r.article, r.ordinal, r.void_from, r.reason) for r in rows] == [
        ("第三条", 3, VOID_FROM, REASON), ("第五条", 5, VOID_FROM, REASON)]  # 第5条 matched to the text's label
    assert registry.get_document(doc_id)["status"] == "partially_invalid"


def test_void_articles_are_left_out_of_in_force_searches_and_marked_otherwise(registry: Registry,
                                                                               tmp_path: Path) -> None:
    doc_id = partially_invalid_document(registry, tmp_path / "in")
    everything = _hits(registry, "all")
    assert ("第三条", "invalid") in everything and ("第五条", "invalid") in everything
    assert all(status == "in_force" for label, status in everything if label not in ("第三条", "第五条"))
    in_force = _hits(registry, "in_force")
    assert in_force and {"第三条", "第五条"}.isdisjoint(label for label, _ in in_force)
    hit = next(h for h in registry.search_articles(SearchQuery(q=QUESTION))["hits"] if h["article"] == "第三条")
    assert (hit["id"], hit["article_void_from"], hit["article_void_reason"]) == (doc_id, VOID_FROM.isoformat(), REASON)


def test_revoking_the_partial_invalidity_brings_the_articles_back(registry: Registry, tmp_path: Path) -> None:
    doc_id = partially_invalid_document(registry, tmp_path / "in")
    _, events = registry.list_events(doc_id)
    partial = next(e for e in events if e.type == "partially_invalid")
    registry.record_event(doc_id, EventCreate(type="revoked", payload={"undoes": partial.id}, text="录入错误"),
                          actor="reviewer")
    assert registry.article_validity(doc_id).items == []
    assert ("第三条", "in_force") in _hits(registry, "in_force")


def test_article_mode_over_http(client: TestClient, tmp_path: Path) -> None:
    doc_id = partially_invalid_document(client.app.state.registry, tmp_path / "in")  # type: ignore[attr-defined]
    body = client.get("/api/v1/search", params={"q": QUESTION, "unit": "article", "articles": "in_force",
                                                 "per_page": 100}).json()
    assert body["unit"] == "article" and body["facets"] == {}
    assert body["hits"] and all(h["article_status"] == "in_force" for h in body["hits"])
    assert {"id", "title", "status", "article", "heading", "snippet", "article_status"} <= set(body["hits"][0])
    refused = client.get("/api/v1/search", params={"q": QUESTION, "articles": "in_force"})
    assert refused.status_code == 422 and "unit=article" in refused.json()["error"]["message"]
    validity = client.get(f"/api/v1/documents/{doc_id}/articles/validity").json()
    assert [i["article"] for i in validity["items"]] == ["第三条", "第五条"]
    assert client.get("/api/v1/documents/nope/articles/validity").status_code == 404
