"""Relevance ranking of the embedded engine: two stages over one query plan, on one index snapshot.

The document query decides the match set, the total and the facets (:mod:`search.embedded.facets`,
on a side thread while the ranking runs) and gives a document score; the article query, restricted to
the best DOC_CANDIDATES documents, finds their best articles in the articles index
(:mod:`search.embedded.articles`, the one copy of every article). score = normalised document score +
normalised best article score (with a capped bonus for further matching articles), both already
multiplied by the validity/recency/pinned prior of :mod:`search.ranking` (:func:`_with_prior`).

Figures behind the constants: docs/benchmarks.md, "Constants of the embedded engine".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import tantivy
from tantivy import Occur, Order, Query

from search.embedded.facets import Bounds, Counts, Facets, bounded_counts, no_facets
from search.embedded.queries import Built, Idf, build, filters, match_bound
from search.embedded.schema import DOC
from search.model import SearchQuery
from search.query import QueryPlan

# Documents whose articles are sought: fewer lose STARD quality, more only cost time.
DOC_CANDIDATES = 200
# Best articles read per evaluation, enough to name and support the candidates of the first pages.
ARTICLE_CANDIDATES = 300
# Hits read by relevance alone for each one kept after the prior: the prior moves few hits that far.
RAW_POOL = 2
# Weight of the document-level score (title, 文号, whole text) against the best article's, by query
# mode: keyword queries are often a document's name, questions are answered by an article. The STARD
# plateau is broad; these sit in its middle.
DOC_SHARE = {"all": 0.5, "best": 0.2, "none": 0.5}
# Reward for further matching articles of the same document (capped at twice the best one's score).
ARTICLE_SUPPORT = 0.5
# Below this many article records document frequencies say little: every term is a key term.
COMMON_MIN_RECORDS = 5_000


@dataclass(slots=True)
class Candidate:
    """A ranked document: its record, its best article, and (after ranking) its final score."""

    key: int
    doc_score: float = 0.0
    art_best: float = 0.0
    art_more: float = 0.0
    doc_addr: tantivy.DocAddress | None = None
    art_addr: tantivy.DocAddress | None = None


@dataclass(slots=True)
class Ranked:
    """One evaluated query: what every page of it needs, tied to the snapshots it was computed on (the
    document index's and the articles index's: ``art_addr`` of a candidate is an address in the second)."""

    searcher: tantivy.Searcher
    art_searcher: tantivy.Searcher
    built: Built | None
    total: int
    facets: Facets
    cands: list[Candidate]
    complete: bool  # cands hold every match (no deeper page needs a new evaluation)
    estimated: bool = False  # total and facets were counted on a sample (search.embedded.facets)


def cache_key(plan: QueryPlan, q: SearchQuery) -> tuple[object, ...]:
    """What decides an evaluation: the normalised plan, the filters, the sort and whether facets are wanted."""
    return (plan.mode, tuple(tuple(c.runs) for c in plan.required), tuple(tuple(c.runs) for c in plan.excluded),
            tuple(plan.terms), tuple(plan.expansions), tuple(plan.law_names), plan.doc_number, bool(q.q.strip()),
            tuple(q.statuses), tuple(q.issuers), tuple(q.categories), tuple(q.years), q.date_from, q.date_to,
            q.sort, q.with_facets)


class Ranker:
    """Evaluates queries on a searcher; owns the side threads that run beside the ranking thread."""

    def __init__(self, schema: tantivy.Schema, article_schema: tantivy.Schema, bounds: Bounds | None = None) -> None:
        self.schema = schema
        self.article_schema = article_schema
        self.bounds = bounds or Bounds()
        self._threads = _side_threads()

    def close(self) -> None:
        """Stop the side threads; the ranker stays usable (new threads start on first use)."""
        self._threads.shutdown(wait=True)
        self._threads = _side_threads()

    def evaluate(self, searcher: tantivy.Searcher, art_searcher: tantivy.Searcher, plan: QueryPlan,
                 query: SearchQuery, want: int) -> Ranked:
        """Total, facets and the ordered candidates covering at least the first ``want`` hits.

        ``searcher``: a snapshot of the document index; ``art_searcher``: of the articles index."""
        if plan.is_empty:
            built: Built | None = None
            docs_q = Query.boolean_query(
                [(Occur.Must, Query.term_query(self.schema, "kind", DOC))]
                + [(Occur.Must, f) for f in filters(self.schema, query)]
            ) if not query.q.strip() else None
        else:
            broad_from = self.bounds.exact_matches
            built = build(self.schema, self.article_schema, plan, query, share=_share(art_searcher),
                          doc_freq=_body_freq(searcher, broad_from), broad_from=broad_from, idf=_idf(searcher))
            docs_q = built.docs if built else None
        if docs_q is None:
            return Ranked(searcher, art_searcher, None, 0, no_facets() if query.with_facets else {}, [], True)

        # Total and facets (one aggregation over every match) and the ranking read the same postings;
        # they run side by side on two threads (tantivy releases the GIL).
        sampled = None
        if built is not None:
            share = _share(art_searcher)

            def sampled(clause: Query) -> Query:
                again = build(self.schema, self.article_schema, plan, query, share=share, sample=clause)
                return again.docs if again is not None else Query.empty_query()
        at_most = match_bound(plan, lambda f, t: int(searcher.doc_freq(f, t))) if built is not None else None
        facets_job = (self._threads.submit(bounded_counts, searcher, self.schema, docs_q, self.bounds, sampled,
                                           at_most) if query.with_facets else None)
        counts: Counts | None = None
        try:
            if query.sort in ("newest", "oldest") or built is None:
                order = Order.Asc if query.sort == "oldest" else Order.Desc
                limit = max(DOC_CANDIDATES, want)
                res = searcher.search(docs_q, limit=limit, count=facets_job is None,
                                      order_by_field="day", order=order)
                cands = [Candidate(key=0, doc_addr=addr) for _, addr in res.hits]
                kept = len(res.hits)
            else:
                limit = RAW_POOL * max(DOC_CANDIDATES, want)
                if built.broad is not None and facets_job is not None:
                    res, raw = self._broad_pool(searcher, built, docs_q, limit)
                else:
                    res = searcher.search(docs_q, limit=limit, count=facets_job is None)
                    raw = res.hits
                doc_hits = _with_prior(searcher, raw, max(DOC_CANDIDATES, want))
                cands = self._rank(searcher, art_searcher, built, doc_hits, DOC_SHARE[plan.mode]) if doc_hits else []
                kept = len(doc_hits)
        finally:
            counts = facets_job.result() if facets_job is not None else None
        # Every match was read when the search returned fewer hits than asked for; the candidates hold
        # them all when none was cut after the prior (whatever the total says, exact or estimated).
        complete = len(res.hits) < limit and kept >= len(res.hits)
        if counts is None:
            return Ranked(searcher, art_searcher, built, int(getattr(res, "count", 0) or 0), {}, cands, complete)
        return Ranked(searcher, art_searcher, built, counts.total, counts.facets, cands, complete, counts.estimated)

    def _broad_pool(self, searcher: tantivy.Searcher, built: Built, docs_q: Query,
                    limit: int) -> tuple[Any, list[Any]]:
        """The ``limit`` best candidates of a broad question, found through its flat union.

        The union ranks with block-max WAND (queries.broad_candidates) and scores a document exactly as
        the document query does (the same body and title term queries, summed). The difference: the
        union does not require the minimum number of key terms, so a candidate may hold fewer of them
        than the count's rule (on the lawmix corpus, a median of 3 of the best 200 did). Rescoring the
        candidates with the document query to drop those cost more than the union saved
        (docs/benchmarks.md, "Bounded counting"); such a candidate ranks by its article score like any
        other. Returns the union's result and its hits, best first.
        """
        assert built.broad is not None
        res = searcher.search(built.broad, limit=limit, count=False)
        return res, list(res.hits)

    def best_articles_within(self, art_searcher: tantivy.Searcher, articles: Query, keys: list[int],
                             limit: int = ARTICLE_CANDIDATES) -> list[tuple[float, tantivy.DocAddress]]:
        """The ``limit`` best articles of the documents with ``keys`` in the articles index, best first,
        their scores multiplied by the prior.

        Here tantivy applies the prior itself (``weight_by_field``, the product of :func:`_with_prior`):
        the query only reaches the candidates' few thousand articles, so weighing every match is cheap,
        and exact.

        One query on the calling thread. Sought in two halves on two threads (as until issue 17), the
        stage cost more CPU on both bench corpora and was no faster while the facets occupy the other
        core, which they do on every results page (docs/benchmarks.md, "The article stage on one thread").
        """
        q = Query.boolean_query([(Occur.Must, articles), (Occur.Must, _within(self.article_schema, keys))])
        return list(art_searcher.search(q, limit=limit, count=False, weight_by_field="weight").hits)

    def _rank(self, searcher: tantivy.Searcher, art_searcher: tantivy.Searcher, built: Built,
              doc_hits: list[tuple[float, tantivy.DocAddress]], doc_share: float) -> list[Candidate]:
        """Order the candidate documents by document score and best article.

        Articles are sought only within the candidates: when the query has fewer matches than
        DOC_CANDIDATES every match is a candidate, and otherwise the best documents by their own score
        are, so no document outside them can enter through an article (which would have to match the
        document query anyway). Restricting the article query makes it read a few thousand article
        records instead of every matching article of the index.
        """
        keys = doc_keys(searcher, [a for _, a in doc_hits])
        by_key: dict[int, Candidate] = {}
        for (score, addr), key in zip(doc_hits, keys, strict=True):
            by_key[key] = Candidate(key=key, doc_score=float(score), doc_addr=addr)
        art_hits = self.best_articles_within(art_searcher, built.articles, list(by_key))
        art_keys = doc_keys(art_searcher, [a for _, a in art_hits])
        for (score, addr), key in zip(art_hits, art_keys, strict=True):
            c = by_key[key]
            if c.art_addr is None:
                c.art_best, c.art_addr = float(score), addr
            else:
                c.art_more += float(score)
        cands = list(by_key.values())
        max_doc = max((c.doc_score for c in cands), default=0.0) or 1.0
        max_art = max((c.art_best for c in cands), default=0.0) or 1.0

        def final(c: Candidate) -> float:
            art = c.art_best + ARTICLE_SUPPORT * min(c.art_more, 2 * c.art_best)
            return doc_share * c.doc_score / max_doc + (1 - doc_share) * art / max_art

        for c in cands:
            c.doc_score = final(c)
        cands.sort(key=lambda c: c.doc_score, reverse=True)
        return cands


def doc_keys(searcher: tantivy.Searcher, addrs: list[tantivy.DocAddress]) -> list[int]:
    """The document key of each record (a document record, or an article record of the articles index)."""
    return [int(k or 0) for k in searcher.fast_field_values("key", addrs)]


def _side_threads() -> ThreadPoolExecutor:
    """Threads for the parts of a search that run beside its ranking thread (the facet aggregation); four
    at a time (more would only share the same cores). Their tasks never wait on one another, so a full
    pool only queues them."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="search-side")


