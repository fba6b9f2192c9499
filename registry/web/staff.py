"""``/staff``: staff sign-in for the pages, a token in an httponly, SameSite=Strict cookie.

The cookie is accepted by pages only, never by the API (which wants a bearer header), so another site
cannot make a signed-in browser write through the API. Forms on staff pages carry :func:`csrf_token`
and their handlers call :func:`check_csrf`, since a form POST does send the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.errors import Forbidden, Unauthorized
from registry.services.auth import Actor
from registry.web.i18n import pick_lang, t
from registry.web.render import render

COOKIE = "normreg_staff"
MAX_AGE = 8 * 3600  # a working day


def staff_actor(request: Request) -> Actor | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    actor: Actor | None = request.app.state.registry.authenticate(token)
    return actor


def csrf_token(request: Request) -> str:
    """A per-token value for hidden form fields; a page on another site cannot read it."""
    token = request.cookies.get(COOKIE, "")
    return hmac.new(hashlib.sha256(token.encode()).digest(), b"normreg-csrf", hashlib.sha256).hexdigest()


def check_csrf(request: Request, value: str | None) -> None:
    if not value or not hmac.compare_digest(value, csrf_token(request)):
        raise Forbidden("the form is stale or came from another site; reload the page")


def require_staff(role: str = "clerk") -> object:
    """Page dependency: the signed-in actor with at least ``role`` (401/403 render as pages)."""

    def dependency(request: Request) -> Actor:
        actor = staff_actor(request)
        if actor is None:
            raise Unauthorized("sign in at /staff first")
        if not actor.may(role):
            raise Forbidden(f"this page needs the {role} role")
        return actor

    return Depends(dependency)


StaffDep = Annotated[Actor, require_staff("clerk")]


router = APIRouter(include_in_schema=False)
LangQ = Annotated[str | None, Query(max_length=5)]


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
    actor = request.app.state.registry.authenticate(token.strip())
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
