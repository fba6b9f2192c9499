"""The best-article stage of the embedded engine: one query on the ranking thread, exactly the best matching
articles of the candidate documents."""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from search.embedded import EmbeddedBackend
from search.embedded.queries import build
from search.embedded.ranking import doc_keys
from search.model import IndexArticle, IndexDocument, SearchQuery
from search.query import plan_query

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


QUESTIONS = ["申请政府信息公开以后多少天内必须答复？", "行政机关征求第三方意见要书面吗"]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedBackend:
    b = EmbeddedBackend(tmp_path_factory.mktemp("stage"), workers=0, cache_seconds=0)
    b.index(_corpus(240))
    return b


@pytest.mark.parametrize("question", QUESTIONS)
def test_best_articles_within_are_the_best_matching_articles_of_those_documents(backend: EmbeddedBackend,
                                                                               question: str) -> None:
    searcher = backend._articles.index.searcher()
    query = SearchQuery(q=question)
    built = build(backend.schema, backend._articles.schema, plan_query(question), query)
    assert built is not None
    everything = list(searcher.search(built.articles, limit=10_000, count=False, weight_by_field="weight").hits)
    keys_of = doc_keys(searcher, [a for _, a in everything])
    chosen = sorted(set(keys_of))[::2]  # every other document that has a matching article
    expected = [(round(s, 5), a.segment_ord, a.doc) for (s, a), k in zip(everything, keys_of, strict=True)
                if k in set(chosen)][:50]
    found = backend._ranker.best_articles_within(searcher, built.articles, chosen, limit=50)
    assert len(chosen) >= 100 and len(expected) == 50
    got = [(round(s, 5), a.segment_ord, a.doc) for s, a in found]
    assert [g[0] for g in got] == [e[0] for e in expected]  # the same scores, best first
    cut = expected[-1][0]  # articles tied with the last may be cut either way; all better ones must be there
    assert {g for g in got if g[0] > cut} == {e for e in expected if e[0] > cut}


class _Refusing(ThreadPoolExecutor):
    """A pool that takes no task: any hand-off to a side thread fails the search."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        raise AssertionError("the article stage handed work to a side thread")


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_article_stage_of_200_candidates_runs_on_the_ranking_thread(backend: EmbeddedBackend,
                                                                        question: str) -> None:
    ranker = backend._ranker
    kept = ranker._threads
    ranker._threads = _Refusing(max_workers=1)
    try:
        res = backend.search(SearchQuery(q=question, per_page=20, with_facets=False))
    finally:
        ranker._threads.shutdown()
        ranker._threads = kept
    assert res.total >= 200  # every document a candidate: the stage reads the articles of 200 of them
    assert len(res.hits) == 20 and all(h.article for h in res.hits)


def test_each_article_is_indexed_once_in_the_articles_index_and_hits_still_name_it(backend: EmbeddedBackend) -> None:
    corpus = _corpus(240)
    assert backend._index.searcher().num_docs == len(corpus)  # one record per document, no article copies
    assert backend._articles.index.searcher().num_docs == sum(len(d.articles) for d in corpus)
    res = backend.search(SearchQuery(q="延长答复期限", per_page=10, with_facets=False))
    texts = {(d.id, a.number): a.text for d in corpus for a in d.articles}
    assert res.hits and all(h.article and "延长答复期限" in texts[(h.id, h.article)] for h in res.hits)
