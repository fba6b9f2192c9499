"""The public page of a partially invalid document, in Debian's chromium: its void articles carry a class
and a visible 已失效 label with the day and the reason, the others none; axe finds nothing serious.
Screenshots at 1280 and 390 px go to ``test-artifacts/web/articles/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from registry.http.app import create_app
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS, Watched
from tests.support.articles import REASON, partially_invalid_document
from tests.support.axe import blocking, run_axe
from tests.support.live_server import serve

SHOTS = ARTIFACTS / "articles"


@pytest.fixture(scope="module")
def doc_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data = tmp_path_factory.mktemp("articles")
    app = create_app(Settings(data_dir=data / "data", rate_limit_per_minute=0))  # type: ignore[call-arg]
    app.state.registry.init()
    doc_id = partially_invalid_document(app.state.registry, data / "in")
    with serve(app) as url:
        yield url, doc_id


def _marks(pg: Any) -> dict[str, str]:
    """Article label → the text of its status label, for every article marked void."""
    out: dict[str, str] = {}
    for p in pg.locator("p.article.article-void").all():
        out[p.get_attribute("id")] = p.locator(".article-status").inner_text()
    return out


def test_void_articles_are_marked_on_the_page_in_both_languages(doc_url: tuple[str, str], page: Watched) -> None:
    url, doc_id = doc_url
    pg = page.page
    pg.goto(f"{url}/documents/{doc_id}")
    marks = _marks(pg)
    assert sorted(marks) == ["第三条", "第五条"]
    assert all(m.startswith("已失效（自2025年7月1日起）") and REASON in m for m in marks.values())
    assert pg.locator("p.article").count() == 6 and pg.locator(".article-status").count() == 2
    assert pg.locator("#第四条 .article-status").count() == 0
    assert pg.get_by_text("已失效（自2025年7月1日起）").first.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        pg.set_viewport_size({"width": width, "height": 900})
        pg.screenshot(path=str(SHOTS / f"document-{width}.png"), full_page=True)
    pg.set_viewport_size({"width": 1280, "height": 900})
    assert blocking(run_axe(pg)) == []
    pg.goto(f"{url}/documents/{doc_id}?lang=en")
    assert all(m.startswith("No longer in force (since") for m in _marks(pg).values())
    page.assert_not_pwned()



def test_search_by_article_leaves_out_void_articles_when_asked(doc_url: tuple[str, str], page: Watched) -> None:
    url, _ = doc_url
    pg = page.page
    pg.goto(f"{url}/search/articles")
    pg.get_by_label("问题或关键词").fill("共享单车运营企业投放车辆要申请配额吗？")
    pg.get_by_role("button", name="检索").click()
    pg.wait_for_url("**/search/articles?**")
    shown = pg.locator("h2.art-hit > a").all_inner_texts()
    assert "第三条" in shown
    void = pg.locator("li.hit.article-void", has=pg.locator("a", has_text="第三条"))
    assert void.locator(".article-status").inner_text().startswith("已失效（自2025年7月1日起）")
    assert pg.locator("p.snippet").first.inner_text()[:3] != "第三条"  # the label is the link, not repeated
    pg.get_by_label("只看现行有效的条文").check()
    pg.get_by_role("button", name="检索").click()
    pg.wait_for_url("**in_force=true**")
    in_force = pg.locator("h2.art-hit > a").all_inner_texts()
    assert in_force and {"第三条", "第五条"}.isdisjoint(in_force)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "search-articles-1280.png"), full_page=True)
    assert blocking(run_axe(pg)) == []
    page.assert_not_pwned()
