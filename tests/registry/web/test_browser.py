"""Real chromium against a real server: search, open a document, check a 文号, the widget on another
origin, staff sign-in, and script injection through titles, snippets, events, the widget and the feed."""

from __future__ import annotations

import re

import pytest

from tests.registry.web.conftest import Site, Watched
from tests.support import staff

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.corpus]


def test_search_shows_badges_marked_snippets_and_facets(site: Site, page: Watched) -> None:
    pg = page.page
    pg.goto(f"{site.url}/?q=国务院")
    hits = pg.locator("li.hit")
    assert hits.count() >= 5
    assert pg.locator("li.hit .badge").count() == hits.count()
    assert pg.locator("li.hit .snippet mark").count() >= 1
    assert pg.locator(".facets section").count() >= 2
    pg.locator(".facets a", has_text="国务院办公厅").first.click()
    pg.wait_for_url(re.compile(r"issuer="))
    assert all("国务院办公厅" in t for t in pg.locator("li.hit .facts").all_inner_texts())
    page.shot("search-filtered")
    pg.goto(f"{site.url}/?q=国务院&sort=newest&lang=en")
    assert pg.locator("button[type=submit]").inner_text() == "Search"
    dates = [d for d in pg.locator("li.hit .facts span").all_inner_texts() if re.fullmatch(r"\d{4}-\d\d-\d\d", d)]
    assert dates == sorted(dates, reverse=True)
    page.shot("search-en")
    assert page.csp_violations == [] and page.errors == []
    page.assert_not_pwned()


def test_open_a_document_from_the_results(site: Site, page: Watched) -> None:
    pg = page.page
    title = site.truth[0]["title"]
    pg.goto(f"{site.url}/?q={title}")
    pg.locator("li.hit h3 a", has_text=title).first.click()
    pg.wait_for_url(re.compile(r"/documents/"))
    assert pg.locator("h1").inner_text() == title
    banner = pg.locator("p.banner .sentence").inner_text()
    assert banner.endswith("。") and ("有效" in banner or "施行" in banner or "无法" in banner or "失效" in banner)
    assert pg.locator("dl.facts").inner_text().count(site.truth[0]["doc_number"]) == 1
    download = pg.locator("a.button[download]")
    assert download.count() == 1
    with pg.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".html")
    page.shot("document")
    assert page.csp_violations == [] and page.errors == []
    page.assert_not_pwned()


def test_check_a_doc_number_in_another_bracket_form(site: Site, page: Watched) -> None:
    pg = page.page
    number, doc_id = next(iter(site.ids_by_number.items()))
    variant = number.replace("〔", "[").replace("〕", "]")
    pg.goto(f"{site.url}/check")
    pg.fill("input[name=ref]", variant)
    pg.fill("input[name=at]", "2024-06-01")
    pg.click("form.check button")
    pg.wait_for_url(re.compile(r"/check\?ref="))
    answer = pg.locator("section.answer")
    assert answer.count() == 1
    assert pg.locator("section.answer a").first.get_attribute("href") == f"/documents/{doc_id}"
    assert "2024年6月1日" in answer.inner_text()
    page.shot("check")
    pg.goto(f"{site.url}/check?ref=示政发（2019）8号")
    assert pg.locator("section.answer .sentence").inner_text() == "已被《示例市规范性文件管理办法》废止（2022年3月1日）。"
    assert pg.locator("section.answer p", has_text="请参阅").locator("a").inner_text() == "《示例市规范性文件管理办法》"
    pg.goto(f"{site.url}/check?ref=示政发〔2019〕8号&at=2020-01-01&lang=en")
    assert pg.locator("section.answer .sentence").inner_text() == "In force (since 2019-03-01)."
    page.shot("check-en")
    pg.goto(f"{site.url}/check?ref=不存在的文件〔2000〕1号")
    assert pg.locator(".problem").inner_text() == "没有找到该文件。"
    page.assert_not_pwned()


