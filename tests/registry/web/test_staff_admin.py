"""``/staff/admin``: offices, users and sessions through the real forms, audited, on both databases."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import text

from registry.facade import Registry
from tests.support import staff


def _reg(client: TestClient) -> Registry:
    return client.app.state.registry  # type: ignore[attr-defined,no-any-return]


def _admin(client: TestClient) -> str:
    staff.user(_reg(client), "root", role="admin", office=staff.CITY[0], display_name="管理员")
    assert staff.sign_in(client, "root").status_code == 303
    page = client.get("/staff/admin")
    assert page.status_code == 200
    return staff.form_csrf(page.text)


def _audited(client: TestClient, action: str) -> list[tuple[str, str]]:
    with _reg(client).engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, target FROM audit_log WHERE action = :a"), {"a": action}).all()
    return [(r.actor, r.target) for r in rows]


def test_only_an_admin_sees_the_admin_page(client: TestClient) -> None:
    staff.user(_reg(client), "li.ming", role="clerk")
    staff.sign_in(client, "li.ming")
    assert client.get("/staff/admin", headers={"accept": "text/html"}).status_code == 403
    assert "/staff/admin" not in client.get("/staff").text  # and the navigation does not offer it


def test_an_admin_adds_an_office_with_its_pattern_and_a_bad_one_keeps_the_form(client: TestClient) -> None:
    csrf = _admin(client)
    bad = {"csrf": csrf, "name": "示例市审计局", "code": "SJ07", "parent": staff.CITY[0], "region": "",
           "pattern": "{region}{code}-{year}"}
    r = client.post("/staff/admin/offices", data=bad)
    assert r.status_code == 422 and "{seq}" in r.text and 'value="示例市审计局"' in r.text
    r = client.post("/staff/admin/offices", data={**bad, "pattern": "{region}SJ-{year}-{seq:03}"})
    assert r.status_code == 200 and "机关已添加" in r.text
    office = next(o for o in _reg(client).list_offices() if o["code"] == "SJ07")
    assert office["parent"] == staff.CITY[0] and office["region"] == "SL"
    assert office["number_pattern"] == "{region}SJ-{year}-{seq:03}"
    assert ("root", "示例市审计局") in _audited(client, "office.add")
    r = client.post("/staff/admin/offices", data={**bad, "pattern": ""})
    assert r.status_code == 409


def test_an_admin_adds_a_user_who_can_sign_in_and_changes_the_role(client: TestClient) -> None:
    csrf = _admin(client)
    form = {"csrf": csrf, "username": "wang.fang", "display_name": "王芳", "office": staff.TRANSPORT[0],
            "role": "clerk", "password": "short"}
    r = client.post("/staff/admin/users", data=form)
    assert r.status_code == 422 and "short" not in r.text.split("</nav>", 1)[1]  # the password is not echoed
    r = client.post("/staff/admin/users", data={**form, "password": "initial-pass-77"})
    assert r.status_code == 200 and "用户已添加" in r.text and "王芳" in r.text
    other = TestClient(client.app, raise_server_exceptions=False)
    assert staff.sign_in(other, "wang.fang", password="initial-pass-77").status_code == 303
    r = client.post("/staff/admin/users/update", data={"csrf": csrf, "username": "wang.fang", "role": "reviewer",
                                                      "office": staff.CITY[0]})
    assert r.status_code == 200 and "用户已更新" in r.text
    assert "审核人员" in other.get("/staff").text  # the open session has the new role at once
    assert [t for a, t in _audited(client, "user.update") if a == "root"] == ["wang.fang"]


def test_deactivating_a_user_stops_the_session_and_the_token_at_once(client: TestClient) -> None:
    csrf = _admin(client)
    staff.user(_reg(client), "li.ming", role="clerk")
    clerk = TestClient(client.app, raise_server_exceptions=False)
    staff.sign_in(clerk, "li.ming")
    page = clerk.get("/staff/account")
    made = clerk.post("/staff/account/tokens", data={"csrf": staff.form_csrf(page.text), "name": "ci",
                                                    "role": "clerk"})
    token = re.search(r"(nr_[A-Za-z0-9_-]{20,})", made.text)
    assert token
    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    assert client.post("/api/v1/documents", json={"title": "示例市甲办法"}, headers=bearer).status_code == 201
    r = client.post("/staff/admin/users/active", data={"csrf": csrf, "username": "li.ming"})
    assert r.status_code == 200 and "结束 1 个登录、撤销 1 个令牌" in r.text and "已停用" in r.text
    assert clerk.get("/staff/account").status_code == 401
    assert client.post("/api/v1/documents", json={"title": "示例市乙办法"}, headers=bearer).status_code == 401
    assert ("root", "li.ming") in _audited(client, "user.deactivate")
    r = client.post("/staff/admin/users/active", data={"csrf": csrf, "username": "root"})
    assert r.status_code == 403 and "不能停用自己" in r.text


def test_an_admin_ends_another_users_session(client: TestClient) -> None:
    csrf = _admin(client)
    staff.user(_reg(client), "li.ming", role="clerk")
    clerk = TestClient(client.app, raise_server_exceptions=False)
    staff.sign_in(clerk, "li.ming")
    page = client.get("/staff/admin?lang=en").text
    assert "Live sessions" in page and "li.ming" in page
    row = re.search(r"\(li\.ming\).*?name=\"sid\" value=\"([0-9a-f]{64})\"", page, re.S)
    assert row
    r = client.post("/staff/admin/sessions/revoke?lang=en", data={"csrf": csrf, "sid": row.group(1)})
    assert r.status_code == 200 and "The session has ended." in r.text
    assert clerk.get("/staff/account").status_code == 401
    assert client.get("/staff/admin").status_code == 200
    assert [t for a, t in _audited(client, "session.revoke")] == ["li.ming"]
