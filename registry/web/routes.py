"""Page routes: search, a document, the validity check, staff sign-in, and the widget with its demo.

Pages are plain server-rendered HTML that work without JavaScript; each parses its input, calls the
same service function as the API and renders one template.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from registry.api.deps import RegistryDep, SessionDep
from registry.api.ratelimit import rate_limit
from registry.api.schemas import Year
from registry.errors import Ambiguous, InvalidInput, NormregError, NotFound
from registry.services import documents as documents_service
from registry.services.auth import authenticate
from registry.services.events import list_events
from registry.services.search import search_documents
from registry.services.validity import check
from registry.status import Status
from registry.web.i18n import pick_lang, t
from registry.web.render import banner, make_env
from registry.web.staff import COOKIE, MAX_AGE, csrf_token, staff_actor
from search.model import SearchQuery, SortOrder

STATIC = Path(__file__).parent / "static"
router = APIRouter(include_in_schema=False)
env = make_env()
LangQ = Annotated[str | None, Query(max_length=5)]


def render(request: Request, name: str, lang: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    params = dict(request.query_params.multi_items())
    switch_params = {k: v for k, v in params.items() if k != "lang"}
    if lang == "zh":
        switch_params["lang"] = "en"
    ctx.update(request=request, lang=lang, path=request.url.path, lang_switch=switch_params)
    html = env.get_template(name).render(**ctx)
    return HTMLResponse(html, status_code=status_code)


def render_error_page(request: Request, status: int, error: dict[str, Any], headers: dict[str, str] | None) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    resp = render(request, "error.html", lang, status_code=status, error=error, status=status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _day(value: str | None) -> Any:
    from datetime import date

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput("日期格式应为 YYYY-MM-DD", details={"at": value}) from exc


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def search_page(
    request: Request, registry: RegistryDep, session: SessionDep, lang: LangQ = None,
    q: Annotated[str, Query(max_length=500)] = "",
    status: Annotated[list[str] | None, Query()] = None,
    issuer: Annotated[list[str] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[Year] | None, Query()] = None,
    sort: Annotated[SortOrder, Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    lg = pick_lang(lang)
    params = SearchQuery(q=q, statuses=status or [], issuers=issuer or [], categories=category or [],
                          years=year or [], sort=sort, page=page, per_page=10)
    result = search_documents(session, registry.backend, params)
    filters = {"status": status or [], "issuer": issuer or [], "category": category or [],
               "year": [str(y) for y in year or []]}
    base = {"q": q, **filters, "sort": sort if sort != "relevance" else None, "lang": "en" if lg == "en" else None}
    pages = max(1, -(-result["total"] // params.per_page))
    status_labels = {s.value: (s.label if lg == "zh" else s.label_en) for s in Status}
    return render(request, "search.html", lg, q=q, result=result, filters=filters, base=base, sort=sort,
                  page=page, pages=min(pages, 1000), status_labels=status_labels)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str, registry: RegistryDep, session: SessionDep,
                  lang: LangQ = None) -> HTMLResponse:
    lg = pick_lang(lang)
    doc = documents_service.get_document(session, document_id)
    data = documents_service.show(session, doc)
    answer = check(session, doc.id, registry.today(), settings=registry.settings)
    _, events = list_events(session, document_id=doc.id, limit=1000)
    return render(request, "document.html", lg, doc=data, answer=answer, sentence=banner(answer, lg),
                  events=events, status_label=answer["label"] if lg == "zh" else answer["label_en"])


@router.get("/documents/{document_id}/file")
def document_file(document_id: str, registry: RegistryDep, session: SessionDep) -> Response:
    """The newest source file, always as a download and sandboxed, so a stored HTML file cannot run."""
    doc = documents_service.get_document(session, document_id)
    files = [f for f in documents_service.source_files_of(session, doc.id) if f.stored_name]
    if not files:
        raise NotFound("this document has no stored source file")
    sf = files[-1]
    path = (registry.settings.files_dir / str(sf.stored_name)).resolve()
    if registry.settings.files_dir.resolve() not in path.parents or not path.is_file():
        raise NotFound("the stored source file is missing")
    suffix = path.suffix.lower()
    media = "application/pdf" if suffix == ".pdf" else (mimetypes.types_map.get(suffix) or "application/octet-stream")
    if media.startswith("text/"):
        media = "application/octet-stream"  # never render stored HTML or text from our origin
    name = f"{doc.title[:80]}{suffix}".replace("/", "_")
    return FileResponse(path, media_type=media, filename=name, content_disposition_type="attachment",
                        headers={"Content-Security-Policy": "sandbox; default-src 'none'"})


@router.get("/check", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def check_page(request: Request, registry: RegistryDep, session: SessionDep, lang: LangQ = None,
               ref: Annotated[str, Query(max_length=500)] = "",
               at: Annotated[str, Query(max_length=10)] = "") -> HTMLResponse:
    lg = pick_lang(lang)
    ctx: dict[str, Any] = {"ref": ref, "at": at, "answer": None, "candidates": None, "problem": None}
    if ref.strip():
        try:
            day = _day(at) or registry.today()
            ans = check(session, ref, day, settings=registry.settings)
            ctx.update(answer=ans, sentence=banner(ans, lg),
                       status_label=ans["label"] if lg == "zh" else ans["label_en"])
        except Ambiguous as exc:
            ctx["candidates"] = (exc.details or {}).get("candidates", [])
        except NotFound:
            ctx["problem"] = t("not_found", lg)
        except NormregError as exc:
            ctx["problem"] = exc.message
    return render(request, "check.html", lg, **ctx)


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request, lang: LangQ = None) -> HTMLResponse:
    lg = pick_lang(lang)
    actor = staff_actor(request)
    if actor is None:
        return render(request, "staff_signin.html", lg, problem=None)
    return render(request, "staff.html", lg, actor=actor, csrf=csrf_token(request))


@router.post("/staff/sign-in", response_class=HTMLResponse)
def staff_sign_in(request: Request, token: Annotated[str, Form(max_length=200)], lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    with request.app.state.registry.read_session() as session:
        actor = authenticate(session, token.strip())
    if actor is None:
        return render(request, "staff_signin.html", lg, status_code=401, problem=t("bad_token", lg))
    resp = RedirectResponse("/staff" + ("?lang=en" if lg == "en" else ""), status_code=303)
    resp.set_cookie(COOKIE, token.strip(), max_age=MAX_AGE, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/")
    return resp


@router.post("/staff/sign-out")
def staff_sign_out(lang: LangQ = None) -> Response:
    resp = RedirectResponse("/staff" + ("?lang=en" if lang == "en" else ""), status_code=303)
    resp.delete_cookie(COOKIE, path="/")
    return resp


@router.get("/widget.js")
def widget_js() -> Response:
    """The embeddable widget; cacheable, loadable from any site (CORP cross-origin)."""
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"})


@router.get("/widget-demo", response_class=HTMLResponse)
def widget_demo(request: Request, lang: LangQ = None) -> HTMLResponse:
    origin = str(request.base_url).rstrip("/")
    return render(request, "widget_demo.html", pick_lang(lang), origin=origin)


def mount_web(app: FastAPI) -> None:
    from registry.web.staff_clearing import router as clearing_router

    app.include_router(router)
    app.include_router(clearing_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.render_error_page = render_error_page
