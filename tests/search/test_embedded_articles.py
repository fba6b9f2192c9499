"""The best-article stage of the embedded engine: split over two threads, it ranks as in one query."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from search.embedded import EmbeddedBackend
from search.embedded import ranking as ranking_module
from search.model import IndexArticle, IndexDocument, SearchQuery

PHRASES = ["申请政府信息公开", "行政机关应当", "自收到申请之日起", "二十个工作日内", "予以答复", "延长答复期限",
           "告知申请人", "不予公开", "第三方意见", "书面征求", "收取信息处理费", "法律责任"]
NUMBERS = "一二三四五六"


def _corpus(n: int) -> list[IndexDocument]:
    """``n`` documents whose articles mix the phrases differently, so article scores differ."""
    rng = random.Random(11)
    docs = []
    for i in range(n):
        articles = []
        for a in range(rng.randint(2, 6)):
            text = f"{NUMBERS[a].join('第条')} " + "，".join(rng.sample(PHRASES, rng.randint(1, 5))) + "。"
            articles.append(IndexArticle(ordinal=a + 1, number=f"第{NUMBERS[a]}条", text=text))
        docs.append(IndexDocument(id=f"d{i:03d}", title=f"信息公开办法{i}", body="\n".join(a.text for a in articles),
                                  articles=articles))
    return docs


@pytest.mark.parametrize("question", ["申请政府信息公开以后多少天内必须答复？", "行政机关征求第三方意见要书面吗"])
def test_articles_sought_in_two_halves_rank_as_in_one_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          question: str) -> None:
    backend = EmbeddedBackend(tmp_path, workers=0, cache_seconds=0)
    backend.index(_corpus(240))
    query = SearchQuery(q=question, per_page=20)

    monkeypatch.setattr(ranking_module, "SPLIT_ARTICLES_FROM", 10**9)
    whole = backend.search(query)
    monkeypatch.setattr(ranking_module, "SPLIT_ARTICLES_FROM", 2)
    split = backend.search(query)
    backend.close()

    assert whole.total >= 200  # enough candidates for the split to take two halves of a hundred
    assert [(h.id, h.article, h.score) for h in split.hits] == [(h.id, h.article, h.score) for h in whole.hits]
    assert all(h.article for h in whole.hits)
