"""Pages without a browser, on both databases: headers, escaping, the banner sentence, staff sign-in."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from registry.web.render import banner, snippet_html
from tests.registry.api.conftest import add_document
from tests.support import staff

EVIL = '<img src=x onerror="window.__pwned=1">'


@pytest.mark.parametrize(("raw", "html"), [
    ("国务院<mark>关于</mark>", "国务院<mark>关于</mark>"),
    ("&lt;img src=x onerror=1&gt; <mark>国务院</mark>", "&lt;img src=x onerror=1&gt; <mark>国务院</mark>"),
    ("<img src=x onerror=1><mark>a", "&lt;img src=x onerror=1&gt;<mark>a</mark>"),
    ("</mark>b<mark><mark>c</mark></mark>", "b<mark>c</mark>"),
    ("<mark onclick=x>d</mark>", "&lt;mark onclick=x&gt;d"),
    ("&amp;lt;script&amp;gt;", "&amp;lt;script&amp;gt;"),
])
def test_snippets_keep_only_mark_elements(raw: str, html: str) -> None:
    assert str(snippet_html(raw)) == html


def _answer(status: str, **extra: object) -> dict[str, object]:
    return {"status": status, "reason": "理由。", "reason_en": "Reason.", "evidence": [], "successor": None, **extra}


def test_banner_is_one_sentence_per_status() -> None:
    assert banner(_answer("in_force", evidence=[{"type": "effective_date", "effective_date": "2019-03-01"}]),
                  "zh") == "现行有效（自2019年3月1日起施行）。"
    assert banner(_answer("invalid", evidence=[{"type": "validity_period", "expiry_date": "2022-02-28"}]),
                  "zh") == "已于2022年3月1日失效（有效期至2022年2月28日届满）。"
    assert banner(_answer("repealed", evidence=[{"type": "repealed", "date": "2023-04-01"}],
                          successor={"id": "n", "title": "示例市某某办法"}), "zh") == "已被《示例市某某办法》废止（2023年4月1日）。"
    assert banner(_answer("not_yet_effective", reason="尚未生效，将于2030年1月1日起施行。"), "zh") == \
        "尚未生效，将于2030年1月1日起施行。"
    assert banner(_answer("repealed"), "en") == "Reason."


def test_pages_carry_security_headers_and_escape_titles(client: TestClient) -> None:
    doc_id = add_document(client, title=EVIL, doc_number="示政发〔2020〕1号", publication_date=date(2020, 1, 1),
                          effective_date=date(2020, 1, 1), text=f"第一条 {EVIL}")
    for url in ("/", f"/?q={EVIL}", f"/documents/{doc_id}", "/check?ref=示政发[2020]1号", "/staff", "/widget-demo"):
        r = client.get(url)
        assert r.status_code == 200, url
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "SAMEORIGIN"
        assert "<img src=x" not in r.text and "<script>" not in r.text.replace('<script src="/widget.js" defer>', "")
    page = client.get(f"/documents/{doc_id}?lang=en")
    assert 'lang="en"' in page.text and "In force (since 2020-01-01)." in page.text
    assert 'id="第一条"' in page.text or "第一条" in page.text


def test_errors_render_as_pages_for_browsers_and_json_for_programs(client: TestClient) -> None:
    r = client.get("/documents/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    r = client.get("/documents/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.get("/api/v1/documents/nope", headers={"accept": "text/html"})
    assert r.json()["error"]["code"] == "not_found"


def test_source_file_download_is_an_attachment_that_cannot_run(client: TestClient, tokens: dict[str, str]) -> None:
    html = f"<html><head><title>示例市关于测试的通知</title></head><body><h1>示例市关于测试的通知</h1><p>第一条 测试。</p>{EVIL}<script>alert(1)</script></body></html>"
    r = client.post("/api/v1/files", files={"file": ("notice.html", html.encode())},
                    headers={"Authorization": f"Bearer {tokens['clerk']}"})
    doc_id = r.json()["documents"][0]["id"]
    r = client.get(f"/documents/{doc_id}/file")
    assert r.status_code == 200 and r.content == html.encode()
    assert r.headers["content-disposition"].startswith("attachment")
    # the title names the file (RFC 6266 filename*), an ASCII name for clients that cannot read it
    assert f"filename*=UTF-8''{quote('示例市关于测试的通知.html')}" in r.headers["content-disposition"]
    assert 'filename="document.html"' in r.headers["content-disposition"]
    assert not r.headers["content-type"].startswith("text/")
    assert r.headers["content-security-policy"].startswith("sandbox")
    assert client.get("/documents/nope/file").status_code == 404


def test_staff_sign_in_and_out(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    staff.user(reg, "zhang.wei", role="reviewer", display_name="张伟")
    r = staff.sign_in(client, "zhang.wei", "wrong-password-1")
    assert r.status_code == 401 and "用户名或密码不正确" in r.text
    r = staff.sign_in(client, "zhang.wei")
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "张伟" in client.get("/staff").text
    home = client.get("/staff")
    client.post("/staff/sign-out", data={"csrf": staff.form_csrf(home.text)})
    client.cookies.clear()
    assert "张伟" not in client.get("/staff").text
