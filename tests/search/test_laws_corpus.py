"""Properties on real law texts: every substring is found; STARD recall stays above a floor."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.stard_eval import evaluate, load_laws, load_queries
from search.embedded import EmbeddedBackend
from search.model import IndexDocument, SearchQuery
from search.normalize import normalize, normalize_whole
from tests.support.corpus import corpus_path

pytestmark = pytest.mark.corpus
SAMPLE = 100  # at most one page of 100, so membership is checked exactly
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


@pytest.fixture(scope="module")
def laws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedBackend, list[IndexDocument]]]:
    corpus = corpus_path()
    rng = random.Random(20240601)
    all_docs = list(load_laws(corpus))
    sample = rng.sample(all_docs, SAMPLE)
    backend = EmbeddedBackend(Path(tmp_path_factory.mktemp("laws")))
    backend.index(sample)
    yield backend, sample
    backend.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_substring_of_two_to_six_characters_finds_its_document(
    laws: tuple[EmbeddedBackend, list[IndexDocument]], data: st.DataObject
) -> None:
    backend, docs = laws
    doc = data.draw(st.sampled_from(docs))
    runs = _CJK_RUN.findall(doc.body)
    run = data.draw(st.sampled_from(runs))
    length = data.draw(st.integers(min_value=2, max_value=min(6, len(run))))
    start = data.draw(st.integers(min_value=0, max_value=len(run) - length))
    q = run[start:start + length]
    found = {h.id for h in backend.search(SearchQuery(q=q, per_page=100, with_facets=False,
                                                       with_snippets=False)).hits}
    assert doc.id in found, q


@pytest.mark.slow
def test_stard_recall_floor_on_a_subset(tmp_path: Path) -> None:
    corpus = corpus_path()
    queries = load_queries(corpus)[::6]
    needed = {r["doc_id"] for q in queries for r in q["relevant"]}
    rng = random.Random(7)
    docs = [d for d in load_laws(corpus) if d.id in needed or rng.random() < 0.25]
    backend = EmbeddedBackend(tmp_path)
    backend.index(docs)

    def search(text: str) -> list[tuple[str, str | None]]:
        res = backend.search(SearchQuery(q=text, with_facets=False, with_snippets=False))
        return [(h.id, h.article) for h in res.hits]

    metrics = evaluate(search, queries)
    backend.close()
    assert metrics["recall@10"] >= 0.80 and metrics["mrr@10"] >= 0.50, metrics


def test_every_law_text_normalises_as_by_the_whole_text_definition(
    laws: tuple[EmbeddedBackend, list[IndexDocument]]
) -> None:
    _, sample = laws
    for doc in sample:
        assert normalize(doc.body) == normalize_whole(doc.body), doc.id
        assert normalize(doc.title) == normalize_whole(doc.title), doc.id
