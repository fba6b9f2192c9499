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

