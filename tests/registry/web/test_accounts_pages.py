"""The account page, throttled sign-in, CSRF and ended sessions, through the real forms on both databases."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient

from registry.facade import Registry
from tests.support import staff


def _reg(client: TestClient) -> Registry:
    return client.app.state.registry  # type: ignore[attr-defined,no-any-return]


def _signed_in(client: TestClient, username: str = "li.ming", role: str = "clerk") -> str:
    staff.user(_reg(client), username, role=role, display_name="李明")
    assert staff.sign_in(client, username).status_code == 303
    page = client.get("/staff/account")
    assert page.status_code == 200
    return staff.form_csrf(page.text)


def test_the_account_page_is_chinese_first_and_every_control_is_labelled(client: TestClient) -> None:
    _signed_in(client)
    zh = client.get("/staff/account").text
    assert "修改密码" in zh and "当前浏览器" in zh and "两步验证" in zh and "API 令牌" in zh
    for control in re.findall(r"<(?:input|select)\b[^>]*>", zh):
        if 'type="hidden"' in control:
            continue
        ident = re.search(r'id="([^"]+)"', control)
        assert ident and f'for="{ident.group(1)}"' in zh, control
    en = client.get("/staff/account?lang=en").text
    assert "Change password" in en and "This browser" in en and "修改密码" not in en


def test_a_password_change_ends_the_other_browser_and_keeps_this_one(client: TestClient, settings: object) -> None:
    csrf = _signed_in(client)
    other = TestClient(client.app, raise_server_exceptions=False)
    assert staff.sign_in(other, "li.ming").status_code == 303
    assert other.get("/staff/account").status_code == 200
    r = client.post("/staff/account/password", data={"csrf": csrf, "current": staff.PASSWORD,
                                                     "new": "another-horse-43", "again": "another-horse-44"})
    assert r.status_code == 422 and "不一致" in r.text
    r = client.post("/staff/account/password", data={"csrf": csrf, "current": "wrong-password-0",
                                                     "new": "another-horse-43", "again": "another-horse-43"})
    assert r.status_code == 422 and "当前密码不正确" in r.text
    r = client.post("/staff/account/password", data={"csrf": csrf, "current": staff.PASSWORD,
                                                     "new": "another-horse-43", "again": "another-horse-43"})
    assert r.status_code == 200 and "其他 1 个登录已结束" in r.text
    assert other.get("/staff/account").status_code == 401
    assert client.get("/staff/account").status_code == 200


def test_ending_another_session_from_the_list(client: TestClient) -> None:
    csrf = _signed_in(client)
    other = TestClient(client.app, raise_server_exceptions=False)
    staff.sign_in(other, "li.ming")
    page = client.get("/staff/account").text
    sids = re.findall(r'name="sid" value="([0-9a-f]{64})"', page)
    assert len(sids) == 1  # this browser has no end button, the other one has
    r = client.post("/staff/account/sessions/end", data={"csrf": csrf, "sid": sids[0]})
    assert r.status_code == 200 and "该会话已结束" in r.text
    assert other.get("/staff/account").status_code == 401


def test_two_step_enrolment_shows_the_secret_and_needs_a_code(client: TestClient) -> None:
    csrf = _signed_in(client)
    r = client.post("/staff/account/totp/begin", data={"csrf": csrf})
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', r.text)
    assert r.status_code == 200 and secret and "otpauth://totp/" in r.text
    r = client.post("/staff/account/totp/confirm", data={"csrf": csrf, "secret": secret.group(1), "code": "12"})
    assert r.status_code == 422 and secret.group(1) in r.text  # the same secret again, to retype the code
    r = client.post("/staff/account/totp/confirm",
                    data={"csrf": csrf, "secret": secret.group(1), "code": pyotp.TOTP(secret.group(1)).now()})
    assert r.status_code == 200 and "两步验证已启用" in r.text
    fresh = TestClient(client.app, raise_server_exceptions=False)
    assert staff.sign_in(fresh, "li.ming").status_code == 401
    assert staff.sign_in(fresh, "li.ming", totp=pyotp.TOTP(secret.group(1)).now()).status_code == 303


def test_a_token_made_on_the_account_page_works_once_shown_and_never_as_a_cookie(client: TestClient) -> None:
    csrf = _signed_in(client)
    r = client.post("/staff/account/tokens", data={"csrf": csrf, "name": "nightly", "role": "admin"})
    assert r.status_code == 403  # not above the user's own role
    r = client.post("/staff/account/tokens", data={"csrf": csrf, "name": "nightly", "role": "clerk"})
    token = re.search(r"(nr_[A-Za-z0-9_-]{20,})", r.text)
    assert r.status_code == 201 and token and r.headers["cache-control"] == "no-store"
    assert token.group(1) not in client.get("/staff/account").text  # shown once
    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    created = client.post("/api/v1/documents", json={"title": "示例市司法局测试办法"}, headers=bearer)
    assert created.status_code == 201
    note = client.post(f"/api/v1/documents/{created.json()['id']}/events", json={"type": "note", "text": "t"},
                       headers=bearer)  # the document is the user's office's, so the user's token may edit it
    assert note.status_code == 201 and note.json()["actor"] == "li.ming"
    as_cookie = TestClient(client.app, raise_server_exceptions=False)
    as_cookie.cookies.set("normreg_staff", token.group(1))
    assert as_cookie.get("/staff/account").status_code == 401
    r = client.post("/staff/account/tokens/revoke", data={"csrf": csrf, "name": "li.ming/nightly"})
    assert r.status_code == 200 and "令牌已撤销" in r.text
    assert client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token.group(1)}"}).status_code == 401


def test_a_replayed_cookie_after_sign_out_gets_401_on_pages_and_posts(client: TestClient) -> None:
    csrf = _signed_in(client)
    cookie = client.cookies.get("normreg_staff")
    assert client.post("/staff/sign-out", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    replay = TestClient(client.app, raise_server_exceptions=False)
    replay.cookies.set("normreg_staff", cookie or "")
    assert replay.get("/staff", follow_redirects=False).headers["location"].startswith("/staff/sign-in")
    for path in ("/staff/account", "/staff/admin"):
        assert replay.get(path, headers={"accept": "text/html"}).status_code == 401, path
    for path in ("/staff/account/password", "/staff/account/tokens", "/staff/admin/users"):
        assert replay.post(path, data={"csrf": csrf}).status_code == 401, path


def test_forms_without_or_with_a_wrong_csrf_token_get_403(client: TestClient) -> None:
    csrf = _signed_in(client)
    for data in ({}, {"csrf": "0" * 64}):
        r = client.post("/staff/account/tokens", data={"name": "x", "role": "clerk", **data})
        assert r.status_code == 403, data
        r = client.post("/staff/sign-out", data=data, follow_redirects=False)
        assert r.status_code == 403
    fresh = TestClient(client.app, raise_server_exceptions=False)
    fresh.get("/staff/sign-in")
    for data in ({}, {"csrf": csrf}):  # another browser's token is wrong here too
        r = fresh.post("/staff/sign-in", data={"username": "li.ming", "password": staff.PASSWORD, **data},
                       follow_redirects=False)
        assert r.status_code == 403
    assert client.get("/staff/account").status_code == 200  # the 403s ended nothing


def test_a_locked_sign_in_says_when_to_retry_and_the_same_for_unknown_names(client: TestClient) -> None:
    staff.user(_reg(client), "li.ming", role="clerk")
    pages = []
    for username in ("li.ming", "no.such.user"):
        for _ in range(5):
            assert staff.sign_in(client, username, password="wrong-password-0").status_code == 401
        r = staff.sign_in(client, username)
        assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 900
        assert "分钟后" in r.text and "UTC" in r.text
        pages.append(re.sub(r"\d+|value=\"[^\"]*\"", "", r.text))
    assert pages[0] == pages[1]  # nothing on the page tells the two apart
