"""Bounded counting of the embedded engine: exact below the threshold, flagged estimates above it, and
estimates within the stated error (search.embedded.facets) on a generated corpus.

The thresholds are scaled down (4,000 documents, exact up to 500 matches, a sample of about 1,000
documents) so the corpus indexes in a few seconds; the rule and the code are the production ones.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from search.embedded import EmbeddedBackend
from search.embedded.facets import EXACT_MATCHES, MARGIN, Bounds, margin_sigmas, sample_buckets
from search.embedded.queries import build, match_bound
from search.embedded.schema import SAMPLE_BUCKETS
from search.model import IndexArticle, IndexDocument, SearchQuery
from search.query import plan_query
from tests.support.factories import engine_over

N_DOCS = 4_000
BOUNDS = Bounds(exact_matches=500, sample_docs=1_000)
ISSUERS = [f"示例市{organ}" for organ in ("财政局", "教育局", "民政局", "司法局", "商务局", "农业农村局")]
STATUSES = ["in_force"] * 6 + ["repealed", "amended", "invalid"]
# phrase → share of documents holding it: broad (estimated), just below the threshold, small (exact)
PHRASES = {"备案审查": 0.9, "绩效评价": 0.11, "信息公开": 0.05}


def _corpus() -> list[IndexDocument]:
    rng = random.Random(5)
    docs = []
    for i in range(N_DOCS):
        words = [p for p, share in PHRASES.items() if rng.random() < share]
        text = "第一条　本办法适用于" + "、".join(words or ["其他事项"]) + "工作。"
        docs.append(IndexDocument(
            id=f"g{i:05d}", title=f"示例市关于印发第{i}号实施细则的通知", body=text,
            articles=[IndexArticle(ordinal=1, number="第一条", text=text)], issuer=rng.choice(ISSUERS),
            category="行政规范性文件", status=rng.choice(STATUSES),
            publication_date=date(2000 + rng.randrange(20), 1 + rng.randrange(12), 1), version="1"))
    return docs


@pytest.fixture(scope="module")
def corpus() -> list[IndexDocument]:
    return _corpus()


@pytest.fixture(scope="module")
def engine(corpus: list[IndexDocument], tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBackend]:
    yield from engine_over(corpus, tmp_path_factory.mktemp("bounded"), cache_seconds=600, workers=0, bounds=BOUNDS)


def _truth(corpus: list[IndexDocument], phrase: str, status: str | None = None) -> dict[str, Counter[str]]:
    """Counts per facet value of the documents holding ``phrase``, computed without the engine."""
    hit = [d for d in corpus if phrase in d.body and (status is None or d.status == status)]
    return {"status": Counter(d.status for d in hit), "issuer": Counter(d.issuer or "" for d in hit),
            "year": Counter(str(d.publication_date.year) for d in hit if d.publication_date),
            "category": Counter(d.category or "" for d in hit)}


def _sigma(true: int, share: float) -> float:
    """Standard deviation of a count scaled up from a sample of this share (the module's error model)."""
    return math.sqrt(true * (1 - share) / share)


def test_small_and_near_threshold_match_sets_are_counted_exactly(engine: EmbeddedBackend,
                                                                 corpus: list[IndexDocument]) -> None:
    for phrase in ("信息公开", "绩效评价"):
        truth = _truth(corpus, phrase)
        res = engine.search(SearchQuery(q=phrase))
        assert sum(truth["status"].values()) < BOUNDS.exact_matches, "corpus must put this phrase below the threshold"
        assert not res.total_estimated and not res.facets_estimated, phrase
        assert res.total == sum(truth["status"].values())
        for field in ("status", "issuer", "year", "category"):
            assert res.facets[field] == dict(truth[field]), (phrase, field)


def test_broad_match_set_is_an_estimate_and_says_so(engine: EmbeddedBackend, corpus: list[IndexDocument]) -> None:
    truth = _truth(corpus, "备案审查")
    true_total = sum(truth["status"].values())
    res = engine.search(SearchQuery(q="备案审查"))
    assert res.total_estimated and res.facets_estimated
    share = sample_buckets(N_DOCS, BOUNDS.sample_docs) / SAMPLE_BUCKETS
    assert abs(res.total - true_total) <= 4 * _sigma(true_total, share) + 10  # (+ rounding to 3 digits)
    assert res.total <= N_DOCS
    for field in ("status", "issuer"):
        for value, n in truth[field].items():
            if n >= 100:  # a value with few matches may be missing from the sample, as documented
                assert abs(res.facets[field][value] - n) <= 4 * _sigma(n, share), (field, value, n)
    # the hits are real ones, whatever the counts: every one holds the phrase
    assert res.hits and all("备案审查" in d.body for d in corpus if d.id in {h.id for h in res.hits})


def test_a_filter_that_narrows_a_broad_query_makes_its_counts_exact(engine: EmbeddedBackend,
                                                                    corpus: list[IndexDocument]) -> None:
    truth = _truth(corpus, "备案审查", status="repealed")
    res = engine.search(SearchQuery(q="备案审查", statuses=["repealed"]))
    assert not res.total_estimated
    assert res.total == sum(truth["status"].values()) and res.facets["issuer"] == dict(truth["issuer"])


def test_pages_of_an_estimated_query_are_disjoint_and_keep_their_counts(engine: EmbeddedBackend) -> None:
    # (an estimated total never marks the candidates complete: the next pages are still read)
    pages = [engine.search(SearchQuery(q="备案审查", per_page=100, page=p)) for p in (1, 2)]
    ids = [h.id for p in pages for h in p.hits]
    assert len(ids) == 200 and len(set(ids)) == 200
    assert pages[0].total == pages[1].total and pages[0].total_estimated == pages[1].total_estimated


def test_an_index_below_the_threshold_never_estimates(tmp_path: Path, corpus: list[IndexDocument]) -> None:
    b = EmbeddedBackend(tmp_path, cache_seconds=0, workers=0, bounds=Bounds(exact_matches=N_DOCS, sample_docs=10))
    b.rebuild([corpus])
    res = b.search(SearchQuery(q="备案审查"))
    b.close()
    assert not res.total_estimated and res.total == sum(_truth(corpus, "备案审查")["status"].values())


def test_the_margin_keeps_sampling_noise_from_estimating_a_set_below_the_threshold() -> None:
    # At the production defaults a match set of exactly EXACT_MATCHES sits this many standard
    # deviations of its one-bucket sample below the margin (the module docstring's claim).
    assert margin_sigmas(Bounds(), 100_000) >= 6
    assert margin_sigmas(Bounds(), 1_000_000) >= 6
    assert MARGIN > 1 and EXACT_MATCHES >= 10_000


def test_a_broad_question_ranks_candidates_holding_its_terms(engine: EmbeddedBackend,
                                                             corpus: list[IndexDocument]) -> None:
    # 3,600 documents hold 备案审查: above the (scaled) threshold, so the question takes the flat-union
    # path; its best hits must still be documents holding both of the question's terms (the rarer one,
    # 绩效评价, in 11 %; and 备案审查, whose plain BM25 idf is near zero: see queries.question_term).
    q = SearchQuery(q="绩效评价和备案审查有什么规定？")
    searcher = engine._index.searcher()
    built = build(engine.schema, engine._articles.schema, plan_query(q.q), q,
                  doc_freq=lambda t: searcher.doc_freq("body", t), broad_from=BOUNDS.exact_matches)
    assert built is not None and built.broad is not None  # the path under test is taken
    res = engine.search(q)
    assert res.total_estimated
    bodies = {d.id: d.body for d in corpus}
    top = [bodies[h.id] for h in res.hits[:10]]
    assert len(top) == 10 and all("绩效评价" in b and "备案审查" in b for b in top)


def test_the_keyword_bound_is_never_below_the_true_count(engine: EmbeddedBackend, corpus: list[IndexDocument]) -> None:
    searcher = engine._index.searcher()
    for q in ("信息公开", "绩效评价", "备案审查 绩效评价", "示例市"):
        bound = match_bound(plan_query(q), lambda f, t: int(searcher.doc_freq(f, t)))
        true = engine.search(SearchQuery(q=q, per_page=1)).total
        assert bound is not None and bound >= true, (q, bound, true)
