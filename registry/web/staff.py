"""``/staff``: signing in with a username and password, the session cookie, CSRF, signing out.

The cookie holds a server-side session's secret (httponly, SameSite=Strict, Secure over HTTPS); the
session row decides whether it still works, so signing out, a password change or an admin ends it at
once and a replayed cookie gets 401. API tokens are for machines and never become a browser session.
The cookie is accepted by pages only, never by the API (which wants a bearer header), so another site
cannot make a signed-in browser write through the API. Every form carries :func:`csrf_token` and its
handler calls :func:`check_csrf`, the sign-in form included (there the token is bound to a short-lived
pre-session cookie instead of the session).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.errors import Forbidden, RateLimited, Unauthorized
from registry.http.deps import RegistryDep
from registry.rules.actors import Actor
from registry.web.i18n import pick_lang, t
from registry.web.render import render

COOKIE = "normreg_staff"
PRE_COOKIE = "normreg_signin"  # binds the sign-in form's CSRF token before there is a session


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def staff_actor(request: Request) -> Actor | None:
    """The signed-in actor of this browser, or None (no cookie, or its session has ended)."""
    secret = request.cookies.get(COOKIE)
    if not secret:
        return None
    actor: Actor | None = request.app.state.registry.session_actor(secret)
    return actor


def csrf_token(request: Request) -> str:
    """A per-session value for hidden form fields; a page on another site cannot read it."""
    secret = request.cookies.get(COOKIE) or request.cookies.get(PRE_COOKIE, "")
    return hmac.new(hashlib.sha256(secret.encode()).digest(), b"normreg-csrf", hashlib.sha256).hexdigest()


def check_csrf(request: Request, value: str | None) -> None:
    if not value or not hmac.compare_digest(value, csrf_token(request)):
        raise Forbidden("表单已过期或来自其他网站，请刷新页面 (the form is stale or came from another site; reload the page)")


def require_staff(role: str = "clerk") -> object:
    """Page dependency: the signed-in actor with at least ``role`` (401/403 render as pages)."""

    def dependency(request: Request) -> Actor:
        actor = staff_actor(request)
        if actor is None:
            raise Unauthorized("请先登录 /staff/sign-in (sign in at /staff/sign-in first)")
        if not actor.may(role):
            raise Forbidden(f"此页面需要 {role} 角色 (this page needs the {role} role)")
        return actor

    return Depends(dependency)


StaffDep = Annotated[Actor, require_staff("clerk")]

# The staff navigation: (path, i18n key, least role). Pages add their entry here, once.
STAFF_NAV: list[tuple[str, str, str]] = [
    ("/staff/inbox", "nav_inbox", "clerk"),
    ("/staff/intake", "nav_intake", "clerk"),
    ("/staff/documents", "nav_documents", "clerk"),
    ("/staff/clearing", "nav_clearing", "clerk"),
    ("/staff/reports", "nav_reports", "clerk"),
    ("/staff/admin", "nav_admin", "admin"),
]


def render_staff(request: Request, template: str, lang: str, actor: Actor, *, status_code: int = 200,
                 counts: dict[str, int] | None = None, **ctx: object) -> Response:
    """Render a page that extends ``staff_base.html``: the navigation for ``actor``'s role, with ``counts``
    (by path) beside the entries that have one — the inbox's own count unless the page passes its own —
    and the CSRF token every form on the page needs."""
    if counts is None:
        counts = request.app.state.registry.inbox_counts(actor)
    nav = [{"href": href, "label": t(key, lang), "count": (counts or {}).get(href, 0)}
           for href, key, role in STAFF_NAV if actor.may(role)]
    return render(request, template, lang, status_code=status_code, actor=actor, staff_nav=nav,
                  csrf=csrf_token(request), **ctx)


router = APIRouter(include_in_schema=False)
LangQ = Annotated[str | None, Query(max_length=5)]


def _suffix(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


def _sign_in_page(request: Request, lang: str, *, problem: str | None = None, status_code: int = 200,
                  username: str = "") -> Response:
    """The sign-in form with a fresh pre-session cookie its CSRF token is bound to."""
    pre = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)
    request.cookies[PRE_COOKIE] = pre  # so csrf_token() below sees the value the browser is about to get
    request.cookies.pop(COOKIE, None)
    resp = render(request, "staff_signin.html", lang, status_code=status_code, problem=problem,
                  csrf=csrf_token(request), username=username)
    resp.set_cookie(PRE_COOKIE, pre, max_age=3600, httponly=True, samesite="strict", secure=_secure(request),
                    path="/staff")
    return resp


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request, lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    actor = staff_actor(request)
    if actor is None:
        return RedirectResponse("/staff/sign-in" + _suffix(lg), status_code=303)
    return render_staff(request, "staff.html", lg, actor)


@router.get("/staff/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    if staff_actor(request) is not None:
        return RedirectResponse("/staff" + _suffix(lg), status_code=303)
    return _sign_in_page(request, lg)


@router.post("/staff/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, registry: RegistryDep, username: Annotated[str, Form(max_length=64)],
            password: Annotated[str, Form(max_length=200)], csrf: Annotated[str, Form(max_length=200)] = "",
            totp: Annotated[str, Form(max_length=12)] = "", lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    request.cookies.pop(COOKIE, None)  # a form signed with an old session's token is not this one's
    check_csrf(request, csrf)
    client = request.client.host if request.client else None
    try:
        _, secret = registry.sign_in(username, password, totp=totp or None, client=client,
                                     user_agent=request.headers.get("user-agent"))
    except RateLimited as exc:  # the same page and words whether or not the username exists
        d = exc.details or {}
        locked = _sign_in_page(request, lg, problem=t("acct_sign_in_locked", lg, minutes=d.get("minutes", 15),
                                                      time=str(d.get("retry_at", ""))[11:16]),
                               status_code=429, username=username)
        locked.headers["Retry-After"] = str(d.get("retry_after", 900))
        return locked
    except Unauthorized as exc:
        return _sign_in_page(request, lg, problem=t("bad_credentials", lg) if not (exc.details or {}).get(
            "totp_required") else t("bad_totp", lg), status_code=401, username=username)
    resp = RedirectResponse("/staff" + _suffix(lg), status_code=303)
    resp.set_cookie(COOKIE, secret, max_age=int(registry.settings.staff_session_hours * 3600), httponly=True,
                    samesite="strict", secure=_secure(request), path="/")
    resp.delete_cookie(PRE_COOKIE, path="/staff")
    return resp


@router.post("/staff/sign-out")
def sign_out(request: Request, registry: RegistryDep, csrf: Annotated[str, Form(max_length=200)] = "",
             lang: LangQ = None) -> Response:
    check_csrf(request, csrf)
    secret = request.cookies.get(COOKIE)
    if secret:
        registry.sign_out(secret)
    resp = RedirectResponse("/staff/sign-in" + _suffix(pick_lang(lang)), status_code=303)
    resp.delete_cookie(COOKIE, path="/")
    return resp
