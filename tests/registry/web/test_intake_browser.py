"""The intake journey in Debian's chromium, by the names a clerk sees: 文件, 上传 (drag-and-drop script on,
progress per file), the review screen's 标题 … 有效期至 and 登记, then 统一登记号 and 发布; the plain form
with JavaScript off; axe-core on every intake page; screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from registry.http.app import create_app
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS
from tests.support import staff
from tests.support.axe import blocking, describe, run_axe
from tests.support.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = ("示例市司法局关于印发示例市行政执法公示办法的通知\n示司发〔2026〕3号\n\n"
        "第一条 为了规范行政执法公示，制定本办法。\n第二条 本办法自2026年4月1日起施行。\n\n"
        "示例市司法局\n2026年2月20日\n")
_ROOT = Path(__file__).resolve().parents[3]


def check_axe(page: Any) -> None:
    """No serious or critical axe-core violation on the page."""
    bad = blocking(run_axe(page))
    assert bad == [], describe(bad)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[str]:
    app = create_app(Settings(data_dir=tmp_path / "data", rate_limit_per_minute=0))  # type: ignore[call-arg]
    reg = app.state.registry
    reg.init()
    staff.user(reg, "clerk-sd", role="clerk", display_name="王晓")
    with serve(app) as url:
        yield url


def _context(browser: Any, width: int, **extra: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", **extra)
    context.set_default_timeout(60000)
    return context


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_clerk_uploads_reviews_registers_and_publishes(browser: Any, live: str, tmp_path: Path) -> None:
    good, broken = tmp_path / "执法公示办法.txt", tmp_path / "损坏.pdf"
    good.write_text(TEXT, encoding="utf-8")
    broken.write_bytes(b"%PDF-1.4 broken")
    context = _context(browser, 1280)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    staff.sign_in_page(page, live, "clerk-sd")
    page.goto(f"{live}/staff/intake")
    check_axe(page)
    _shot(page, "staff-intake-1280")
    page.get_by_label("文件", exact=True).set_input_files([str(good), str(broken)])
    page.get_by_role("button", name="上传", exact=True).click()
    review_link = page.get_by_role("link", name=re.compile("^核对："))
    review_link.wait_for()
    progress = page.locator("#intake-progress li")
    progress.nth(1).locator("text=/失败/").wait_for()
    assert progress.count() == 2 and page.locator("#intake-progress progress").first.get_attribute("value") == "100"
    _shot(page, "staff-intake-progress-1280")
    review_link.click()

    page.get_by_label("标题", exact=True).wait_for()
    check_axe(page)
    _shot(page, "staff-intake-review-1280")
    assert page.get_by_label("文号", exact=True).input_value() == "示司发〔2026〕3号"
    assert page.locator("#m-publication_date").inner_text() == "未找到"
    page.get_by_label("标题", exact=True).fill("示例市行政执法公示办法")
    page.get_by_label("发布日期", exact=True).fill("2026-02-30")
    page.get_by_role("button", name="登记", exact=True).click()
    assert "不是有效日期" in page.locator("#e-publication_date").inner_text()
    assert page.get_by_label("标题", exact=True).input_value() == "示例市行政执法公示办法"  # kept
    check_axe(page)
    _shot(page, "staff-intake-review-error-1280")
    page.get_by_label("发布日期", exact=True).fill("2026-02-25")
    page.get_by_role("button", name="登记", exact=True).click()

    page.get_by_role("button", name="发布", exact=True).wait_for()
    number = page.locator(".regno").inner_text()
    assert re.fullmatch(r"SLSD03-\d{4}-0001", number), number
    assert page.get_by_text("统一登记号", exact=True).is_visible()
    check_axe(page)
    _shot(page, "staff-intake-document-1280")
    doc_id = page.url.rsplit("/", 1)[-1]
    assert httpx.get(f"{live}/api/v1/documents/{doc_id}").status_code == 404  # unpublished
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_role("link", name="公开页面").wait_for()
    doc = httpx.get(f"{live}/api/v1/documents/{doc_id}").json()
    assert doc["title"] == "示例市行政执法公示办法" and doc["registration_number"] == number
    assert doc["doc_number"] == "示司发〔2026〕3号" and doc["publication_date"] == "2026-02-25"
    assert errors == []
    context.close()


def test_the_plain_form_works_without_javascript_and_at_390px(browser: Any, live: str, tmp_path: Path) -> None:
    good = tmp_path / "notice.txt"
    good.write_text(TEXT, encoding="utf-8")
    context = _context(browser, 390, java_script_enabled=False)
    page = context.new_page()
    staff.sign_in_page(page, live, "clerk-sd")
    page.goto(f"{live}/staff/intake")
    _shot(page, "staff-intake-390")
    page.get_by_label("文件", exact=True).set_input_files(str(good))
    page.get_by_role("button", name="上传", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/intake/\d+$"))
    assert page.get_by_label("施行日期", exact=True).input_value() == "2026-04-01"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the review screen scrolls sideways at 390 px ({width} px)"
    _shot(page, "staff-intake-review-390")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_role("button", name="发布", exact=True).wait_for()
    _shot(page, "staff-intake-document-390")
    context.close()
    js = _context(browser, 390)
    page = js.new_page()
    staff.sign_in_page(page, live, "clerk-sd")
    for path in ("/staff/intake",):
        page.goto(f"{live}{path}")
        check_axe(page)
    js.close()
