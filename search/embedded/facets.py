"""Total and facet counts of the embedded engine: exact for ordinary match sets, estimated (and said so)
for very broad ones.

Counting is one tantivy aggregation over the matches of the document query, computed in Rust (tantivy
releases the GIL), so it runs on a side thread beside the ranking. Every document record has a status,
so the status buckets sum to the query's total: the ranking need not count matches itself.

Bounded counting. An aggregation visits every match, so its cost grows with the match set: a citizen's
question over a broad collection matches 85-99 % of it, and at 100,000 documents the exact total and
four facets cost more than the rest of the page together (docs/benchmarks.md, "Bounded counting").
So, on an index of more than ``exact_matches`` documents, the matches are first counted on a *sample*:
the documents whose ``sample`` field (key % 64, a uniform pseudo-random split, schema.py) falls in the
first bucket (a probe), then, only if the probe finds the set broad, in the first few buckets, enough
to hold about ``sample_docs`` documents. Then:

- if the sample says the match set has at most ``exact_matches`` × :data:`MARGIN` documents, the
  matches are counted again, exactly, over the whole index (so a match set below ``exact_matches`` is
  always counted exactly: for its sample to exceed the margin it would have to be more than six
  standard deviations above its expectation, see :func:`margin_sigmas`);
- otherwise total and facet counts are the sample's counts scaled by (documents / sampled documents)
  and flagged as estimates. The relative standard error of a scaled count c is about
  sqrt((1 - f) / (f · c)) for a sample share f (1/64 at the defaults): 2.6 % for a total of 90,000,
  25 % for an issuer with 1,000 matches; a value with no match in the sample is absent.

Guaranteed: ``estimated`` is False exactly when every count is exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import tantivy
from tantivy import Occur, Query

from search.embedded.schema import DOC, SAMPLE_BUCKETS
from search.model import FACET_FIELDS

# Buckets kept per facet: every status and every year, the most frequent issuers and categories.
FACET_SIZES = {"status": 20, "issuer": 100, "category": 50, "year": 200}
# Match sets up to this size are counted exactly. The four-facet aggregation costs 0.5-1.25 µs of CPU per
# match on this machine (docs/benchmarks.md, "Bounded counting"), so 10,000 matches cost 4-10 ms beside
# the ranking: the most a first-time page can spend on counts within its 15 ms.
EXACT_MATCHES = 10_000
# Documents in the sample, rounded up to whole buckets of 1/64; 0: one bucket. One bucket (1,562 of
# 100,000 documents) costs a third of an exact count of a broad question; eleven buckets (17 % at 50,000)
# cost as much as the exact count itself (docs/benchmarks.md, "Bounded counting"), so production uses
# one: a total of 90 % of 100,000 documents is then estimated within about 2.6 % (one standard error).
SAMPLE_DOCS = 0
# A sample estimate up to EXACT_MATCHES × MARGIN still leads to an exact count, so that sampling noise
# cannot turn a match set below EXACT_MATCHES into an estimate (6.3 standard deviations of a one-bucket
# sample, whatever the size of the index).
MARGIN = 1.5

Facets = dict[str, dict[str, int]]  # facet field → value → number of matching documents


@dataclass(slots=True)
class Counts:
    """The total and facets of one query; ``estimated`` when both come from the sample."""

    total: int
    facets: Facets
    estimated: bool = False


@dataclass(frozen=True, slots=True)
class Bounds:
    """When counting is exact and how large the sample is (the defaults above; tests use smaller ones)."""

    exact_matches: int = EXACT_MATCHES
    sample_docs: int = SAMPLE_DOCS


def no_facets() -> Facets:
    """The facets of a query that matches nothing: every field, no values."""
    return {f: {} for f in FACET_FIELDS}


def facet_counts(searcher: tantivy.Searcher, docs: Query) -> Facets:
    """Counts per value of every facet field over the document records matching ``docs``."""
    agg = {f: {"terms": {"field": f, "size": FACET_SIZES[f]}} for f in FACET_FIELDS}
    raw = searcher.aggregate(docs, agg)
    out: Facets = {}
    for f in FACET_FIELDS:
        buckets = raw.get(f, {}).get("buckets", [])
        out[f] = {_label(b["key"]): int(b["doc_count"]) for b in buckets}
    return out


def total_of(facets: Facets) -> int:
    """The number of matches, from the status buckets (every record has a status)."""
    return sum(facets["status"].values())


def sample_buckets(n_docs: int, sample_docs: int) -> int:
    """How many of the SAMPLE_BUCKETS buckets hold about ``sample_docs`` of ``n_docs`` documents."""
    return max(1, min(SAMPLE_BUCKETS, math.ceil(SAMPLE_BUCKETS * sample_docs / max(1, n_docs))))


def margin_sigmas(bounds: Bounds = Bounds(), n_docs: int = 100_000) -> float:
    """How many standard deviations of the sample's count separate a match set of exactly
    ``exact_matches`` from the margin (the chance of an estimate below the threshold)."""
    f = sample_buckets(n_docs, bounds.sample_docs) / SAMPLE_BUCKETS
    if f >= 1:
        return math.inf
    expected = bounds.exact_matches * f
    return (MARGIN - 1) * expected / math.sqrt(expected * (1 - f))


def bounded_counts(searcher: tantivy.Searcher, schema: tantivy.Schema, docs: Query,
                   bounds: Bounds = Bounds(), sampled: Callable[[Query], Query] | None = None,
                   at_most: int | None = None) -> Counts:
    """Total and facets of ``docs``: exact up to ``bounds.exact_matches`` matches, else estimated.

    First a probe on one bucket (1/64 of the documents, a sixty-fourth of an exact count's work): most
    queries match fewer than the threshold and are then counted exactly. Only when the probe says the
    set is broad is the sample of about ``sample_docs`` documents counted; if even that says it is not
    broad after all, the count is exact too, so a set below the threshold is flagged only when both
    estimates are over the margin (see :func:`margin_sigmas` for the sample's).

    ``sampled(clause)`` builds the document query restricted to the documents matching ``clause``
    (queries.build's ``sample``); without it, ``docs`` is intersected with the clause. ``at_most``: a
    known upper bound on the matches (queries.match_bound); within the margin, no probe is needed.
    """
    n_docs = searcher.doc_freq("kind", DOC)
    limit = bounds.exact_matches * MARGIN
    # A sample of more than a quarter of the index saves too little over the exact count to pay for
    # the probe (only reachable with a larger sample_docs than the default).
    narrow = at_most is not None and at_most <= limit
    if not narrow and n_docs > bounds.exact_matches and sample_buckets(n_docs, bounds.sample_docs) <= SAMPLE_BUCKETS // 4:
        for k in dict.fromkeys((1, sample_buckets(n_docs, bounds.sample_docs))):
            if k >= SAMPLE_BUCKETS:
                break
            counts, scale = _sampled(searcher, schema, docs, k, n_docs, sampled)
            if total_of(counts) * scale <= limit:
                break  # not broad: count exactly
            if k == sample_buckets(n_docs, bounds.sample_docs):
                facets = {f: {v: max(1, round(c * scale)) for v, c in values.items()}
                          for f, values in counts.items()}
                total = min(n_docs, _rounded(total_of(counts) * scale))
                return Counts(total, facets, estimated=True)
    facets = facet_counts(searcher, docs)
    return Counts(total_of(facets), facets)


def sample_clause(schema: tantivy.Schema, k: int) -> Query:
    """The document records of the first ``k`` buckets, adding no score. A union of term queries, not a
    range: its cost estimate is its size, so an intersection is led by it."""
    terms = [Query.term_query(schema, "sample", b) for b in range(k)]
    return Query.const_score_query(terms[0] if k == 1 else Query.disjunction_max_query(terms, tie_breaker=0.0), 0.0)


def _sampled(searcher: tantivy.Searcher, schema: tantivy.Schema, docs: Query, k: int, n_docs: int,
             sampled: Callable[[Query], Query] | None) -> tuple[Facets, float]:
    """The facets of ``docs`` among the documents of the first ``k`` buckets, and the scale factor."""
    clause = sample_clause(schema, k)
    query = sampled(clause) if sampled else Query.boolean_query([(Occur.Must, docs), (Occur.Must, clause)])
    sampled_counts = facet_counts(searcher, query)
    in_sample = sum(searcher.doc_freq("sample", b) for b in range(k))
    return sampled_counts, n_docs / max(1, in_sample)


def _rounded(estimate: float) -> int:
    """An estimated total to three significant digits (more would suggest a precision it lacks)."""
    if estimate < 1000:
        return round(estimate)
    step = 10 ** (int(math.log10(estimate)) - 2)
    return int(round(estimate / step) * step)


def _label(key: object) -> str:
    """A bucket key as the API shows it: years come back from tantivy as floats."""
    return str(int(key)) if isinstance(key, float) else str(key)


__all__ = ["EXACT_MATCHES", "FACET_SIZES", "MARGIN", "SAMPLE_DOCS", "Bounds", "Counts", "Facets",
           "bounded_counts", "facet_counts", "margin_sigmas", "no_facets", "sample_buckets", "total_of"]
