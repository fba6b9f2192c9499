"""The reports as pages: the scorecard per office (by issuer where no office registered a document), its
chart drawn on the server with every text escaped, Chinese column names (English with ``?lang=en``),
every number a link to exactly the documents behind it, and CSV/XLSX beside each table."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from registry.facade import Registry
from registry.models import DocumentCreate
from registry.services.documents import create_document
from registry.services.filing import NORMATIVE
from tests.support import staff

EVIL = '<script>alert(1)</script>示例县某局'


def _data(reg: Registry) -> dict[str, str]:
    staff.offices(reg)
    offices = {o["name"]: o["id"] for o in reg.list_offices()}
    today = date.today()
    ids = {}
    with reg.session() as s:
        for key, title, office, issuer, days_ago in (
                ("a", "示例市司法局关于行政执法公示的办法", staff.JUSTICE[0], "示例市司法局", 200),
                ("b", "示例市司法局关于法律援助的若干规定", staff.JUSTICE[0], "示例市司法局", 120),
                ("c", "=HYPERLINK(\"http://x\",\"点我\")", staff.JUSTICE[0], "示例市司法局", 90),
                ("d", "示例市交通运输局关于网约车的实施细则", staff.TRANSPORT[0], "示例市交通运输局", 100),
                ("e", "示例县某局关于乡村道路的通知", None, EVIL, 150)):
            pub = today - timedelta(days=days_ago)
            doc = create_document(s, data=DocumentCreate(
                title=title, issuer=issuer, category=NORMATIVE, publication_date=pub, effective_date=pub),
                today=today, office_id=offices[office] if office else None)
            ids[key] = doc.id
    a_pub = today - timedelta(days=200)
    reg.record_filing(ids["a"], filed_on=a_pub + timedelta(days=10), filed_with="示例省人民政府", actor="t")
    reg.record_filing(ids["b"], filed_on=today - timedelta(days=60), filed_with="示例省人民政府", actor="t")  # late
    return ids


def _signed_in(client: TestClient) -> Registry:
    reg: Registry = client.app.state.registry  # type: ignore[attr-defined]
    staff.user(reg, "clerk.rp", role="clerk")
    assert staff.sign_in(client, "clerk.rp").status_code == 303
    return reg


def test_scorecard_per_office_with_chart_and_chinese_columns(client: TestClient) -> None:
    assert client.get("/staff/reports", follow_redirects=False).status_code == 401
    reg = _signed_in(client)
    _data(reg)
    page = client.get("/staff/reports")
    assert page.status_code == 200
    for label in ("报备率", "报备及时率", "解读率", "清理覆盖率", "逾期未报备", "逾期未解读", "规范性文件数"):
        assert f"<th scope=\"col\">{label}</th>" in page.text
    visible = re.sub(r"<[^>]+>", " ", page.text)
    assert "on_time_filing_rate" not in visible and "filing_due" not in visible  # no codes as names
    assert ">示例市司法局</th>" in page.text and ">示例市交通运输局</th>" in page.text  # grouped by office
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)" in page.text  # by issuer
    svg = page.text[page.text.index("<svg"):page.text.index("</svg>")]
    assert "示例市司法局" in svg and "<script" not in svg and 'viewBox="0 0 ' in svg
    card = {g["issuer"]: g for g in reg.scorecard_groups()}
    justice = card["示例市司法局"]
    assert (justice["documents"], justice["filing_due"], justice["filed"], justice["filed_on_time"],
            justice["filing_overdue"]) == (3, 3, 2, 1, 1)
    assert justice["filing_rate"] == round(2 / 3, 3) and justice["on_time_filing_rate"] == round(1 / 3, 3)
    assert ">67%</a>" in page.text and ">33%</a>" in page.text
    english = client.get("/staff/reports?lang=en")
    assert "Filing rate" in english.text and "On-time filing rate" in english.text and "报备率" not in english.text


def test_every_number_links_to_exactly_its_documents(client: TestClient) -> None:
    reg = _signed_in(client)
    ids = _data(reg)
    page = client.get("/staff/reports").text
    table = page[page.index('id="rp-scorecard"'):page.index("</table>")]
    links = re.findall(r'<td class="num"><a href="(/staff/reports/scorecard/[^"]+)">([^<]+)</a></td>', table)
    cells = re.findall(r'<td class="num">', table)
    assert links and len(links) == len(cells)  # every number is a link (rates without data show nothing)
    checked = 0
    for href, text in links:
        listing = client.get(href.replace("&amp;", "&"))
        assert listing.status_code == 200, href
        listed = re.findall(r'<li><a href="/documents/([0-9a-f]+)', listing.text)
        assert len(set(listed)) == len(listed)
        if text.endswith("%"):
            continue
        assert len(listed) == int(text), (href, text, listed)
        checked += 1
    assert checked >= 10
    justice = next(g for g in reg.scorecard_groups() if g["issuer"] == "示例市司法局")
    overdue = client.get(f"/staff/reports/scorecard/{justice['group']}/filing_overdue").text
    assert re.findall(r'<li><a href="/documents/([0-9a-f]+)', overdue) == [ids["c"]]
    assert client.get(f"/staff/reports/scorecard/{justice['group']}/nonsense").status_code == 404
    assert client.get("/staff/reports/scorecard/office-999/documents").status_code == 404


def test_downloads_beside_each_table_use_the_page_columns(client: TestClient) -> None:
    reg = _signed_in(client)
    _data(reg)
    page = client.get("/staff/reports").text
    for name in ("scorecard", "overdue-filings", "expiries", "missing-interpretations"):
        assert f'href="/staff/reports/{name}.csv"' in page and f'href="/staff/reports/{name}.xlsx"' in page
    text = client.get("/staff/reports/scorecard.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["机关", "规范性文件数", "应报备", "已报备", "报备率"]
    assert any(r[0] == "示例市司法局" and r[1] == "3" for r in rows[1:])
    overdue = client.get("/staff/reports/overdue-filings.csv").content.decode("utf-8-sig")
    assert overdue.splitlines()[0].startswith("文件名称,文号,制定机关,发布日期,期限")
    assert "'=HYPERLINK" in overdue and ",=HYPERLINK" not in overdue  # a formula-like title stays text
    assert "逾期未报备" in overdue and "missing" not in overdue
    wb = load_workbook(io.BytesIO(client.get("/staff/reports/overdue-filings.xlsx").content))
    ws = wb.active
    assert ws is not None
    assert [c.value for c in ws[1]][:3] == ["文件名称", "文号", "制定机关"]
    assert any(str(c.value).startswith("'=HYPERLINK") for row in ws.iter_rows(min_row=2) for c in row if c.value)
    en = client.get("/staff/reports/scorecard.csv?lang=en").content.decode("utf-8-sig")
    assert en.splitlines()[0].startswith("Office or issuer,Documents,")
    assert client.get("/staff/reports/scorecard.pdf").status_code == 422
