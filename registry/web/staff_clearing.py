"""Staff pages for clearing campaigns (清理): import a list in the browser, see each row's match and its
candidates, resolve rows, apply the campaign, undo a row with a reason.

Every form works without JavaScript and posts back with the CSRF token; each handler calls one
``Registry`` method (the same the CLI and the API call), so the matcher, the one-transaction apply and
the office reach (Forbidden when a row's document is outside the reviewer's offices) are the library's.
An import that fails re-shows the form with the reason in words and stores nothing.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.errors import Conflict, InvalidInput
from registry.http.deps import RegistryDep
from registry.rules.actors import Actor
from registry.web.i18n import pick_lang, t
from registry.web.staff import StaffDep, check_csrf, render_staff, require_staff

router = APIRouter(include_in_schema=False)
ReviewerPageDep = Annotated[Actor, require_staff("reviewer")]
LIST_SUFFIXES = (".xlsx", ".xlsm", ".csv")


def _lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"))


def _campaign_url(name: str, lang: str, anchor: str = "", **params: str) -> str:
    query = [f"{k}={quote(v)}" for k, v in params.items()] + (["lang=en"] if lang == "en" else [])
    return f"/staff/clearing/{quote(name, safe='')}" + ("?" + "&".join(query) if query else "") + anchor


@router.get("/staff/clearing", response_class=HTMLResponse)
def clearing_campaigns(request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    return render_staff(request, "staff_clearing.html", _lang(request), actor, campaigns=registry.list_campaigns())


def _new_form(request: Request, actor: Actor, *, problem: str | None = None, details: Any = None,
              name: str = "", decided_on: str = "", status_code: int = 200) -> Response:
    rows = details if isinstance(details, list) else []
    return render_staff(request, "staff_clearing_new.html", _lang(request), actor, problem=problem,
                        problem_rows=rows, campaign_name=name, decided_on=decided_on, status_code=status_code)


@router.get("/staff/clearing/new", response_class=HTMLResponse)
def new_campaign_form(request: Request, actor: StaffDep) -> Response:
    return _new_form(request, actor)


@router.post("/staff/clearing/new", response_class=HTMLResponse)
def new_campaign(
    request: Request, actor: StaffDep, registry: RegistryDep,
    csrf: Annotated[str, Form(max_length=200)],
    name: Annotated[str, Form(max_length=200)] = "",
    decided_on: Annotated[str, Form(max_length=20)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Import the uploaded list (``Registry.import_campaign``) and show the new campaign's rows."""
    check_csrf(request, csrf)
    lang = _lang(request)
    again = {"name": name, "decided_on": decided_on}
    filename = (file.filename or "") if file is not None else ""
    suffix = Path(filename).suffix.lower()
    if not filename:
        return _new_form(request, actor, problem=t("cl_no_file", lang), status_code=400, **again)
    if suffix not in LIST_SUFFIXES:
        return _new_form(request, actor, problem=t("cl_bad_type", lang), status_code=400, **again)
    try:
        when = date.fromisoformat(decided_on) if decided_on.strip() else None
    except ValueError:
        return _new_form(request, actor, problem=f"{t('cl_decided_on', lang)}: {decided_on}", status_code=400,
                         **again)
    assert file is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"list{suffix}"
        path.write_bytes(file.file.read())
        if path.stat().st_size == 0:
            return _new_form(request, actor, problem=t("cl_empty_file", lang), status_code=400, **again)
        try:
            view = registry.import_campaign(path, name=name, decided_on=when, actor=actor, source_name=filename)
        except (InvalidInput, Conflict) as exc:
            return _new_form(request, actor, problem=exc.message, details=exc.details,
                             status_code=exc.status_code, **again)
    return RedirectResponse(_campaign_url(view.campaign, lang), status_code=303)


@router.get("/staff/clearing/{name}", response_class=HTMLResponse)
def clearing_campaign(name: str, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    view = registry.show_campaign(name)
    pending = sum(1 for r in view.rows if r.match is not None and r.event_id is None
                  and r.state in ("auto", "confirmed"))
    applied = request.query_params.get("applied", "")
    return render_staff(request, "staff_clearing_campaign.html", _lang(request), actor, campaign=view,
                        may_decide=actor.may("reviewer"), pending=pending,
                        applied_now=int(applied) if applied.isdigit() else None)


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
    return RedirectResponse(_campaign_url(name, _lang(request), f"#row-{row}"), status_code=303)


@router.post("/staff/clearing/{name}/apply")
def apply_form(name: str, request: Request, actor: ReviewerPageDep, registry: RegistryDep,
               csrf: Annotated[str, Form(max_length=200)]) -> Response:
    """A reviewer applies the campaign; rows outside the reviewer's offices make it 403, nothing applied."""
    check_csrf(request, csrf)
    done = registry.apply_campaign(name, actor=actor)
    return RedirectResponse(_campaign_url(name, _lang(request), applied=str(done.applied)), status_code=303)


@router.post("/staff/clearing/{name}/rows/{row}/undo")
def undo_form(name: str, row: int, request: Request, actor: ReviewerPageDep, registry: RegistryDep,
              csrf: Annotated[str, Form(max_length=200)],
              reason: Annotated[str, Form(min_length=1, max_length=1000)]) -> Response:
    """Undo one applied row with the reviewer's reason (a compensating event; nothing is deleted)."""
    check_csrf(request, csrf)
    if not reason.strip():
        raise InvalidInput("请填写撤销理由 (give a reason for undoing)")
    registry.undo_clearing_row(name, row, reason=reason.strip(), actor=actor)
    return RedirectResponse(_campaign_url(name, _lang(request), f"#row-{row}"), status_code=303)
