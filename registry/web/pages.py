"""Public pages: search, a document, the validity check, and the widget with its demo.

Pages are plain server-rendered HTML that work without JavaScript; each parses its input, calls the
same registry method as the API and renders one template.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from registry.errors import Ambiguous, NormregError, NotFound
from registry.http.deps import RegistryDep, Year
from registry.http.ratelimit import rate_limit
from registry.rules.dates import parse_date
from registry.rules.status import Status
from registry.web.downloads import download
from registry.web.i18n import pick_lang, t
from registry.web.pages_versions import document_context as versions_context
from registry.web.render import banner, render
from search.model import MAX_RESULT_WINDOW, SearchQuery, SortOrder

STATIC = Path(__file__).parent / "static"
router = APIRouter(include_in_schema=False)
LangQ = Annotated[str | None, Query(max_length=5)]


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def search_page(
    request: Request, registry: RegistryDep, lang: LangQ = None,
    q: Annotated[str, Query(max_length=500)] = "",
    status: Annotated[list[str] | None, Query()] = None,
    issuer: Annotated[list[str] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[Year] | None, Query()] = None,
    sort: Annotated[SortOrder, Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_RESULT_WINDOW // 10)] = 1,
) -> HTMLResponse:
    lg = pick_lang(lang)
    params = SearchQuery(q=q, statuses=status or [], issuers=issuer or [], categories=category or [],
                          years=year or [], sort=sort, page=page, per_page=10)
    result = registry.search(params)
    filters = {"status": status or [], "issuer": issuer or [], "category": category or [],
               "year": [str(y) for y in year or []]}
    base = {"q": q, **filters, "sort": sort if sort != "relevance" else None, "lang": "en" if lg == "en" else None}
    pages = max(1, -(-result["total"] // params.per_page))
    status_labels = {s.value: (s.label if lg == "zh" else s.label_en) for s in Status}
    return render(request, "search.html", lg, q=q, result=result, filters=filters, base=base, sort=sort,
                  page=page, pages=min(pages, MAX_RESULT_WINDOW // 10), status_labels=status_labels)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str, registry: RegistryDep, lang: LangQ = None) -> HTMLResponse:
    lg = pick_lang(lang)
    data = registry.get_document(document_id)
    answer = registry.check(document_id)
    _, events = registry.list_events(document_id, limit=1000)
    return render(request, "document.html", lg, doc=data, answer=answer, sentence=banner(answer, lg),
                  events=events, status_label=answer["label"] if lg == "zh" else answer["label_en"],
                  article_marks=registry.article_marks(document_id), **versions_context(registry, document_id))


@router.get("/documents/{document_id}/file")
def document_file(document_id: str, registry: RegistryDep) -> Response:
    """The newest source file, always as a download and sandboxed, so a stored HTML file cannot run."""
    found = registry.source_file(document_id)
    if found is None:
        raise NotFound("this document has no stored source file")
    doc, opened, _ = found
    suffix = opened.suffix
    media = "application/pdf" if suffix == ".pdf" else (mimetypes.types_map.get(suffix) or "application/octet-stream")
    return download(opened, media_type=media, filename=f"{doc.title[:80]}{suffix}".replace("/", "_"))


@router.get("/check", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def check_page(request: Request, registry: RegistryDep, lang: LangQ = None,
               ref: Annotated[str, Query(max_length=500)] = "",
               at: Annotated[str, Query(max_length=10)] = "") -> HTMLResponse:
    lg = pick_lang(lang)
    ctx: dict[str, Any] = {"ref": ref, "at": at, "answer": None, "candidates": None, "problem": None}
    if ref.strip():
        try:
            ans = registry.check(ref, parse_date(at, "at"))
            ctx.update(answer=ans, sentence=banner(ans, lg),
                       status_label=ans["label"] if lg == "zh" else ans["label_en"])
        except Ambiguous as exc:
            ctx["candidates"] = (exc.details or {}).get("candidates", [])
        except NotFound:
            ctx["problem"] = t("not_found", lg)
        except NormregError as exc:
            ctx["problem"] = exc.message
    return render(request, "check.html", lg, **ctx)


@router.get("/widget.js")
def widget_js() -> Response:
    """The embeddable widget; cacheable, loadable from any site (CORP cross-origin)."""
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"})


@router.get("/widget-demo", response_class=HTMLResponse)
def widget_demo(request: Request, lang: LangQ = None) -> HTMLResponse:
    origin = str(request.base_url).rstrip("/")
    return render(request, "widget_demo.html", pick_lang(lang), origin=origin)