def test_widget_on_another_origin_shows_results_and_is_keyboard_usable(site: Site, page: Watched) -> None:
    pg = page.page
    pg.goto(site.other_origin + "/index.html")
    options = pg.locator("#w li[role=option]:not(.x)")
    options.first.wait_for()
    assert options.count() >= 3
    assert pg.locator("#w li[role=option]:not(.x) .b").count() == options.count()
    combo = pg.locator("#w input[role=combobox]")
    assert combo.get_attribute("aria-expanded") == "true"
    combo.focus()
    pg.keyboard.press("ArrowDown")
    first = options.first
    assert first.get_attribute("aria-selected") == "true"
    assert combo.get_attribute("aria-activedescendant") == first.get_attribute("id")
    href = first.locator("a").get_attribute("href") or ""
    assert href.startswith(site.url + "/documents/")
    page.shot("widget-cross-origin")
    combo.fill("职业教育")
    pg.wait_for_function("() => { const a = document.querySelector('#w').shadowRoot.querySelector("
                         "'li[role=option] a'); return a && a.textContent.includes('职业教育'); }")
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("Enter")
    pg.wait_for_url(re.compile(re.escape(site.url) + r"/documents/"))
    assert "职业教育" in pg.locator("h1").inner_text()
    page.assert_not_pwned()


def test_no_script_runs_from_a_hostile_title_anywhere(site: Site, page: Watched) -> None:
    pg = page.page
    visits = [
        (f"{site.url}/?q=onerror", "inject-search"),
        (f"{site.url}/?q=国务院 onerror 测试", "inject-snippet"),
        (f"{site.url}/documents/{site.evil_id}", "inject-document"),
        (f"{site.url}/check?ref=国发〔2099〕1号", "inject-check"),
        (site.other_origin + "/index.html", "inject-widget"),
        (f"{site.url}/feeds/changes.atom", "inject-feed"),
        (f"{site.url}/api/v1/changes", "inject-changes-json"),
        (f"{site.url}/widget-demo", "inject-widget-demo"),
    ]
    for url, name in visits:
        pg.goto(url)
        if name == "inject-widget":
            pg.locator("#evil li[role=option]").first.wait_for()
            assert "<img" in pg.locator("#evil li[role=option] a").first.inner_text()
        pg.wait_for_timeout(300)
        assert pg.evaluate("document.querySelectorAll('img[src=x]').length") == 0, name
        page.shot(name)
        page.assert_not_pwned()
    pg.goto(f"{site.url}/?q=onerror")
    assert EVIL_TEXT in pg.locator("li.hit h3").first.inner_text()
    assert page.csp_violations == []


EVIL_TEXT = '<img src=x onerror="window.__pwned=1">'


def test_staff_sign_in_sets_a_safe_cookie(site: Site, page: Watched) -> None:
    pg = page.page
    pg.goto(f"{site.url}/staff")
    pg.wait_for_url(re.compile(r"/staff/sign-in$"))
    pg.get_by_label("用户名").fill(site.staff_user)
    pg.get_by_label("密码", exact=True).fill("not-the-password")
    pg.get_by_role("button", name="登录").click()
    assert pg.locator(".problem").inner_text() == "用户名或密码不正确。"
    staff.sign_in_page(pg, site.url, site.staff_user)
    assert "李明" in pg.locator("main").inner_text()
    cookie = next(c for c in pg.context.cookies() if c["name"] == "normreg_staff")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert pg.evaluate("document.cookie") == ""
    page.shot("staff")


def test_articles_have_anchors_and_search_hits_point_to_them(site: Site, page: Watched) -> None:
    pg = page.page
    pg.goto(f"{site.url}/documents/{site.law_id}#第五条")
    article = pg.locator("p.article[id='第五条']")
    assert article.count() == 1 and article.is_visible()
    assert pg.evaluate("location.hash") in ("#第五条", "#%E7%AC%AC%E4%BA%94%E6%9D%A1")
    assert article.locator("a.anchor").inner_text() == "第五条"
    pg.goto(f"{site.url}/?q=法治宣传教育")
    art_links = pg.locator("li.hit .snippet a.art")
    if art_links.count():
        art_links.first.click()
        pg.wait_for_url(re.compile(r"/documents/.+#"))
        target = pg.evaluate("decodeURIComponent(location.hash.slice(1))")
        assert pg.locator(f"p.article[id='{target}']").count() == 1
    page.shot("articles")
    page.assert_not_pwned()
