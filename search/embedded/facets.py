"""Facet counts of the embedded engine: one tantivy aggregation over every match of the document query.

Computed in Rust (tantivy releases the GIL), so it runs on a side thread beside the ranking and a broad
query costs the longer of the two, not their sum. Every document record has a status, so the status
buckets sum to the query's total: the ranking need not count matches itself.
"""

from __future__ import annotations

import tantivy
from tantivy import Query

from search.model import FACET_FIELDS

# Buckets kept per facet: every status and every year, the most frequent issuers and categories.
FACET_SIZES = {"status": 20, "issuer": 100, "category": 50, "year": 200}

Facets = dict[str, dict[str, int]]  # facet field → value → number of matching documents


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


def _label(key: object) -> str:
    """A bucket key as the API shows it: years come back from tantivy as floats."""
    return str(int(key)) if isinstance(key, float) else str(key)


__all__ = ["FACET_SIZES", "Facets", "facet_counts", "no_facets", "total_of"]
