"""Clearing in the browser, through the real forms (multipart upload, CSRF tokens): a clerk imports a list,
the campaign page shows each row's match and candidates, a reviewer resolves, applies (within the
offices under them) and undoes with a reason; the published lists are a public page and an XLSX with
Chinese headers whose hostile cells are neutralised. Bad uploads are refused in words, nothing stored."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import quote

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from registry.facade import Registry
from registry.models import DocumentCreate
from registry.services.documents import create_document
from tests.support import staff

LIST = """序号,文件名称,文号,制定机关,清理结果,备注
1,示例市公共租赁住房管理办法,示政发[2023]4号,示例市人民政府,继续有效,
2,示例市城市地下管网管理暂行规定,,示例市人民政府,宣布失效,
3,示例市户外广告设置管理办法,示政发〔2017〕21号,示例市人民政府,修改,=HYPERLINK("http://x")
"""
NAME = "2025年规范性文件清理"


def _office_id(reg: Registry, name: str) -> int:
    return int(next(o["id"] for o in reg.list_offices() if o["name"] == name))


def _docs(reg: Registry, office: str = staff.JUSTICE[0]) -> dict[str, str]:
    staff.offices(reg)
    office_id = _office_id(reg, office)
    made = {}
    with reg.session() as s:
        for key, title, number in (
                ("housing", "示例市人民政府关于印发示例市公共租赁住房管理办法的通知", "示政发〔2023〕4号"),
                ("pipes", "示例市地下管线管理暂行规定", "示政发〔2018〕7号"),
                ("ads", "示例市人民政府关于印发示例市户外广告设置管理办法的通知", "示政发〔2017〕21号")):
            doc = create_document(s, data=DocumentCreate(
                title=title, doc_number=number, issuer="示例市人民政府", publication_date=date(2018, 6, 6),
                effective_date=date(2018, 7, 1)), today=date.today(), office_id=office_id)
            made[key] = doc.id
    return made


def _page_csrf(client: TestClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    return staff.form_csrf(page.text)


def _upload(client: TestClient, body: bytes, filename: str, name: str = NAME) -> object:
    csrf = _page_csrf(client, "/staff/clearing/new")
    return client.post("/staff/clearing/new", data={"csrf": csrf, "name": name, "decided_on": "2025-03-20"},
                       files={"file": (filename, io.BytesIO(body), "application/octet-stream")},
                       follow_redirects=False)


def test_clerk_imports_a_list_and_sees_matches_and_candidates(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    ids = _docs(reg)
    staff.user(reg, "clerk.cl", role="clerk")
    assert staff.sign_in(client, "clerk.cl").status_code == 303
    form = client.get("/staff/clearing/new")
    for label in ("清理活动名称", "清理结果清单", "导入"):
        assert label in form.text
    done = _upload(client, LIST.encode("utf-8"), "清理结果.csv")
    assert done.status_code == 303, done.text  # type: ignore[attr-defined]
    page = client.get(done.headers["location"])  # type: ignore[attr-defined]
    assert page.status_code == 200 and NAME in page.text
    rows = {r.row: r for r in reg.show_campaign(NAME).rows}
    assert rows[1].match and rows[1].match.id == ids["housing"] and rows[3].match and rows[3].match.id == ids["ads"]
    assert f'/documents/{ids["housing"]}' in page.text  # the match, linked by title
    assert rows[2].needs_review and any(c["id"] == ids["pipes"] for c in rows[2].candidates)
    assert "待审核人员核对" in page.text  # a clerk cannot decide
    assert 'action="/staff/clearing/' + quote(NAME, safe="") + '/apply' not in page.text
    assert client.get("/staff/clearing/" + quote(NAME, safe="") + "?lang=en").text.count("To review") >= 1
    forged = client.post(f"/staff/clearing/{quote(NAME, safe='')}/apply", data={"csrf": _page_csrf(client, "/staff/clearing")},
                         follow_redirects=False)
    assert forged.status_code == 403  # the clerk's role, even with a valid token
    assert reg.show_campaign(NAME).summary.applied == 0


def test_bad_uploads_are_refused_in_words_and_nothing_is_imported(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    _docs(reg)
    staff.user(reg, "clerk.bad", role="clerk")
    staff.sign_in(client, "clerk.bad")
    xls = _upload(client, b"\xd0\xcf\x11\xe0 legacy", "清单.xls")
    assert xls.status_code == 400 and ".xls" in xls.text and "另存为" in xls.text  # type: ignore[attr-defined]
    empty = _upload(client, b"", "清单.csv")
    assert empty.status_code == 400 and "空的" in empty.text  # type: ignore[attr-defined]
    columns = _upload(client, "名字,结论\n某办法,废止\n".encode(), "清单.csv")
    assert columns.status_code == 422 and "文件名称" in columns.text  # type: ignore[attr-defined]
    bad_row = _upload(client, (LIST + "4,示例市某办法,,示例市人民政府,大概有效\n").encode(), "清单.csv")
    assert bad_row.status_code == 422 and "大概有效" in bad_row.text and "第 4 行" in bad_row.text  # type: ignore[attr-defined]
    assert 'value="2025年规范性文件清理"' in bad_row.text  # the form keeps what was typed  # type: ignore[attr-defined]
    assert reg.list_campaigns() == []  # nothing half-imported
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "文件名称", "文号", "清理结果"])
    ws.append([1, "示例市地下管线管理暂行规定", "示政发〔2018〕7号", "废止"])
    buf = io.BytesIO()
    wb.save(buf)
    assert _upload(client, buf.getvalue(), "清单.xlsx").status_code == 303  # type: ignore[attr-defined]
    again = _upload(client, buf.getvalue(), "清单.xlsx")
    assert again.status_code == 409 and NAME in again.text  # type: ignore[attr-defined]
    assert len(reg.list_campaigns()) == 1


def test_reviewer_resolves_applies_undoes_and_publishes(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    ids = _docs(reg)
    staff.user(reg, "clerk.imp", role="clerk")
    staff.user(reg, "rev.city", role="reviewer", office=staff.CITY[0])
    staff.sign_in(client, "clerk.imp")
    assert _upload(client, LIST.encode(), "list.csv").status_code == 303  # type: ignore[attr-defined]
    assert client.get(f"/clearing/{quote(NAME, safe='')}").status_code == 404  # not public before it is applied
    client.cookies.clear()
    staff.sign_in(client, "rev.city")
    url = "/staff/clearing/" + quote(NAME, safe="")
    csrf = _page_csrf(client, url)
    assert client.post(f"{url}/rows/2", data={"csrf": csrf, "choice": ids["pipes"]},
                       follow_redirects=False).status_code == 303
    page = client.get(url)
    assert "应用" in page.text and "将 3 个已匹配行" in page.text
    applied = client.post(f"{url}/apply", data={"csrf": csrf}, follow_redirects=False)
    assert applied.status_code == 303
    assert "已应用 3 行" in client.get(applied.headers["location"]).text
    pipes = client.get("/api/v1/validity", params={"ref": ids["pipes"]}).json()
    assert pipes["status"] == "invalid" and any(e.get("campaign") == NAME for e in pipes["evidence"])
    ads = client.get("/api/v1/validity", params={"ref": ids["ads"]}).json()
    assert any(e.get("campaign") == NAME and e.get("result") == "修改" for e in ads["evidence"])

    assert client.post(f"{url}/rows/2/undo", data={"csrf": csrf, "reason": ""}, follow_redirects=False).status_code == 422
    undone = client.post(f"{url}/rows/2/undo", data={"csrf": csrf, "reason": "误将在用文件列入失效目录"},
                         follow_redirects=False)
    assert undone.status_code == 303
    assert client.get("/api/v1/validity", params={"ref": ids["pipes"]}).json()["status"] == "in_force"
    events = client.get(f"/api/v1/documents/{ids['pipes']}/events").json()
    assert any(e["type"] == "revoked" and e["text"] == "误将在用文件列入失效目录" and e["actor"] == "rev.city"
               for e in events["items"])

    public = client.get(f"/clearing/{quote(NAME, safe='')}")
    assert public.status_code == 200
    for label in ("继续有效目录", "修改目录", "废止目录", "失效目录", "文件名称", "制定机关"):
        assert label in public.text
    assert "（0 件）" in public.text  # the undone row left the 失效目录
    assert f'/documents/{ids["ads"]}' in public.text
    assert "Kept in force" in client.get(f"/clearing/{quote(NAME, safe='')}?lang=en").text
    xlsx = client.get(f"/clearing/{quote(NAME, safe='')}/lists.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxml")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["继续有效目录", "修改目录", "废止目录", "失效目录"]
    amend = wb["修改目录"]
    assert [c.value for c in amend[2]] == ["序号", "文件名称", "文号", "制定机关", "清理结果", "备注"]
    assert amend.cell(3, 6).value == "'=HYPERLINK(\"http://x\")"  # a formula in the list stays text
    assert amend.cell(3, 6).data_type == "s"
    csv_text = client.get(f"/clearing/{quote(NAME, safe='')}/lists.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text
    assert NAME in client.get("/clearing").text


def test_a_reviewer_of_another_office_gets_403_and_nothing_is_applied(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    ids = _docs(reg, office=staff.JUSTICE[0])
    staff.user(reg, "rev.transport", role="reviewer", office=staff.TRANSPORT[0])
    path_list = LIST.encode()
    staff.sign_in(client, "rev.transport")
    assert _upload(client, path_list, "list.csv").status_code == 303  # type: ignore[attr-defined]
    url = "/staff/clearing/" + quote(NAME, safe="")
    refused = client.post(f"{url}/apply", data={"csrf": _page_csrf(client, url)}, follow_redirects=False)
    assert refused.status_code == 403 and "不属于您所辖机关" in refused.text
    assert reg.show_campaign(NAME).summary.applied == 0
    assert client.get("/api/v1/validity", params={"ref": ids["housing"]}).json()["status"] == "in_force"
    assert not any(e["type"] == "cleared" for e in
                   client.get(f"/api/v1/documents/{ids['ads']}/events").json()["items"])


def test_forged_forms_are_refused(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    _docs(reg)
    staff.user(reg, "rev.forge", role="reviewer", office=staff.CITY[0])
    staff.sign_in(client, "rev.forge")
    assert _upload(client, LIST.encode(), "list.csv").status_code == 303  # type: ignore[attr-defined]
    url = "/staff/clearing/" + quote(NAME, safe="")
    for action, extra in (("apply", {}), ("rows/2", {"choice": "none"}), ("rows/1/undo", {"reason": "x"})):
        r = client.post(f"{url}/{action}", data={"csrf": "0" * 64, **extra}, follow_redirects=False)
        assert r.status_code == 403, action
    assert reg.show_campaign(NAME).summary.applied == 0
    assert client.get("/staff/clearing", follow_redirects=False).status_code == 200
    client.cookies.clear()
    assert client.get("/staff/clearing/new", follow_redirects=False).status_code == 401
