"""``/api/v1/search`` and ``/api/v1/suggest``: full-text search and type-ahead. Public and rate-limited."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Response

from registry.api.schemas import ERRORS, RATE_LIMITED, SearchResponse, SuggestItem, Year
from registry.errors import InvalidInput
from registry.http.deps import RegistryDep
from registry.http.ratelimit import rate_limit
from registry.rules.dates import parse_date
from search.model import MAX_RESULT_WINDOW, ArticleScope, SearchQuery, SortOrder, Unit

router = APIRouter(tags=["search"], dependencies=[Depends(rate_limit)])


@router.get("/api/v1/search", summary="Full-text search with filters, facets and snippets",
            response_model=SearchResponse, responses={**ERRORS, **RATE_LIMITED})
def search(
    registry: RegistryDep,
    q: Annotated[str, Query(max_length=500)] = "",
    status: Annotated[list[str] | None, Query()] = None,
    issuer: Annotated[list[str] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[Year] | None, Query()] = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
    sort: Annotated[SortOrder, Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 10,
    unit: Annotated[Unit, Query(description="document (default) or article: each hit one article")] = "document",
    articles: Annotated[ArticleScope, Query(description="unit=article: all, or in_force (only articles in force "
                                                         "today)")] = "all",
) -> Response:
    if page * per_page > MAX_RESULT_WINDOW:
        raise InvalidInput(f"only the first {MAX_RESULT_WINDOW} results can be paged; narrow the search "
                           "(filters, more words) or download the export",
                           details={"max_result_window": MAX_RESULT_WINDOW, "page": page, "per_page": per_page})
    params = SearchQuery(q=q, statuses=status or [], issuers=issuer or [], categories=category or [],
                          years=year or [], date_from=parse_date(date_from, "date_from"),
                          date_to=parse_date(date_to, "date_to"), sort=sort, page=page, per_page=per_page,
                          unit=unit, articles=articles)
    if unit == "article":
        return Response(orjson.dumps(registry.search_articles(params)), media_type="application/json")
    if articles != "all":
        raise InvalidInput("articles=in_force 仅用于按条文检索，请同时指定 unit=article / articles=in_force needs "
                           "unit=article", details={"articles": articles, "unit": unit})
    # The service builds exactly the SearchResponse shape (the API tests and schemathesis check it), so
    # the page is serialised once, not validated into models and dumped again: the busiest route.
    return Response(orjson.dumps(registry.search(params)), media_type="application/json")


@router.get("/api/v1/suggest", summary="Type-ahead over titles and 文号", response_model=list[SuggestItem],
            responses={**ERRORS, **RATE_LIMITED})
def suggest(
    registry: RegistryDep,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
) -> list[dict[str, Any]]:
    return registry.suggest(q, limit) if q.strip() else []
