"""The intake pages without a browser: upload (one broken file among good ones), the review screen beside
the source, field errors that keep what was typed, registering, publishing, and 20 concurrent
registrations through a real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from registry.http.app import create_app
from registry.settings import Settings
from tests.support import staff
from tests.support.corpus import corpus_path
from tests.support.live_server import serve

TEXT = ("示例市司法局关于印发示例市行政执法公示办法的通知\n示司发〔2026〕3号\n\n"
        "第一条 为了规范行政执法公示，制定本办法。\n第二条 本办法自发布之日起施行，有效期5年。\n\n"
        "示例市司法局\n2026年2月20日\n")


@pytest.fixture
def clerk(client: TestClient) -> TestClient:
    staff.user(client.app.state.registry, "clerk-sd", role="clerk")  # type: ignore[attr-defined]
    assert staff.sign_in(client, "clerk-sd").status_code == 303
    return client


def _upload(c: TestClient, files: list[tuple[str, bytes, str]]) -> httpx.Response:
    page = c.get("/staff/intake")
    return c.post("/staff/intake", data={"csrf": staff.form_csrf(page.text)}, follow_redirects=False,
                  files=[("files", f) for f in files])


def _item_id(location: str) -> int:
    match = re.search(r"/staff/intake/(\d+)", location)
    assert match, location
    return int(match.group(1))


def test_intake_page_has_the_labelled_upload_form(clerk: TestClient) -> None:
    page = clerk.get("/staff/intake")
    assert page.status_code == 200
    assert re.search(r'<label for="intake-files">文件</label>', page.text)
    assert 'type="file" multiple' in page.text and ">上传</button>" in page.text
    assert "Upload" in clerk.get("/staff/intake?lang=en").text


def test_intake_needs_a_signed_in_clerk(client: TestClient) -> None:
    assert client.get("/staff/intake").status_code == 401
    assert client.post("/staff/intake", files=[("files", ("a.txt", b"x", "text/plain"))]).status_code in (401, 403)


def test_a_broken_file_gets_its_error_and_the_others_go_in(clerk: TestClient) -> None:
    r = _upload(clerk, [("broken.pdf", b"%PDF-1.4 not really", "application/pdf"),
                        ("good.txt", TEXT.encode(), "text/plain"), ("empty.txt", b"", "text/plain")])
    assert r.status_code == 303 and r.headers["location"] == "/staff/intake"
    page = clerk.get("/staff/intake").text
    assert page.count("无法读取：") == 2 and "示例市司法局关于印发示例市行政执法公示办法的通知" in page
    assert "the file is empty" in page


def test_review_marks_guesses_and_keeps_typed_values_on_error(clerk: TestClient) -> None:
    r = _upload(clerk, [("notice.txt", TEXT.encode(), "text/plain")])
    item = _item_id(r.headers["location"])
    page = clerk.get(f"/staff/intake/{item}").text
    for label in ("标题", "文号", "发文机关", "成文日期", "发布日期", "施行日期", "有效期至"):
        assert re.search(rf'<label for="f-\w+">{label}</label>', page), label
    assert "为了规范行政执法公示，制定本办法" in page  # the text beside the fields
    assert 'id="m-doc_number">已提取' in page
    assert 'id="m-publication_date">未找到' in page and 'id="m-effective_date">推测' in page
    assert "未找到" in page and "提示" in page
    form = {"csrf": staff.form_csrf(page), "title": "", "doc_number": "示司发〔2026〕3号", "issuer": "示例市司法局",
            "written_date": "2026-02-20", "publication_date": "2026-02-30", "effective_date": "", "expiry_date": ""}
    bad = clerk.post(f"/staff/intake/{item}/register", data=form, follow_redirects=False)
    assert bad.status_code == 422
    assert 'id="e-title"' in bad.text and 'id="e-publication_date"' in bad.text
    assert 'value="2026-02-30"' in bad.text and 'value="示例市司法局"' in bad.text  # nothing typed is lost
    form.update(title="示例市行政执法公示办法", publication_date="2026-02-25")
    ok = clerk.post(f"/staff/intake/{item}/register", data=form, follow_redirects=False)
    assert ok.status_code == 303, ok.text
    doc_url = ok.headers["location"]
    doc_id = doc_url.rsplit("/", 1)[-1]
    shown = clerk.get(doc_url).text
    assert "统一登记号" in shown and "SLSD03-" in shown and ">发布</button>" in shown
    assert clerk.get(f"/documents/{doc_id}").status_code == 404
    assert clerk.get(f"/api/v1/documents/{doc_id}").status_code == 404
    assert clerk.get("/api/v1/validity", params={"ref": "示司发〔2026〕3号"}).status_code == 404
    assert clerk.get("/check", params={"ref": "示司发〔2026〕3号"}).status_code in (200, 404)
    assert "示例市行政执法公示办法" not in clerk.get("/check", params={"ref": "示司发〔2026〕3号"}).text
    assert doc_id not in clerk.get("/api/v1/documents/export", params={"format": "csv"}).text
    published = clerk.post(f"{doc_url}/publish", data={"csrf": staff.form_csrf(shown)}, follow_redirects=True)
    assert "发布，公众可查询" in published.text or "已于" in published.text
    assert clerk.get(f"/api/v1/documents/{doc_id}").json()["title"] == "示例市行政执法公示办法"
    assert clerk.get("/api/v1/search", params={"q": "行政执法公示"}).json()["hits"][0]["id"] == doc_id


def test_a_pdf_is_shown_as_page_images_to_staff_only(clerk: TestClient) -> None:
    pdf = corpus_path("pdfs", "8e0272f841.pdf")
    r = _upload(clerk, [("list.pdf", pdf.read_bytes(), "application/pdf")])
    item = _item_id(r.headers["location"])
    page = clerk.get(f"/staff/intake/{item}").text
    assert f'src="/staff/intake/{item}/page/1.png"' in page and 'alt="原件第 1 页"' in page
    png = clerk.get(f"/staff/intake/{item}/page/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert clerk.get(f"/staff/intake/{item}/page/999.png").status_code == 404
    outsider = TestClient(clerk.app, raise_server_exceptions=False)
    assert outsider.get(f"/staff/intake/{item}/page/1.png").status_code == 401


def test_a_clerk_of_another_office_gets_403(clerk: TestClient) -> None:
    r = _upload(clerk, [("notice.txt", TEXT.encode(), "text/plain")])
    item = _item_id(r.headers["location"])
    reg = clerk.app.state.registry  # type: ignore[attr-defined]
    staff.user(reg, "clerk-jt", role="clerk", office=staff.TRANSPORT[0])
    other = TestClient(clerk.app, raise_server_exceptions=False)
    staff.sign_in(other, "clerk-jt")
    assert other.get(f"/staff/intake/{item}").status_code == 403
    assert "notice.txt" not in other.get("/staff/intake").text


@pytest.fixture
def live(settings: Settings) -> Iterator[tuple[str, object]]:
    app = create_app(settings)
    reg = app.state.registry
    reg.init()
    staff.user(reg, "clerk-sd", role="clerk")
    with serve(app) as url:
        yield url, reg


@pytest.mark.slow
def test_twenty_concurrent_registrations_through_the_server_get_twenty_consecutive_serials(
        live: tuple[str, object]) -> None:
    url, _reg = live
    with httpx.Client(base_url=url, timeout=120) as c:
        staff.sign_in(c, "clerk-sd")  # type: ignore[arg-type]
        page = c.get("/staff/intake")
        csrf = staff.form_csrf(page.text)
        files = [("files", (f"n{n}.txt", TEXT.replace("3号", f"{n + 10}号").encode(), "text/plain")) for n in range(20)]
        assert c.post("/staff/intake", data={"csrf": csrf}, files=files).status_code == 303
        ids = sorted({int(i) for i in re.findall(r'href="/staff/intake/(\d+)"', c.get("/staff/intake").text)})
        cookies = dict(c.cookies)
    assert len(ids) == 20
    barrier = threading.Barrier(20)

    def register(item: int) -> str:
        with httpx.Client(base_url=url, timeout=120, cookies=cookies) as client:
            barrier.wait()
            r = client.post(f"/staff/intake/{item}/register", data={"csrf": csrf, "title": f"并发登记办法{item}"},
                            follow_redirects=True)
            assert r.status_code == 200, r.text[:500]
            match = re.search(r'class="regno">([^<]+)<', r.text)
            assert match, r.text[:500]
            return match.group(1)

    with ThreadPoolExecutor(20) as pool:
        numbers = list(pool.map(register, ids))
    assert len(set(numbers)) == 20
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, 21)), numbers
    assert all(re.fullmatch(r"SLSD03-\d{4}-\d{4}", n) for n in numbers)


def test_an_amended_upload_is_offered_as_a_new_version_of_the_matched_document(clerk: TestClient) -> None:
    first = _item_id(_upload(clerk, [("v1.txt", TEXT.encode(), "text/plain")]).headers["location"])
    page = clerk.get(f"/staff/intake/{first}").text
    assert 'name="register_as"' not in page  # nothing to match yet
    done = clerk.post(f"/staff/intake/{first}/register", follow_redirects=False,
                      data={"csrf": staff.form_csrf(page), "title": "示例市行政执法公示办法", "doc_number": "示司发〔2026〕3号"})
    doc_id = done.headers["location"].rsplit("/", 1)[-1]
    amended = TEXT.replace("制定本办法。", "制定本办法（2026年修订）。")
    second = _item_id(_upload(clerk, [("v2.txt", amended.encode(), "text/plain")]).headers["location"])
    review = clerk.get(f"/staff/intake/{second}").text
    assert "与本机关已登记的《示例市行政执法公示办法》文号或标题相同" in review
    assert re.search(rf'value="version:{doc_id}" checked', review)
    values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', review))
    form = {k: values.get(k, "") for k in ("title", "doc_number", "issuer", "written_date", "publication_date",
                                           "effective_date", "expiry_date")}
    form.update(csrf=staff.form_csrf(review), title="示例市行政执法公示办法", register_as=f"version:{doc_id}")
    again = clerk.post(f"/staff/intake/{second}/register", data=form, follow_redirects=False)
    assert again.headers["location"].endswith(f"/staff/intake/documents/{doc_id}")
    shown = clerk.get(again.headers["location"]).text
    assert "第 1 版" in shown and "第 2 版" in shown
