"""``/staff/account``: the signed-in user's own page: password, sessions, second factor, API tokens.

Every form posts with the CSRF token and works without JavaScript. A form that fails (a wrong current
password, a code that does not match, a name taken) renders this page again with the problem in words and
a 4xx status; one that succeeds redirects back with a notice (POST, redirect, GET), except where something
must be shown once and never put in a URL: a new second-factor secret and a new token's secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.errors import NormregError, Unauthorized
from registry.http.deps import RegistryDep
from registry.rules.actors import ROLES, Actor
from registry.services import second_factor
from registry.web.i18n import pick_lang, t
from registry.web.staff import COOKIE, StaffDep, check_csrf, render_staff

router = APIRouter(include_in_schema=False)
LangQ = Annotated[str | None, Query(max_length=5)]
CsrfF = Annotated[str, Form(max_length=200)]
ACCOUNT = "/staff/account"
T = TypeVar("T")


def say(exc: NormregError, lang: str) -> str:
    """The half of a bilingual service message (``中文 (English)``) that fits the page's language."""
    message = exc.message
    cut = message.rfind(" (")
    if cut <= 0 or not message.endswith(")"):
        return message
    return message[cut + 2:-1] if lang == "en" else message[:cut]


def form_status(exc: NormregError) -> int:
    """A failed form is the form's problem, not the session's: a wrong password in it is 422, never 401
    (401 means "sign in again" to a browser and to the tests that replay ended cookies)."""
    return 422 if isinstance(exc, Unauthorized) else exc.status_code


def back(path: str, lang: str, done: str, **params: str | int) -> Response:
    """303 to ``path`` with a notice key (and its numbers) the page turns into words."""
    query = "&".join([f"done={done}"] + [f"{k}={v}" for k, v in params.items()] + (["lang=en"] if lang == "en" else []))
    return RedirectResponse(f"{path}?{query}", status_code=303)


def post_form(request: Request, csrf: str, write: Callable[[], T], *, failed: Callable[[NormregError], Response],
              done: Callable[[T], Response]) -> Response:
    """The shape of every staff form: CSRF first (403), then one write; a problem renders ``failed``, success
    ``done`` (usually a redirect with a notice)."""
    check_csrf(request, csrf)
    try:
        result = write()
    except NormregError as exc:
        return failed(exc)
    return done(result)


def _failed(request: Request, registry: Any, actor: Actor, lang: str, **extra: Any) -> Callable[[NormregError],
                                                                                              Response]:
    return lambda exc: _page(request, registry, actor, lang, status_code=form_status(exc), problem=say(exc, lang),
                             **extra)


def _notice(done: str | None, n: int, lang: str) -> str | None:
    keys = {"password": "acct_done_password", "session": "acct_done_session", "totp_on": "acct_done_totp_on",
            "totp_off": "acct_done_totp_off", "token_revoked": "acct_done_token_revoked"}
    return t(keys[done], lang, n=n) if done in keys else None


def _page(request: Request, registry: Any, actor: Actor, lang: str, *, status_code: int = 200,
          problem: str | None = None, notice: str | None = None, **extra: Any) -> Response:
    overview = registry.account_overview(actor, current=request.cookies.get(COOKIE))
    return render_staff(request, "staff_account.html", lang, actor, status_code=status_code, problem=problem,
                        notice=notice, token_roles=[r for r in ROLES if actor.may(r)], **overview, **extra)


@router.get(ACCOUNT, response_class=HTMLResponse)
def account_page(request: Request, actor: StaffDep, registry: RegistryDep, lang: LangQ = None,
                 done: Annotated[str | None, Query(max_length=20)] = None,
                 n: Annotated[int, Query(ge=0, le=10000)] = 0) -> Response:
    lg = pick_lang(lang)
    return _page(request, registry, actor, lg, notice=_notice(done, n, lg))


@router.post(f"{ACCOUNT}/password", response_class=HTMLResponse)
def change_password(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfF = "",
                    current: Annotated[str, Form(max_length=200)] = "",
                    new: Annotated[str, Form(max_length=200)] = "",
                    again: Annotated[str, Form(max_length=200)] = "", lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    if new != again:
        check_csrf(request, csrf)
        return _page(request, registry, actor, lg, status_code=422, problem=t("acct_passwords_differ", lg))
    return post_form(request, csrf, lambda: registry.change_password(actor, current=current, new=new,
                                                                     keep=request.cookies.get(COOKIE)),
                     failed=_failed(request, registry, actor, lg), done=lambda n: back(ACCOUNT, lg, "password", n=n))


@router.post(f"{ACCOUNT}/sessions/end", response_class=HTMLResponse)
def end_session(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfF = "",
                sid: Annotated[str, Form(max_length=64)] = "", lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    return post_form(request, csrf, lambda: registry.end_own_session(actor, sid),
                     failed=_failed(request, registry, actor, lg), done=lambda _: back(ACCOUNT, lg, "session"))


@router.post(f"{ACCOUNT}/totp/begin", response_class=HTMLResponse)
def begin_totp(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfF = "",
               lang: LangQ = None) -> Response:
    """Show a new secret to type into the app; nothing is stored until a code from it is confirmed."""
    lg = pick_lang(lang)
    check_csrf(request, csrf)
    secret = second_factor.new_secret()
    return _page(request, registry, actor, lg, enrol_secret=secret, enrol_uri=second_factor.uri(secret, actor.name))


@router.post(f"{ACCOUNT}/totp/confirm", response_class=HTMLResponse)
def confirm_totp(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfF = "",
                 secret: Annotated[str, Form(max_length=64)] = "", code: Annotated[str, Form(max_length=12)] = "",
                 lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    again = {"enrol_secret": secret, "enrol_uri": second_factor.uri(secret, actor.name)}  # to retype the code
    return post_form(request, csrf, lambda: registry.enable_totp(actor, secret=secret, code=code),
                     failed=_failed(request, registry, actor, lg, **again), done=lambda _: back(ACCOUNT, lg, "totp_on"))


@router.post(f"{ACCOUNT}/totp/disable", response_class=HTMLResponse)
def disable_totp(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfF = "",
                 password: Annotated[str, Form(max_length=200)] = "", lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    return post_form(request, csrf, lambda: registry.disable_totp(actor, password=password),
                     failed=_failed(request, registry, actor, lg), done=lambda _: back(ACCOUNT, lg, "totp_off"))


@router.post(f"{ACCOUNT}/tokens", response_class=HTMLResponse)
def create_token(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfF = "",
                 name: Annotated[str, Form(max_length=100)] = "", role: Annotated[str, Form(max_length=20)] = "clerk",
                 lang: LangQ = None) -> Response:
    """Create a token and show its secret on this response only (never in a URL, never again)."""
    lg = pick_lang(lang)

    def shown_once(made: tuple[Any, str]) -> Response:
        resp = _page(request, registry, actor, lg, status_code=201, new_token=made[1], new_token_name=made[0].name)
        resp.headers["Cache-Control"] = "no-store"
        return resp

    return post_form(request, csrf, lambda: registry.create_own_token(actor, name, role=role),
                     failed=_failed(request, registry, actor, lg), done=shown_once)


@router.post(f"{ACCOUNT}/tokens/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfF = "",
                 name: Annotated[str, Form(max_length=100)] = "", lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    return post_form(request, csrf, lambda: registry.revoke_own_token(actor, name),
                     failed=_failed(request, registry, actor, lg), done=lambda _: back(ACCOUNT, lg, "token_revoked"))
