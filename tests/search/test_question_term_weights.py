"""Question terms are weighed by BM25 with a shifted idf (search.embedded.queries.question_term): a term
found in most documents still counts, so a document holding every thing a question names ranks above a
shorter one holding only the rarest."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pytest

from search.embedded import EmbeddedBackend, queries
from search.embedded.ranking import _idf
from search.model import IndexArticle, IndexDocument, SearchQuery
from tests.support.factories import engine_over

N_DOCS = 400
COMMON, RARE = "备案审查", "绩效评价"


def _corpus() -> list[IndexDocument]:
    """COMMON is in about 95 % of the documents; RARE in a tenth, half of those without COMMON. Texts are
    alike but for the terms they hold, so the documents holding RARE alone are the shortest by that
    word: plain BM25 (COMMON's idf near zero) puts them first."""
    rng = random.Random(3)
    docs = []
    for i in range(N_DOCS):
        rare = i % 10 == 0
        common = (i % 20 == 10) if rare else rng.random() < 0.95
        words = ([RARE] if rare else []) + ([COMMON] if common else [])
        text = "第一条　本办法适用于" + "、".join(words or ["其他事项"]) + "工作，按照有关程序办理并报送材料。"
        docs.append(IndexDocument(id=f"q{i:04d}", title=f"示例县关于第{i}号事项的通知", body=text,
                                  articles=[IndexArticle(ordinal=1, number="第一条", text=text)], version="1"))
    return docs


CORPUS = _corpus()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBackend]:
    """Plain options (no worker processes, default bounds): the usual path, not the broad one."""
    yield from engine_over(CORPUS, tmp_path_factory.mktemp("idf"), workers=0)


def _top(engine: EmbeddedBackend, k: int) -> list[str]:
    res = engine.search(SearchQuery(q=f"{RARE}和{COMMON}有什么规定？", per_page=k, with_facets=False))
    bodies = {d.id: d.body for d in CORPUS}
    return [bodies[h.id] for h in res.hits]


def test_documents_holding_every_term_of_a_question_rank_first(engine: EmbeddedBackend) -> None:
    both = sum(1 for d in CORPUS if RARE in d.body and COMMON in d.body)
    alone = sum(1 for d in CORPUS if RARE in d.body and COMMON not in d.body)
    assert both >= 10 and alone >= 1, "the corpus must hold both kinds of document"
    top = _top(engine, both)
    assert len(top) == both and all(RARE in b and COMMON in b for b in top)


def test_without_the_shift_the_short_documents_holding_the_rare_term_alone_come_first(
        engine: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    # the situation the shift exists for: shown on the same index with plain BM25
    monkeypatch.setattr(queries, "IDF_SHIFT", 0.0)
    engine._cache.clear()
    try:
        top = _top(engine, 3)
    finally:
        engine._cache.clear()
    assert top and COMMON not in top[0]


def test_the_idf_is_bm25s_over_the_snapshot(engine: EmbeddedBackend) -> None:
    searcher = engine._index.searcher()
    idf = _idf(searcher)
    holding = sum(1 for d in CORPUS if "审查" in d.body)
    assert idf("body", "审查") == pytest.approx(math.log(1 + (N_DOCS - holding + 0.5) / (holding + 0.5)))
    assert idf("body", "审查") < 0.2 < idf("body", "绩效")  # common near zero, rare not
