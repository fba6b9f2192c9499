"""One page of hits of the embedded engine: payloads, best articles and snippets of ranked candidates.

Guaranteed: a hit whose document has a matching article names the best one, whatever the sort order
(a date-sorted ranking names none: one article query for the whole page does); its snippet shows the
matched terms of that article, or of the title and 文号 when only they matched.
"""

from __future__ import annotations

from typing import Any

import tantivy

from search.embedded.articles import load_article
from search.embedded.queries import Built
from search.embedded.ranking import Candidate, Ranker, doc_keys
from search.embedded.schema import doc_key, load_payload
from search.model import SearchHit, SearchQuery
from search.query import QueryPlan
from search.snippets import make_snippet, without_label

# Articles read to name the best one of each page hit lacking it: a page's documents' best articles.
BEST_ARTICLE_LOOKUP = 1000


def page_hits(ranker: Ranker, searcher: tantivy.Searcher, art_searcher: tantivy.Searcher, built: Built | None,
              plan: QueryPlan, cands: list[Candidate], query: SearchQuery) -> list[SearchHit]:
    """The hits of ``cands`` (one page, in order), read from the snapshots they were ranked on (the
    document index's ``searcher``, the articles index's ``art_searcher``)."""
    terms = plan.highlight_terms()
    payloads = {id(c): load_payload(searcher.doc(c.doc_addr)) for c in cands if c.doc_addr is not None}
    if built is not None:
        _name_best_articles(ranker, art_searcher, built,
                            [c for c in cands if c.doc_addr is not None and c.art_addr is None], payloads)
    hits: list[SearchHit] = []
    for c in cands:
        if c.doc_addr is None:
            continue
        payload = payloads[id(c)]
        article = load_article(art_searcher.doc(c.art_addr)) if c.art_addr is not None else None
        snippet = _snippet(payload, article, terms) if query.with_snippets else None
        hits.append(SearchHit(id=payload["id"], score=round(c.doc_score, 6), snippet=snippet,
                              article=article["number"] if article else None))
    return hits


def _snippet(payload: dict[str, Any], article: dict[str, Any] | None, terms: list[str]) -> str:
    """From the best article (or the text outside articles); from the title and 文号 if only they match."""
    source = without_label(article["text"], article.get("number")) if article else (payload.get("body") or "")
    snippet = make_snippet(source, terms)
    if "<mark>" not in snippet:
        heading = " ".join(x for x in (payload.get("title"), payload.get("doc_number")) if x)
        titled = make_snippet(heading, terms)
        if "<mark>" in titled or not snippet:
            snippet = titled
    return snippet


def _name_best_articles(ranker: Ranker, art_searcher: tantivy.Searcher, built: Built, cands: list[Candidate],
                        payloads: dict[int, dict[str, Any]]) -> None:
    """Best article of page hits that ranking did not name one for: one query for the whole page."""
    if not cands:
        return
    by_key = {(c.key or doc_key(payloads[id(c)]["id"])): c for c in cands}
    # (the prior is one per document, so it cannot change which article of a document is best)
    hits = ranker.best_articles_within(art_searcher, built.articles, list(by_key), BEST_ARTICLE_LOOKUP)
    for (_, addr), key in zip(hits, doc_keys(art_searcher, [a for _, a in hits]), strict=True):
        c = by_key.get(key)
        if c is not None and c.art_addr is None:  # hits come best first
            c.art_addr = addr


__all__ = ["BEST_ARTICLE_LOOKUP", "page_hits"]
