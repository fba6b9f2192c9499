"""The public document page in Chinese shows no English codes (a catalog's ``amended``, a relation's
``stated``, evidence keys) and lists each related document once, on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient

from registry.facade import Registry
from registry.models import DocumentCreate, EventCreate, Relation

CODES = ("amended", "stated", "in_force", "repealed", "successor_id", "catalog", "line", "status_asserted")


def _visible(page: str) -> str:
    """The text a reader sees: no tags, attributes, scripts or styles."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _setup(reg: Registry) -> tuple[str, str]:
    old = reg.create_document(DocumentCreate(title="示例市道路运输管理办法", doc_number="示政发〔2018〕3号",
                                             publication_date=date(2018, 3, 1), effective_date=date(2018, 4, 1)),
                              actor="clerk-a")["id"]
    new = reg.create_document(DocumentCreate(title="示例市道路运输条例实施办法", doc_number="示政发〔2024〕5号",
                                             publication_date=date(2024, 5, 1), effective_date=date(2024, 6, 1)),
                              actor="clerk-a")["id"]
    reg.record_event(old, EventCreate(type="status_asserted", date=date(2024, 6, 1), payload={"status": "amended"},
                                      evidence={"catalog": "法规目录.jsonl", "line": 7}), actor="catalog:法规目录.jsonl")
    with reg.session() as s:  # the text states the amendment and the catalog confirms it: two rows, one relation
        s.add(Relation(source_id=new, target_id=old, kind="amends", state="stated", quote="对《示例市道路运输管理办法》作如下修改"))
        s.add(Relation(source_id=new, target_id=old, kind="amends", state="confirmed", quote="catalog line 7"))
        s.add(Relation(source_id=old, target_id=None, kind="based_on", state="stated", target_title="示例省道路运输条例"))
        s.commit()
    return old, new


def test_the_chinese_page_says_everything_in_chinese_and_each_relation_once(client: TestClient) -> None:
    old, new = _setup(client.app.state.registry)  # type: ignore[attr-defined]
    page = client.get(f"/documents/{old}")
    assert page.status_code == 200
    text = _visible(page.text)
    found = [c for c in CODES if re.search(rf"\b{c}\b", text)]
    assert found == [], f"English codes on the Chinese page: {found}"
    assert "记载的时效性：已修改" in text and "目录文件" in text and "目录导入（法规目录.jsonl）" in text
    # the stated basis is listed once, in the basis section, saying the registry does not hold it
    assert text.count("示例省道路运输条例") == 1 and "《示例省道路运输条例》 （本库未收录）" in text
    assert page.text.count(f'href="/documents/{new}"') == 1  # the amending document, listed once
    assert client.get(f"/api/v1/documents/{old}").json()["relations"].__len__() == 2
    english = _visible(client.get(f"/documents/{old}", params={"lang": "en"}).text)
    assert "Stated validity" in english and "amended" in english and "已修改" not in english


def test_the_amending_document_lists_what_it_amends_once(client: TestClient) -> None:
    old, new = _setup(client.app.state.registry)  # type: ignore[attr-defined]
    page = client.get(f"/documents/{new}")
    assert page.text.count(f'href="/documents/{old}"') == 1
    relations = client.get(f"/api/v1/documents/{new}").json()["relations"]
    assert [(r["kind"], r["state"]) for r in relations] == [("amends", "confirmed")]
