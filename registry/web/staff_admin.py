"""``/staff/admin`` (admin role): offices, users and the sessions still working.

Each form posts one change with the CSRF token and calls one Registry method, which audits it; success
redirects back with a notice, a problem renders the page again with the problem in words. Deactivating a
user ends the user's sessions and tokens in the same transaction, so they stop on their next request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from registry.errors import NormregError
from registry.http.deps import RegistryDep
from registry.rules.actors import ROLES, Actor
from registry.web.i18n import pick_lang, t
from registry.web.staff import render_staff, require_staff
from registry.web.staff_account import CsrfF, LangQ, back, form_status, post_form, say

router = APIRouter(include_in_schema=False)
AdminPage = Annotated[Actor, require_staff("admin")]
ADMIN = "/staff/admin"
Text = Annotated[str, Form(max_length=200)]
Short = Annotated[str, Form(max_length=100)]


def _notice(done: str | None, sessions: int, tokens: int, lang: str) -> str | None:
    keys = {"office": "acct_done_office", "user": "acct_done_user", "saved": "acct_done_user_saved",
            "off": "acct_done_user_off", "on": "acct_done_user_on", "session": "acct_done_session"}
    return t(keys[done], lang, sessions=sessions, tokens=tokens) if done in keys else None


def _failed(request: Request, registry: Any, actor: Actor, lang: str,
            typed: dict[str, str] | None = None) -> Callable[[NormregError], Response]:
    return lambda exc: _page(request, registry, actor, lang, status_code=form_status(exc), problem=say(exc, lang),
                             form=typed)


def _page(request: Request, registry: Any, actor: Actor, lang: str, *, status_code: int = 200,
          problem: str | None = None, notice: str | None = None, form: dict[str, str] | None = None) -> Response:
    return render_staff(request, "staff_admin.html", lang, actor, status_code=status_code, problem=problem,
                        notice=notice, roles=ROLES, form=form or {}, **registry.admin_overview(actor=actor))


@router.get(ADMIN, response_class=HTMLResponse)
def admin_page(request: Request, actor: AdminPage, registry: RegistryDep, lang: LangQ = None,
               done: Annotated[str | None, Query(max_length=20)] = None,
               sessions: Annotated[int, Query(ge=0, le=100000)] = 0,
               tokens: Annotated[int, Query(ge=0, le=100000)] = 0) -> Response:
    lg = pick_lang(lang)
    return _page(request, registry, actor, lg, notice=_notice(done, sessions, tokens, lg))


@router.post(f"{ADMIN}/offices", response_class=HTMLResponse)
def add_office(request: Request, actor: AdminPage, registry: RegistryDep, csrf: CsrfF = "", name: Text = "",
               code: Short = "", parent: Text = "", region: Short = "", pattern: Short = "",
               lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    typed = {"name": name, "code": code, "parent": parent, "region": region, "pattern": pattern}  # kept on a problem
    return post_form(request, csrf, lambda: registry.add_office(name, code=code, parent=parent or None,
                                                                region=region or None, number_pattern=pattern or None,
                                                                actor=actor),
                     failed=_failed(request, registry, actor, lg, typed), done=lambda _: back(ADMIN, lg, "office"))


@router.post(f"{ADMIN}/users", response_class=HTMLResponse)
def add_user(request: Request, actor: AdminPage, registry: RegistryDep, csrf: CsrfF = "", username: Short = "",
             display_name: Short = "", office: Text = "", role: Short = "clerk", password: Text = "",
             lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    typed = {"username": username, "display_name": display_name, "office": office, "role": role}  # no password
    return post_form(request, csrf, lambda: registry.add_user(username, office=office, role=role, password=password,
                                                              display_name=display_name or None, actor=actor),
                     failed=_failed(request, registry, actor, lg, typed), done=lambda _: back(ADMIN, lg, "user"))


@router.post(f"{ADMIN}/users/update", response_class=HTMLResponse)
def update_user(request: Request, actor: AdminPage, registry: RegistryDep, csrf: CsrfF = "", username: Short = "",
                role: Short = "", office: Text = "", lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    return post_form(request, csrf, lambda: registry.update_user(username, role=role or None, office=office or None,
                                                                 actor=actor),
                     failed=_failed(request, registry, actor, lg), done=lambda _: back(ADMIN, lg, "saved"))


@router.post(f"{ADMIN}/users/active", response_class=HTMLResponse)
def set_active(request: Request, actor: AdminPage, registry: RegistryDep, csrf: CsrfF = "", username: Short = "",
               active: Annotated[bool, Form()] = False, lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    return post_form(request, csrf, lambda: registry.set_user_active(username, active=active, actor=actor),
                     failed=_failed(request, registry, actor, lg),
                     done=lambda n: back(ADMIN, lg, "on" if active else "off", sessions=n["sessions_ended"],
                                         tokens=n["tokens_revoked"]))


@router.post(f"{ADMIN}/sessions/revoke", response_class=HTMLResponse)
def revoke_session(request: Request, actor: AdminPage, registry: RegistryDep, csrf: CsrfF = "",
                   sid: Annotated[str, Form(max_length=64)] = "", lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    return post_form(request, csrf, lambda: registry.revoke_session(sid, actor=actor),
                     failed=_failed(request, registry, actor, lg), done=lambda _: back(ADMIN, lg, "session"))
