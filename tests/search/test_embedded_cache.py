"""The embedded engine's ranking cache never hides a write and never breaks deep pages."""

from __future__ import annotations

from pathlib import Path

from search.embedded import EmbeddedBackend
from search.model import SearchQuery
from tests.support.factories import one_article_doc


def test_search_after_index_and_delete_sees_the_write(tmp_path: Path) -> None:
    b = EmbeddedBackend(tmp_path, cache_seconds=600)
    b.index([one_article_doc(1, "报送备案审查")])
    assert [h.id for h in b.search(SearchQuery(q="备案审查")).hits] == ["d001"]
    b.index([one_article_doc(2, "备案审查的程序")])
    assert b.search(SearchQuery(q="备案审查")).total == 2
    b.delete(["d001"])
    assert [h.id for h in b.search(SearchQuery(q="备案审查")).hits] == ["d002"]
    b.close()


def test_deep_pages_beyond_the_cached_candidates(tmp_path: Path) -> None:
    b = EmbeddedBackend(tmp_path, cache_seconds=600, workers=0)
    b.index([one_article_doc(i, f"行政规范性文件备案第{i}号") for i in range(260)])
    first = b.search(SearchQuery(q="备案", per_page=100, page=1))
    third = b.search(SearchQuery(q="备案", per_page=100, page=3))
    assert first.total == third.total == 260
    seen = {h.id for h in first.hits} | {h.id for h in b.search(SearchQuery(q="备案", per_page=100, page=2)).hits}
    assert len(third.hits) == 60 and not seen & {h.id for h in third.hits}
    b.close()



def test_paging_past_the_result_window_ranks_and_keeps_no_deeper_hits(tmp_path: Path) -> None:
    from search.model import MAX_RESULT_WINDOW

    b = EmbeddedBackend(tmp_path, cache_seconds=600, workers=0)
    b.index([one_article_doc(i, f"行政规范性文件备案第{i}号") for i in range(MAX_RESULT_WINDOW + 300)])
    deep = b.search(SearchQuery(q="备案", per_page=100, page=1000))  # rank 99,901: far past the window
    assert deep.total == MAX_RESULT_WINDOW + 300 and deep.hits == []
    last = b.search(SearchQuery(q="备案", per_page=100, page=MAX_RESULT_WINDOW // 100))
    assert len(last.hits) == 100
    kept = max(len(ranked.cands) for _, ranked in b._cache._items.values())
    assert kept <= MAX_RESULT_WINDOW  # the cache holds no ranking deeper than the window
    b.close()
