"""The document's versions in Debian's chromium, as a reader uses them: the timeline on the document page,
the date picker that shows the text in force on a day, and the diff of two versions with deletions and
insertions named in words. axe-core finds nothing serious at 1280 and 390 px, and nothing scrolls sideways.
Screenshots go to ``test-artifacts/web/versions/``.

The document is the advertising law with its real texts of 2015, 2018 and 2021 from the shared corpus (the
2021 amendment deleted an article, so the articles after it are renumbered)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from registry.http.app import create_app
from registry.models import DocumentCreate
from registry.models.versions import TextVersionCreate
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS, Watched
from tests.support.axe import blocking, describe, horizontal_overflow, overflowing_elements, run_axe
from tests.support.law_pairs import law_version
from tests.support.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.corpus]
SHOTS = ARTIFACTS / "versions"
LAW = "中华人民共和国广告法"


@dataclass
class Law:
    url: str
    doc_id: str


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Law]:
    texts = [law_version(LAW, d) for d in ("2015-04-24", "2018-10-26", "2021-04-29")]
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("versions") / "data", rate_limit_per_minute=0))  # type: ignore[call-arg]
    reg = app.state.registry
    reg.init()
    doc = reg.create_document(DocumentCreate(title=LAW, text=texts[0].text, issuer="全国人民代表大会常务委员会",
                                             publication_date=date(2015, 4, 24), effective_date=date(2015, 9, 1)),
                              actor="ops")["id"]
    for v in texts[1:]:
        reg.add_text_version(doc, TextVersionCreate(text=v.text, in_force_from=date.fromisoformat(v.effective_date),
                                                    origin="amendment"), actor="ops")
    with serve(app) as url:
        yield Law(url=url, doc_id=doc)


def _check(page: Watched, name: str) -> None:
    """axe at both widths, no sideways scrolling at 390 px, and a screenshot of each."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.page.set_viewport_size({"width": width, "height": 900})
        found = blocking(run_axe(page.page))
        assert not found, f"{name} at {width}px:\n{describe(found)}"
        assert horizontal_overflow(page.page) == 0, overflowing_elements(page.page)
        page.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))  # the first screen: a law is very long
    page.page.set_viewport_size({"width": 1280, "height": 900})


def test_a_reader_picks_a_date_and_reads_the_text_in_force_that_day(law: Law, page: Watched) -> None:
    p = page.page
    p.goto(f"{law.url}/documents/{law.doc_id}")
    timeline = p.locator("section.versions")
    assert timeline.locator("li").count() == 3
    assert "第 3 版" in timeline.locator("li").first.inner_text() and "现行文本" in timeline.inner_text()
    record = p.locator("section.timeline").inner_text()
    assert "新增文本第 2 版（依修改决定修改）" in record and "origin" not in record and "amendment" not in record
    _check(page, "document")
    p.get_by_label("查看某日施行的文本").first.fill("2019-03-15")
    p.get_by_role("button", name="查看").first.click()
    p.wait_for_url("**/text?at=2019-03-15")
    banner = p.locator("p.banner").inner_text()
    assert "第 2 版" in banner and "2018年10月26日" in banner and "2021年4月28日" in banner
    assert p.locator("p.article").count() == len(law_version(LAW, "2018-10-26").articles)
    _check(page, "text-at")
    p.goto(f"{law.url}/documents/{law.doc_id}/text?at=2010-01-01")
    assert "无从得知" in p.locator("p.problem").inner_text() and "2015年9月1日" in p.locator("p.problem").inner_text()
    assert page.errors == [] and page.csp_violations == []


def test_the_diff_names_changes_in_words_and_shows_renumbered_articles_as_moved(law: Law, page: Watched) -> None:
    p = page.page
    p.goto(f"{law.url}/documents/{law.doc_id}")
    p.get_by_role("link", name=re.compile(r"^与上一版比较\s*（第 3 版）$")).click()
    p.wait_for_url("**/diff?with=3&from=2")
    assert p.locator("li.d-deleted").count() >= 1
    moved = p.locator("li.d-moved")
    assert moved.count() >= 10
    assert "序号调整，条文未变" in moved.first.inner_text() and "原第" in moved.first.inner_text()
    changed = p.locator("li.d-changed")
    assert changed.count() >= 1
    words = changed.locator("ins, del").first.inner_text()
    assert words.startswith("［新增：") or words.startswith("［删除：")  # read out by screen readers, not colour only
    _check(page, "diff")
    p.get_by_label("比较版本").select_option("1")
    p.get_by_role("button", name="比较").click()
    p.wait_for_url("**/diff?from=1&with=3")
    assert "第 1 版" in p.locator("dl.facts").inner_text()
    p.goto(f"{law.url}/documents/{law.doc_id}/diff?with=3&from=2&lang=en")
    assert "renumbered, text unchanged" in p.locator("li.d-moved").first.inner_text()
    _check(page, "diff-en")
    assert page.errors == [] and page.csp_violations == []
