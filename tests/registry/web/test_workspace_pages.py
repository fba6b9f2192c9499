"""The staff document list, the workspace and the inbox pages through the real forms (CSRF included),
on SQLite and PostgreSQL; checked afterwards through the API and the registry."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from registry.facade import Registry
from tests.support import staff
from tests.support.workspace import actor, office_doc


def _reg(client: TestClient) -> Registry:
    return client.app.state.registry  # type: ignore[attr-defined,no-any-return]


def _setup(client: TestClient) -> dict[str, Any]:
    reg = _reg(client)
    clerk = actor(reg, "li.ming", role="clerk")
    actor(reg, "zhao.lei", role="reviewer", office=staff.CITY[0])
    transport = actor(reg, "wang.jt", role="clerk", office=staff.TRANSPORT[0])
    today = reg.today()
    ours = office_doc(reg, clerk, "示例市司法行政规范性文件管理办法", published=today - timedelta(days=40),
                      doc_number="示司发〔2026〕1号")
    theirs = office_doc(reg, transport, "示例市出租汽车管理办法", published=today - timedelta(days=3))
    return {"ours": ours, "theirs": theirs, "today": today}


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"the form has a hidden {name}"
    return match.group(1)


def test_the_list_shows_titles_of_the_reach_only_and_filters(client: TestClient) -> None:
    docs = _setup(client)
    assert client.get("/staff/documents", follow_redirects=False).status_code == 401
    assert staff.sign_in(client, "li.ming").status_code == 303
    page = client.get("/staff/documents")
    assert page.status_code == 200
    assert "示例市司法行政规范性文件管理办法" in page.text and "示例市出租汽车管理办法" not in page.text
    assert f'href="/staff/documents/{docs["ours"]}"' in page.text
    assert client.get("/staff/documents", params={"q": "出租"}).text.count("/staff/documents/") == 0
    assert "示例市司法行政" in client.get("/staff/documents", params={"q": "示司发〔2026〕1"}).text
    assert "示例市司法行政" not in client.get("/staff/documents", params={"status": "repealed"}).text
    assert client.get("/staff/documents", params={"q": "%_"}).text.count('href="/staff/documents/') == 0
    assert client.get("/staff/documents", params={"status": "nonsense"}).status_code == 422
    english = client.get("/staff/documents", params={"lang": "en"})
    assert "Registration number" in english.text and "统一登记号" not in english.text


def test_a_clerk_of_another_office_gets_403_on_the_workspace_and_its_forms(client: TestClient) -> None:
    docs = _setup(client)
    staff.sign_in(client, "wang.jt")
    assert client.get(f"/staff/documents/{docs['ours']}").status_code == 403
    own = client.get(f"/staff/documents/{docs['theirs']}")
    assert own.status_code == 200
    posted = client.post(f"/staff/documents/{docs['ours']}/filing", data={
        "csrf": staff.form_csrf(own.text), "filed_on": docs["today"].isoformat(), "filed_with": "示例市人民政府"})
    assert posted.status_code == 403
    assert [e for e in client.get(f"/api/v1/documents/{docs['ours']}/events").json()["items"]
            if e["type"] == "filed"] == []


def test_filing_through_the_form_names_the_clerk(client: TestClient) -> None:
    docs = _setup(client)
    staff.sign_in(client, "li.ming")
    page = client.get(f"/staff/documents/{docs['ours']}")
    assert page.status_code == 200
    for label in ("统一登记号", "备案日期", "记录备案", "合法性审核", "延续有效期", "关联解读", "提交审核", "审计记录"):
        assert label in page.text, label
    assert "记录备案审查" not in page.text  # filing review is a reviewer's
    assert 'id="publish"' in page.text
    forged = client.post(f"/staff/documents/{docs['ours']}/filing", data={
        "csrf": "0" * 64, "filed_on": docs["today"].isoformat(), "filed_with": "示例市人民政府"})
    assert forged.status_code == 403
    bad = client.post(f"/staff/documents/{docs['ours']}/filing", data={
        "csrf": staff.form_csrf(page.text), "filed_on": "2026-13-01", "filed_with": "示例市人民政府"})
    assert bad.status_code == 422 and "未能保存" in bad.text
    done = client.post(f"/staff/documents/{docs['ours']}/filing", data={
        "csrf": staff.form_csrf(page.text), "filed_on": docs["today"].isoformat(), "filed_with": "示例市人民政府",
        "filing_number": "备2026-7"}, follow_redirects=False)
    assert done.status_code == 303 and "#filing" in done.headers["location"]
    filed = [e for e in client.get(f"/api/v1/documents/{docs['ours']}/events").json()["items"] if e["type"] == "filed"]
    assert len(filed) == 1 and filed[0]["actor"] == "li.ming" and filed[0]["payload"]["filing_number"] == "备2026-7"
    timeline = client.get(f"/staff/documents/{docs['ours']}").text
    assert "备案机关：示例市人民政府" in timeline and "li.ming名" in timeline
    audit = client.get(f"/staff/documents/{docs['ours']}/audit")
    assert audit.status_code == 200 and "记录事件" in audit.text and "event.append" not in audit.text


def test_a_stale_edit_keeps_what_was_typed_and_shows_the_other_change(client: TestClient) -> None:
    docs = _setup(client)
    staff.sign_in(client, "li.ming")
    page = client.get(f"/staff/documents/{docs['ours']}").text
    form = {"csrf": staff.form_csrf(page), "version": _hidden(page, "version")}
    form.update({k: _hidden(page, k) for k in re.findall(r'name="(orig_[a-z_]+)"', page)})
    form.update({k[5:]: v for k, v in form.items() if k.startswith("orig_")})
    # someone else saves first (another tab, another clerk)
    other = dict(form, title="示例市司法行政规范性文件管理规定")
    assert client.post(f"/staff/documents/{docs['ours']}/edit", data=other, follow_redirects=False).status_code == 303
    mine = dict(form, issuer="示例市司法局（法规科）")
    stale = client.post(f"/staff/documents/{docs['ours']}/edit", data=mine)
    assert stale.status_code == 409
    assert "修改了本文件" in stale.text
    assert 'value="示例市司法局（法规科）"' in stale.text  # nothing typed is lost
    assert "当前内容" in stale.text
    # the field left alone now shows the other person's title, so saving again cannot revert it
    assert 'id="f-title" name="title" value="示例市司法行政规范性文件管理规定"' in stale.text
    assert '<span>当前内容：</span>示例市司法行政规范性文件管理规定' in stale.text
    # save again what the re-shown form holds, as the browser would
    mine = {k: v for k, v in re.findall(r'name="([a-z_]+)" value="([^"]*)"', stale.text) if k in form}
    mine["csrf"] = staff.form_csrf(stale.text)
    assert client.post(f"/staff/documents/{docs['ours']}/edit", data=mine, follow_redirects=False).status_code == 303
    stored = client.get(f"/api/v1/documents/{docs['ours']}").json()
    assert stored["issuer"] == "示例市司法局（法规科）" and stored["title"] == "示例市司法行政规范性文件管理规定"
    timeline = client.get(f"/staff/documents/{docs['ours']}").text
    assert "修改项：发文机关" in timeline and "修改项：标题" in timeline and "issuer" not in timeline.split('id="timeline"')[1]


def test_propose_in_the_page_confirm_from_the_reviewers_inbox(client: TestClient) -> None:
    docs = _setup(client)
    staff.sign_in(client, "li.ming")
    page = client.get(f"/staff/documents/{docs['ours']}").text
    posted = client.post(f"/staff/documents/{docs['ours']}/proposals", data={
        "csrf": staff.form_csrf(page), "kind": "partially_invalid", "on": docs["today"].isoformat(),
        "provisions": "第三条，第五条", "legal_basis": "示政发〔2026〕9号"}, follow_redirects=False)
    assert posted.status_code == 303
    shown = client.get(f"/staff/documents/{docs['ours']}").text
    assert "待审核" in shown and "第三条、第五条" in shown and "撤回" in shown
    client.post("/staff/sign-out", data={"csrf": staff.form_csrf(shown)})
    staff.sign_in(client, "zhao.lei")
    inbox = client.get("/staff/inbox")
    assert inbox.status_code == 200 and "待确认的提议" in inbox.text
    assert f'/staff/documents/{docs["ours"]}#proposal-' in inbox.text
    count = re.search(r'待办 <span class="count">(\d+)</span>', inbox.text)
    assert count and int(count.group(1)) >= 1
    workspace = client.get(f"/staff/documents/{docs['ours']}").text
    pid = re.search(r'id="proposal-(\d+)"', workspace)
    assert pid and "确认" in workspace and "记录备案审查" in workspace
    confirmed = client.post(f"/staff/documents/{docs['ours']}/proposals/{pid.group(1)}/confirm",
                            data={"csrf": staff.form_csrf(workspace)}, follow_redirects=False)
    assert confirmed.status_code == 303
    check = client.get("/api/v1/validity", params={"ref": docs["ours"]}).json()
    assert check["status"] == "partially_invalid"
    event = next(e for e in client.get(f"/api/v1/documents/{docs['ours']}/events").json()["items"]
             if e["type"] == "partially_invalid")
    assert event["actor"] == "zhao.lei" and event["payload"]["proposed_by"] == "li.ming"
    after = client.get(f"/staff/documents/{docs['ours']}").text
    assert "提出人：li.ming名" in after and "确认人：zhao.lei名" in after and "已确认" in after


def test_the_inbox_lists_the_filing_due_with_its_action(client: TestClient) -> None:
    docs = _setup(client)
    staff.sign_in(client, "li.ming")
    inbox = client.get("/staff/inbox")
    assert inbox.status_code == 200
    assert "示例市司法行政规范性文件管理办法" in inbox.text and "已逾期 10 天" in inbox.text
    assert f'href="/staff/documents/{docs["ours"]}#filing"' in inbox.text
    assert "示例市出租汽车管理办法" not in inbox.text
    english = client.get("/staff/inbox", params={"lang": "en"}).text
    assert "10 days overdue" in english and "已逾期" not in english
    # the count is on every staff page, not only the inbox
    listing = client.get("/staff/documents").text
    assert re.search(r'待办 <span class="count">\d+</span>', listing)
