"""Rebuilding the embedded index: all or nothing, and the same index whoever prepares the text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.embedded import EmbeddedBackend
from search.model import IndexArticle, IndexDocument, SearchQuery


def _doc(i: int, text: str) -> IndexDocument:
    return IndexDocument(id=f"d{i:03d}", title=f"文件{i}", body=f"第一条 {text}",
                         articles=[IndexArticle(ordinal=1, number="第一条", text=f"第一条 {text}")])


def test_a_rebuild_that_fails_midway_leaves_the_previous_index_searchable(tmp_path: Path) -> None:
    b = EmbeddedBackend(tmp_path, workers=0)
    b.index([_doc(i, f"政府信息公开申请第{i}件") for i in range(3)])

    def batches() -> Iterator[list[IndexDocument]]:
        yield [_doc(100, "建设用地审批办法")]
        raise RuntimeError("the registry went away")

    with pytest.raises(RuntimeError):
        b.rebuild(batches())
    assert b.search(SearchQuery(q="信息公开")).total == 3
    assert b.search(SearchQuery(q="建设用地")).total == 0
    b.close()


def test_rebuild_prepared_in_worker_processes_matches_inline_indexing(tmp_path: Path) -> None:
    docs = [_doc(i, f"政府信息公开申请第{i}件") for i in range(250)]
    inline = EmbeddedBackend(tmp_path / "a", workers=0)
    pooled = EmbeddedBackend(tmp_path / "b", workers=2)
    inline.index(docs)
    assert pooled.rebuild(iter([docs[:120], docs[120:]])) == 250  # two batches: the second prepared ahead
    assert inline.ids_with_versions() == pooled.ids_with_versions()
    for q in ("信息公开", "第17件"):
        a, b = inline.search(SearchQuery(q=q, per_page=5)), pooled.search(SearchQuery(q=q, per_page=5))
        assert a.total == b.total and a.facets == b.facets
    inline.close()
    pooled.close()
