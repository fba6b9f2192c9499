"""Pages for follows: follow a document or a search, the follow's page with its feed and the e-mail
form, and the confirm / unsubscribe pages the mailed links open.

Links in mail only ever show a page with one button (mail scanners fetch links, they do not submit
forms); the button POSTs. The unsubscribe URL also takes the RFC 8058 one-click POST that mail programs
send (``List-Unsubscribe=One-Click`` in the body), so it unsubscribes with no page at all.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from registry.errors import InvalidInput
from registry.http.deps import RegistryDep
from registry.http.ratelimit import rate_limit
from registry.web.i18n import pick_lang
from registry.web.render import render

router = APIRouter(include_in_schema=False)
LangQ = Annotated[str | None, Query(max_length=5)]
TokenQ = Annotated[str, Query(max_length=128)]
FILTERS = ("status", "issuer", "category", "year")


def _suffix(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


@router.get("/follows/new", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def new_search_follow(
    request: Request, lang: LangQ = None, q: Annotated[str, Query(max_length=500)] = "",
    status: Annotated[list[str] | None, Query()] = None, issuer: Annotated[list[str] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None, year: Annotated[list[str] | None, Query()] = None,
) -> HTMLResponse:
    """关注此检索: what would be followed, and one button."""
    filters = {k: v for k, v in (("status", status), ("issuer", issuer), ("category", category), ("year", year)) if v}
    return render(request, "follow_new.html", pick_lang(lang), q=q, filters=filters)


@router.post("/follows", dependencies=[Depends(rate_limit)])
async def create_follow(request: Request, registry: RegistryDep, lang: LangQ = None) -> RedirectResponse:
    form = await request.form()
    document = str(form.get("document") or "") or None
    filters = {k: [str(v) for v in form.getlist(k) if str(v)] for k in FILTERS if form.getlist(k)}
    follow = registry.follow(document=document, query=str(form.get("q") or ""), filters=filters)
    return RedirectResponse(f"/follows/{follow['id']}{_suffix(pick_lang(lang))}", status_code=303)


@router.get("/follows/{follow_id}", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def follow_page(request: Request, follow_id: str, registry: RegistryDep, lang: LangQ = None) -> HTMLResponse:
    follow = registry.get_follow(follow_id)
    return render(request, "follow.html", pick_lang(lang), follow=follow,
                  notices=registry.follow_notices(follow_id, limit=20))


@router.post("/follows/{follow_id}/subscribe", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def subscribe(request: Request, follow_id: str, registry: RegistryDep, email: Annotated[str, Form(max_length=254)],
              frequency: Annotated[str, Form(max_length=20)] = "immediate", lang: LangQ = None) -> HTMLResponse:
    lg = pick_lang(lang)
    try:
        sub = registry.subscribe(follow_id, email=email, frequency=frequency)
    except InvalidInput as exc:
        return render(request, "follow.html", lg, status_code=422, follow=registry.get_follow(follow_id),
                      notices=registry.follow_notices(follow_id, limit=20), error=exc.message, email=email)
    return render(request, "follow_message.html", lg, message_key="sub_sent", email=sub["email"])


@router.get("/follows/confirm/{sub_id}", response_class=HTMLResponse)
def confirm_page(request: Request, sub_id: str, t: TokenQ, lang: LangQ = None) -> HTMLResponse:
    return render(request, "follow_message.html", pick_lang(lang), title_key="sub_confirm_title",
                  button_key="sub_confirm_go", action=f"/follows/confirm/{quote(sub_id)}?t={quote(t, safe='')}")


@router.post("/follows/confirm/{sub_id}", response_class=HTMLResponse)
def confirm(request: Request, sub_id: str, t: TokenQ, registry: RegistryDep, lang: LangQ = None) -> HTMLResponse:
    sub = registry.confirm_subscription(sub_id, t)
    return render(request, "follow_message.html", pick_lang(lang), message_key="sub_confirmed", email=sub["email"],
                  follow_id=sub["follow_id"])


@router.get("/follows/unsubscribe/{sub_id}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, sub_id: str, t: TokenQ, lang: LangQ = None) -> HTMLResponse:
    return render(request, "follow_message.html", pick_lang(lang), title_key="unsub_title", button_key="unsub_go",
                  action=f"/follows/unsubscribe/{quote(sub_id)}?t={quote(t, safe='')}")


@router.post("/follows/unsubscribe/{sub_id}", response_class=HTMLResponse)
def unsubscribe(request: Request, sub_id: str, t: TokenQ, registry: RegistryDep, lang: LangQ = None) -> HTMLResponse:
    """The form's button and RFC 8058 one-click POSTs alike."""
    sub = registry.unsubscribe(sub_id, t)
    return render(request, "follow_message.html", pick_lang(lang), message_key="unsub_done", email=sub["email"])
