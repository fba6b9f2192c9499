"""Search by article (``unit=article``): the backend ranks articles, the registry says what each one is.

As for documents (:mod:`registry.services.search`), titles and statuses come from the registry, not
the index; an article's own status comes from its recorded validity (:mod:`registry.models.articles`),
so a hit says "not in force since …, because …" as the document page does.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.models import ArticleValidity, Document
from registry.rules.status import Status
from registry.services.article_validity import status_of
from registry.services.search import MAX_PER_PAGE, MAX_QUERY_CHARS
from search.model import SearchBackend, SearchQuery, UnsupportedQuery


def _check(query: SearchQuery) -> SearchQuery:
    if query.sort not in ("relevance", "newest", "oldest"):
        raise InvalidInput("排序方式须为 relevance、newest 或 oldest / sort must be relevance, newest or oldest",
                           details={"sort": query.sort})
    if query.articles not in ("all", "in_force"):
        raise InvalidInput("articles 须为 all 或 in_force / articles must be all or in_force",
                           details={"articles": query.articles})
    for s in query.statuses:
        Status.require(s)
    if not 1 <= query.per_page <= MAX_PER_PAGE:
        raise InvalidInput(f"每页条数须在 1 到 {MAX_PER_PAGE} 之间 / per_page must be between 1 and {MAX_PER_PAGE}")
    if not 1 <= query.page <= 1000:
        raise InvalidInput("页码须在 1 到 1000 之间 / page must be between 1 and 1000")
    return replace(query, q=query.q[:MAX_QUERY_CHARS], unit="article", with_facets=False)


def search_articles(session: Session, backend: SearchBackend, query: SearchQuery, today: date) -> dict[str, Any]:
    """``{"total", "hits", "facets": {}, "took_ms", "unit": "article"}``: every hit one article."""
    started = time.perf_counter()
    try:
        result = backend.search(_check(query))
    except UnsupportedQuery as exc:
        raise InvalidInput("当前检索后端不支持按条文检索 / this search backend does not answer article searches "
                           "(unit=article)", details={"unit": "article", "backend": str(exc)}) from exc
    ids = sorted({h.id for h in result.hits})
    docs = {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(ids)))} if ids else {}
    voids: dict[tuple[str, int], ArticleValidity] = {}
    if ids:
        for row in session.exec(select(ArticleValidity).where(col(ArticleValidity.document_id).in_(ids),
                                                              col(ArticleValidity.ordinal).is_not(None))):
            voids[(row.document_id, int(row.ordinal or 0))] = row
    hits = []
    for h in result.hits:
        doc = docs.get(h.id)
        if doc is None or doc.published_at is None:  # gone from the registry: the outbox will remove it
            continue
        status = Status.of(doc.status) or Status.UNKNOWN
        void = voids.get((doc.id, h.ordinal or 0))
        own = Status.of(status_of(status.value, void, today)) or Status.UNKNOWN
        hits.append({
            "id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer,
            "publication_date": doc.publication_date.isoformat() if doc.publication_date else None,
            "status": status.value, "label": status.label, "score": round(h.score, 4), "snippet": h.snippet,
            "article": h.article, "ordinal": h.ordinal, "heading": h.heading,
            "article_status": own.value, "article_label": own.label,
            "article_void_from": void.void_from.isoformat() if void else None,
            "article_void_reason": void.reason if void else None,
        })
    return {"total": result.total, "hits": hits, "facets": {}, "unit": "article",
            "took_ms": round((time.perf_counter() - started) * 1000, 2)}

