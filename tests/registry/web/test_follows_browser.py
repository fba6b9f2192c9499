"""Following in Debian's chromium, by the names a citizen sees: 关注此文件 on a document page, the follow
page's 电子邮件地址 / 每日汇总 / 订阅, the mailed link's 确认订阅 button (over a real SMTP server), and
关注此检索 from the search page; axe-core on each follow page; screenshots in test-artifacts/web/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest

from registry.http.app import create_app
from registry.models import DocumentCreate
from tests.registry.web.conftest import ARTIFACTS
from tests.support.axe import assert_accessible
from tests.support.live_server import serve
from tests.support.smtp import Mailbox, smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Mailbox, str]]:
    with smtp_server() as box:
        data = tmp_path_factory.mktemp("follows_web") / "data"
        from registry.settings import Settings

        app = create_app(Settings(data_dir=data, rate_limit_per_minute=0, smtp_url=box.url,  # type: ignore[call-arg]
                                  deliver_inline=False))
        reg = app.state.registry
        reg.init()
        doc = reg.create_document(DocumentCreate(title="示例市城市绿化管理办法", doc_number="示政规〔2026〕5号",
                                                 publication_date=date(2026, 3, 1), effective_date=date(2026, 3, 1)))
        with serve(app) as url:
            yield url, box, doc["id"]


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60000)
    p = context.new_page()
    yield p
    context.close()


def _check(page: Any, name: str) -> None:
    assert_accessible(page, ARTIFACTS / f"{name}.png", name)


def test_a_citizen_follows_a_document_and_confirms_by_mail(page: Any, live: tuple[str, Mailbox, str]) -> None:
    url, box, doc_id = live
    page.goto(f"{url}/documents/{doc_id}")
    page.get_by_role("button", name="关注此文件").click()
    page.wait_for_url(re.compile(r"/follows/[A-Za-z0-9_-]{32}$"))
    assert page.get_by_role("heading", level=1).inner_text() == "关注：《示例市城市绿化管理办法》"
    assert page.get_by_role("link", name="订阅源（Atom）").get_attribute("href", timeout=5000).endswith(".atom")
    page.get_by_label("电子邮件地址").fill("lin@example.com")
    page.get_by_label("每日汇总").check()
    _check(page, "follows-document")
    page.get_by_role("button", name="订阅").click()
    assert "确认邮件已发送至 lin@example.com" in page.get_by_role("status").inner_text()

    [mail] = box.wait(1)
    link = re.search(r"http://\S+/follows/confirm/\S+", mail.get_content())
    assert link
    mailed = urlsplit(link.group(0))  # the mail names NORMREG_PUBLIC_URL; this server listens elsewhere
    page.goto(f"{url}{mailed.path}?{mailed.query}")
    _check(page, "follows-confirm")
    page.get_by_role("button", name="确认订阅").click()
    assert "订阅已确认" in page.get_by_role("status").inner_text()


def test_follow_this_search_from_the_search_page(page: Any, live: tuple[str, Mailbox, str]) -> None:
    url, _, _ = live
    page.goto(f"{url}/?q=绿化&year=2026&lang=en")
    page.get_by_role("link", name="Follow this search").click()
    assert page.get_by_label("Search").input_value() == "绿化"
    _check(page, "follows-search-new")
    page.get_by_role("button", name="Follow", exact=True).click()
    page.wait_for_url(re.compile(r"/follows/[A-Za-z0-9_-]{32}\?lang=en$"))
    assert "Search words: 绿化" in page.get_by_role("heading", level=1).inner_text()
    assert "year=2026" in page.locator("main").inner_text()
