"""The search page on a phone (390 px) and on a wide screen, in real chromium: results before the
filters, the filters collapsible, no sideways scrolling, no serious axe violation; and snippets that do
not repeat the article label the hit names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.registry.web.conftest import ARTIFACTS, Site
from tests.support.axe import blocking, describe, horizontal_overflow, overflowing_elements, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.corpus]


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    """One page for the module, 390 px wide (an iPhone's CSS width), Chinese locale."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def _top(pg: Any, selector: str) -> float:
    box = pg.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


def test_on_a_phone_results_come_first_and_filters_fold(site: Site, phone: Any) -> None:
    pg = phone
    pg.goto(f"{site.url}/?q=国务院")
    assert pg.locator("li.hit").count() >= 3
    details = pg.locator(".facets details")
    assert details.count() == 1
    assert _top(pg, "li.hit") < _top(pg, ".facets summary")  # the first result above the filters
    assert not pg.locator(".facets h2").first.is_visible()  # folded until asked for
    summary = pg.locator(".facets summary")
    assert summary.is_visible() and summary.inner_text() == "筛选"
    summary.click()
    assert pg.locator(".facets h2").first.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "search-phone-filters-open.png"), full_page=True)
    assert horizontal_overflow(pg) == 0, overflowing_elements(pg)
    bad = blocking(run_axe(pg))
    assert not bad, describe(bad)
    # snippets: the article label is printed once, as the link before the snippet
    for snippet in pg.locator("li.hit p.snippet").all()[:10]:
        link = snippet.locator("a.art")
        if link.count():
            label = link.inner_text()
            assert snippet.inner_text().count(label) == 1, snippet.inner_text()


def test_on_a_wide_screen_filters_stay_open_in_the_left_column(site: Site, phone: Any) -> None:
    pg = phone
    pg.set_viewport_size({"width": 1200, "height": 900})
    try:
        pg.goto(f"{site.url}/?q=国务院&lang=en")
        assert not pg.locator(".facets summary").is_visible()
        facet = pg.locator(".facets section").first
        assert facet.is_visible()
        facet_box, results_box = facet.bounding_box(), pg.locator("section.results").bounding_box()
        assert facet_box is not None and results_box is not None
        assert facet_box["x"] + facet_box["width"] <= results_box["x"]  # left of the results
        pg.screenshot(path=str(ARTIFACTS / "search-wide.png"), full_page=True)
        bad = blocking(run_axe(pg))
        assert not bad, describe(bad)
    finally:
        pg.set_viewport_size({"width": 390, "height": 844})