def _body_freq(searcher: tantivy.Searcher, broad_from: int) -> Callable[[str], int] | None:
    """Number of document records whose body holds a term; None on an index of at most ``broad_from``
    documents (no question there takes the broad path: the laws corpus, STARD, never does)."""
    if searcher.doc_freq("kind", DOC) <= broad_from:
        return None
    return lambda term: int(searcher.doc_freq("body", term))


def _idf(searcher: tantivy.Searcher) -> Idf:
    """BM25 idf of a term in a field of the document index, as tantivy computes it for a term query
    (ln(1 + (N − n + 0.5) / (n + 0.5)), N the documents of the snapshot, n those holding the term)."""
    n_docs = searcher.num_docs

    def idf(field: str, term: str) -> float:
        n = int(searcher.doc_freq(field, term))
        return math.log(1.0 + (n_docs - n + 0.5) / (n + 0.5))

    return idf


def _share(art_searcher: tantivy.Searcher) -> Callable[[str], float] | None:
    """Fraction of article records holding a term (None while the index is too small to tell)."""
    n = art_searcher.num_docs
    if n < COMMON_MIN_RECORDS:
        return None

    def share(term: str) -> float:
        return float(art_searcher.doc_freq("a_text", term)) / n

    return share


def _with_prior(searcher: tantivy.Searcher, hits: list[tuple[Any, tantivy.DocAddress]],
                limit: int) -> list[tuple[float, tantivy.DocAddress]]:
    """The best ``limit`` of ``hits`` (best RAW_POOL × limit by relevance) once multiplied by their prior.

    The product is tantivy's ``weight_by_field`` (score × log2(2 + weight)), computed for these hits only:
    for the document query, asking tantivy for it weighs every match, a large share of a broad question's
    cost (docs/benchmarks.md; the article query, restricted to the candidates, does use it). A match
    outside the raw pool could only enter if its prior outweighed the relevance of more than ``limit``
    better matches; the priors of unpinned documents differ by less than 1.5×, so only a pinned document
    far down the relevance order can be missed.
    """
    if not hits:
        return []
    weights = searcher.fast_field_values("weight", [addr for _, addr in hits])
    out = [(float(score) * math.log2(2.0 + float(w or 0.0)), addr) for (score, addr), w in zip(hits, weights, strict=True)]
    out.sort(key=lambda h: h[0], reverse=True)
    return out[:limit]


def _within(schema: tantivy.Schema, keys: Iterable[int]) -> Query:
    """Records of the documents with these keys (in the index of ``schema``), adding no score.

    Direct term lookups, not a term set query: tantivy answers a term set by walking the term
    dictionary with an automaton, slower than a few hundred lookups. Joined as a disjunction-max, not
    a boolean union, for the reason given in :func:`search.embedded.queries._sum`. Figures for both:
    docs/benchmarks.md, "What changed in the engine (third pass)".
    """
    terms = [Query.term_query(schema, "key_term", str(k)) for k in keys]
    if not terms:
        return Query.empty_query()
    return Query.const_score_query(Query.disjunction_max_query(terms, tie_breaker=0.0), 0.0)


__all__ = ["DOC_CANDIDATES", "Candidate", "Ranked", "Ranker", "cache_key", "doc_keys"]
