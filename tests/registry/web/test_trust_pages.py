"""Trust on the pages: schema.org Legislation JSON-LD that passes a shape check written from the schema.org
definition, the 审查建议 form end to end (form, staff inbox, reply page, mail to the citizen), 下载核验凭证
from the check page, and personal data never on a public page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from registry.http.app import create_app
from registry.models import Document, DocumentCreate, EventCreate, Relation
from tests.conftest import make_settings
from tests.support import staff

# --- the shape check, from https://schema.org/Legislation (and CreativeWork, Thing, LegalForceStatus) -------
# Properties we emit and the schema.org types each expects. Required here, as this registry states them: the
# context, the type, name, legislationDate and legislationLegalForce, and legislationIdentifier when the
# document has a 文号. Any property schema.org does not define on Legislation fails the check.
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LEGAL_FORCE = {"https://schema.org/InForce", "https://schema.org/NotInForce", "https://schema.org/PartiallyInForce"}
PROPERTIES: dict[str, tuple[str, ...]] = {
    "name": ("Text",), "url": ("URL",), "@id": ("URL",), "inLanguage": ("Text",),
    "legislationIdentifier": ("Text", "URL"), "identifier": ("PropertyValue", "Text", "URL"),
    "legislationDate": ("Date",), "datePublished": ("Date",), "expires": ("Date",),
    "legislationLegalForce": ("LegalForceStatus",), "legislationPassedBy": ("Organization", "Person"),
    "legislationType": ("Text", "CategoryCode"), "legislationChanges": ("Legislation",),
    "legislationConsolidates": ("Legislation",), "isBasedOn": ("CreativeWork", "URL"),
    "legislationJurisdiction": ("AdministrativeArea", "Text"),
}
SUBTYPES = {"Organization": {"Organization", "GovernmentOrganization"}, "CreativeWork": {"CreativeWork", "Legislation"},
            "Legislation": {"Legislation"}, "PropertyValue": {"PropertyValue"}}
REQUIRED = ("@context", "@type", "name", "legislationDate", "legislationLegalForce")


def _fits(value: Any, expected: tuple[str, ...]) -> bool:
    for kind in expected:
        if kind == "Text" and isinstance(value, str) and value.strip():
            return True
        if kind == "URL" and isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
            return True
        if kind == "Date" and isinstance(value, str) and DATE.match(value):
            return True
        if kind == "LegalForceStatus" and isinstance(value, dict) and value.get("@id") in LEGAL_FORCE:
            return True
        if isinstance(value, dict) and value.get("@type") in SUBTYPES.get(kind, {kind}):
            if kind in ("Legislation", "CreativeWork") and not _fits(value.get("name"), ("Text",)):
                return False
            return kind != "PropertyValue" or ("propertyID" in value and "value" in value)
    return False


def legislation_problems(data: Any) -> list[str]:
    """Everything wrong with ``data`` as a schema.org Legislation object (empty: it passes)."""
    if not isinstance(data, dict):
        return ["not a JSON object"]
    problems = [f"missing {key}" for key in REQUIRED if key not in data]
    if data.get("@context") not in ("https://schema.org", "http://schema.org", "https://schema.org/"):
        problems.append(f"@context is {data.get('@context')!r}")
    if data.get("@type") != "Legislation":
        problems.append(f"@type is {data.get('@type')!r}")
    for key, value in data.items():
        if key in ("@context", "@type"):
            continue
        if key not in PROPERTIES:
            problems.append(f"{key} is not a property of Legislation")
            continue
        for item in value if isinstance(value, list) else [value]:
            if not _fits(item, PROPERTIES[key]):
                problems.append(f"{key}: {item!r} is not one of {PROPERTIES[key]}")
    return problems


def _jsonld(html: str) -> list[Any]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(b) for b in blocks]


def test_the_shape_check_itself_catches_what_it_must() -> None:
    good = {"@context": "https://schema.org", "@type": "Legislation", "name": "办法", "legislationDate": "2020-01-01",
            "legislationLegalForce": {"@id": "https://schema.org/InForce"}}
    assert legislation_problems(good) == []
    assert legislation_problems({**good, "legislationLegalForce": "有效"})
    assert legislation_problems({**good, "legislationDate": "2020年1月1日"})
    assert legislation_problems({**good, "status": "in_force"})
    assert legislation_problems({k: v for k, v in good.items() if k != "name"})
    assert legislation_problems({**good, "legislationChanges": [{"@type": "Thing", "name": "x"}]})


# --- one small registry for the read-only page checks -------------------------------------------------------

HOSTILE = "示例办法</script><script>window.__pwned=1</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    app = create_app(make_settings(tmp_path_factory.mktemp("trust-pages"), rate_limit_per_minute=0))
    reg = app.state.registry
    reg.init()
    old = reg.create_document(DocumentCreate(title="示例市养犬管理暂行规定", doc_number="示政发〔2018〕4号",
                                             issuer="示例市人民政府", category="行政规范性文件",
                                             written_date=date(2018, 3, 20), publication_date=date(2018, 4, 1),
                                             effective_date=date(2018, 5, 1)))
    new = reg.create_document(DocumentCreate(title="示例市养犬管理规定", doc_number="示政发〔2024〕9号",
                                             issuer="示例市人民政府", category="行政规范性文件",
                                             publication_date=date(2024, 6, 1), effective_date=date(2024, 7, 1),
                                             expiry_date=date(2029, 6, 30)))
    hostile = reg.create_document(DocumentCreate(title=HOSTILE, publication_date=date(2024, 1, 1),
                                                 effective_date=date(2024, 1, 1)))
    with reg.session() as s:
        s.add(Relation(source_id=new["id"], target_id=old["id"], kind="repeals", state="confirmed"))
        s.commit()
    reg.record_event(old["id"], EventCreate(type="repealed", date=date(2024, 7, 1), payload={"successor": new["id"]}))
    with TestClient(app) as client:
        yield {"client": client, "old": old["id"], "new": new["id"], "hostile": hostile["id"]}
    reg.close()


def test_document_pages_carry_legislation_json_ld_that_passes_the_shape_check(site: dict[str, Any]) -> None:
    c = site["client"]
    [new] = _jsonld(c.get(f"/documents/{site['new']}").text)
    assert legislation_problems(new) == []
    assert new["name"] == "示例市养犬管理规定" and new["legislationIdentifier"] == "示政发〔2024〕9号"
    assert new["legislationLegalForce"] == {"@id": "https://schema.org/InForce"}
    assert new["expires"] == "2029-06-30"
    assert [x["legislationIdentifier"] for x in new["legislationChanges"]] == ["示政发〔2018〕4号"]
    [old] = _jsonld(c.get(f"/documents/{site['old']}").text)
    assert legislation_problems(old) == []
    assert old["legislationLegalForce"] == {"@id": "https://schema.org/NotInForce"}
    assert old["legislationDate"] == "2018-03-20"  # 成文日期: the date it was adopted


def test_a_title_cannot_break_out_of_the_json_ld(site: dict[str, Any]) -> None:
    html = site["client"].get(f"/documents/{site['hostile']}").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert block and "<" not in block.group(1)
    assert "<script>window.__pwned" not in html
    [data] = _jsonld(html)
    assert data["name"] == HOSTILE and legislation_problems(data) == []


def test_the_badge_image_shows_the_live_status_and_escapes_text(site: dict[str, Any]) -> None:
    c = site["client"]
    old = c.get(f"/badge/{site['old']}.svg")
    assert old.status_code == 200 and old.headers["content-type"].startswith("image/svg+xml")
    assert "已废止 → 见《示例市养犬管理规定》" in old.text
    assert "有效期至 2029-06-30" in c.get(f"/badge/{site['new']}.svg").text
    assert "in force" in c.get(f"/badge/{site['new']}.svg?lang=en").text
    hostile = c.get(f"/badge/{site['hostile']}.svg").text
    assert "<script" not in hostile and "&lt;/script&gt;" in hostile
    assert c.get("/badge/missing.svg").status_code == 404
    js = c.get("/badge.js")
    assert js.headers["cross-origin-resource-policy"] == "cross-origin" and len(js.content) <= 6 * 1024


def test_the_check_page_offers_a_statement_whose_printable_page_has_the_url_and_a_qr_code(site: dict[str, Any]) -> None:
    c = site["client"]
    check = c.get("/check", params={"ref": "示政发〔2018〕4号", "at": "2020-01-01"}).text
    assert "下载核验凭证" in check and 'action="/statements"' in check
    issued = c.post("/statements", data={"ref": site["old"], "at": "2020-01-01"}, follow_redirects=False)
    assert issued.status_code == 303
    page = c.get(issued.headers["location"]).text
    sid = issued.headers["location"].rsplit("/", 1)[1]
    assert f"/statements/{sid}" in page and "<svg" in page and "扫码核验" in page
    assert "仍是本库今天的答复" in page  # 2020-01-01: in force then, and still answered so
    stmt = c.get(f"/statements/{sid}.json")
    assert "attachment" in stmt.headers["content-disposition"] and json.loads(stmt.text)["status"] == "in_force"
    ok = c.post("/statements/verify", files={"file": ("s.json", stmt.content)}).text
    assert "真实：由本库签发" in ok
    altered = c.post("/statements/verify", data={"statement": stmt.text.replace("2020-01-01", "2020-01-02")}).text
    assert "不真实" in altered
    assert "不是 JSON" in c.post("/statements/verify", data={"statement": "{not json"}).text


# --- 审查建议 through the pages, staff included, with real SMTP ---------------------------------------------------

@pytest.mark.slow
def test_a_suggestion_through_the_pages_reaches_the_inbox_and_the_reply_the_citizen(tmp_path: Any, smtp: Any) -> None:
    app = create_app(make_settings(tmp_path, rate_limit_per_minute=0, smtp_url=smtp.url, suggestion_min_fill_seconds=0))
    reg = app.state.registry
    reg.init()
    clerk = staff.user(reg, "li.ming", role="clerk", display_name="李明")
    office_id = next(o["id"] for o in reg.list_offices() if o["name"] == staff.JUSTICE[0])
    doc = reg.create_document(DocumentCreate(title="示例市司法鉴定管理办法", doc_number="示司发〔2025〕1号",
                                             publication_date=date(2025, 3, 1)))
    with reg.session() as s:
        s.execute(update(Document).where(Document.id == doc["id"]).values(office_id=office_id))  # type: ignore[arg-type]
        s.commit()
    with TestClient(app) as citizen:
        form = citizen.get(f"/documents/{doc['id']}/suggest")
        token = re.search(r'name="token" value="([^"]+)"', form.text)
        assert form.status_code == 200 and token and 'name="website"' in form.text
        sent = citizen.post(f"/documents/{doc['id']}/suggest", data={
            "token": token.group(1), "name": "张三", "contact": "zhang.san@example.net", "website": "",
            "text": "第八条增设的许可没有法律依据，建议审查。"}, follow_redirects=False)
        assert sent.status_code == 303, sent.text
        receipt = citizen.get(sent.headers["location"]).text
        assert "编号第 1 号" in receipt and "zhang.san" not in receipt
        public = citizen.get(f"/documents/{doc['id']}").text
        assert "已收到 1 件，已答复 0 件" in public
        assert "zhang.san" not in public and "张三" not in public
        again = citizen.post(f"/documents/{doc['id']}/suggest", data={
            "token": token.group(1), "contact": "not-an-address", "text": "内容足够长的建议。"})
        assert again.status_code == 422 and "电子邮箱" in again.text and "内容足够长的建议。" in again.text

    with TestClient(app) as desk:
        assert staff.sign_in(desk, clerk).status_code == 303
        inbox = desk.get("/staff/inbox").text
        assert 'href="/staff/suggestions/1"' in inbox
        due = date.fromordinal(date.today().toordinal() + 15)
        assert f"{due.year}年{due.month}月{due.day}日" in inbox
        page = desk.get("/staff/suggestions/1")
        assert "zhang.san@example.net" in page.text and "第八条增设的许可" in page.text
        replied = desk.post("/staff/suggestions/1/reply", data={"csrf": staff.form_csrf(page.text),
                                                                "reply": "已转制定机关研究，第八条将予修改。"},
                            follow_redirects=False)
        assert replied.status_code == 303
        assert "答复邮件已于" in desk.get("/staff/suggestions/1").text
    [mail] = smtp.wait(1)
    assert mail["To"] == "zhang.san@example.net" and "已转制定机关研究" in mail.get_content()
    with TestClient(app) as citizen:
        assert "已收到 1 件，已答复 1 件" in citizen.get(f"/documents/{doc['id']}").text
    reg.close()
