"""Rebuilding the embedded index: all or nothing, and the same index whoever prepares the text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.embedded import EmbeddedBackend
from search.model import IndexDocument, SearchQuery
from tests.support.factories import one_article_doc


def test_a_rebuild_that_fails_midway_leaves_the_previous_index_searchable(tmp_path: Path) -> None:
    b = EmbeddedBackend(tmp_path, workers=0)
    b.index([one_article_doc(i, f"政府信息公开申请第{i}件") for i in range(3)])

    def batches() -> Iterator[list[IndexDocument]]:
        yield [one_article_doc(100, "建设用地审批办法")]
        raise RuntimeError("the registry went away")

    with pytest.raises(RuntimeError):
        b.rebuild(batches())
    assert b.search(SearchQuery(q="信息公开")).total == 3
    assert b.search(SearchQuery(q="建设用地")).total == 0
    b.close()


def test_text_prepared_in_worker_processes_indexes_the_same_by_index_and_by_rebuild(tmp_path: Path) -> None:
    docs = [one_article_doc(i, f"政府信息公开申请第{i}件") for i in range(120)]
    inline = EmbeddedBackend(tmp_path / "a", workers=0)
    pooled = EmbeddedBackend(tmp_path / "b", workers=2)
    rebuilt = EmbeddedBackend(tmp_path / "c", workers=2)
    inline.index(docs)
    pooled.index(docs)
    assert rebuilt.rebuild(iter([docs[:50], docs[50:]])) == 120  # the second batch is prepared ahead

    # Equal scores may tie in another order (indexing threads fill segments differently): compare sets.
    def everything(backend: EmbeddedBackend) -> set[tuple[str, float, str | None]]:
        pages = [backend.search(SearchQuery(q="信息公开", per_page=60, page=p)) for p in (1, 2)]
        assert all(r.total == 120 for r in pages)
        return {(h.id, h.score, h.article) for r in pages for h in r.hits}

    assert len(everything(inline)) == 120
    assert everything(inline) == everything(pooled) == everything(rebuilt)
    for backend in (inline, pooled, rebuilt):
        backend.close()
