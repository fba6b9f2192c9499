"""Pages for article-level validity: search by article, optionally only the articles in force.

``/search/articles`` is the page form of ``GET /api/v1/search?unit=article``: the same registry method,
each hit one article with its document, its own status and, when it lost effect, the day and the reason.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from registry.http.deps import RegistryDep
from registry.http.ratelimit import rate_limit
from registry.rules.status import Status
from registry.web.i18n import pick_lang
from registry.web.render import render
from search.model import SearchQuery

router = APIRouter(include_in_schema=False)
PER_PAGE = 20


def _without_label(snippet: str | None, label: str | None) -> str | None:
    """The snippet without the article's own label at its start: the page shows the label as the link."""
    if snippet and label and snippet.lstrip().startswith(label):
        return snippet.lstrip()[len(label):].lstrip(" \u3000")
    return snippet


@router.get("/search/articles", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def article_search_page(
    request: Request, registry: RegistryDep, lang: Annotated[str | None, Query(max_length=5)] = None,
    q: Annotated[str, Query(max_length=500)] = "",
    in_force: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=50)] = 1,
) -> HTMLResponse:
    lg = pick_lang(lang)
    result = None
    if q.strip():
        result = registry.search_articles(SearchQuery(q=q, unit="article", articles="in_force" if in_force else "all",
                                                      page=page, per_page=PER_PAGE))
        for h in result["hits"]:
            h["snippet"] = _without_label(h["snippet"], h["article"])
    status_labels = {s.value: (s.label if lg == "zh" else s.label_en) for s in Status}
    return render(request, "search_articles.html", lg, q=q, in_force=in_force, result=result, page=page,
                  per_page=PER_PAGE, status_labels=status_labels)
