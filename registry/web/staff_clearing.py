"""Staff pages for clearing review: see a campaign's rows, and confirm or correct the ones the matcher
left for review (reviewer role). Forms post back with the CSRF token; the work is done by the same
``Registry.resolve_clearing_row`` the CLI and the API call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.http.deps import RegistryDep
from registry.rules.actors import Actor
from registry.web.i18n import pick_lang
from registry.web.staff import StaffDep, check_csrf, render_staff, require_staff

router = APIRouter(include_in_schema=False)
ReviewerPageDep = Annotated[Actor, require_staff("reviewer")]


@router.get("/staff/clearing", response_class=HTMLResponse)
def clearing_campaigns(request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    return render_staff(request, "staff_clearing.html", lang, actor, campaigns=registry.list_campaigns(),
                        campaign=None)


@router.get("/staff/clearing/{name}", response_class=HTMLResponse)
def clearing_campaign(name: str, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    view = registry.show_campaign(name)
    return render_staff(request, "staff_clearing.html", lang, actor, campaigns=None, campaign=view,
                        may_resolve=actor.may("reviewer"))


@router.post("/staff/clearing/{name}/rows/{row}")
def resolve_row_form(
    name: str, row: int, request: Request, actor: ReviewerPageDep, registry: RegistryDep,
    csrf: Annotated[str, Form(max_length=200)],
    choice: Annotated[str, Form(max_length=100)] = "",
    ref: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """``choice`` is a candidate's id or ``none``; ``ref`` (any id, 文号 or title) overrides it."""
    check_csrf(request, csrf)
    target = ref.strip() or choice.strip()
    registry.resolve_clearing_row(name, row, ref=None if target in ("", "none") else target, actor=actor)
    lang = "?lang=en" if pick_lang(request.query_params.get("lang")) == "en" else ""
    return RedirectResponse(f"/staff/clearing/{name}{lang}#row-{row}", status_code=303)
