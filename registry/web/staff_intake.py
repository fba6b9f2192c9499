"""Staff pages for intake (登记): upload, review beside the source, register, publish.

``/staff/intake`` takes one or many files in a plain form (field 文件, button 上传); with JavaScript the
same form sends each file on its own request so each shows its progress (``static/staff-intake.js``),
and the handler answers such a request (``Accept: application/json``) with the items instead of a
redirect. Each item's review screen (``/staff/intake/{id}``) shows the source (PDF page images, or the
text) beside the fields, marks what was guessed or not found, and registers (登记) with the corrected
values; a bad value re-shows the form with the error beside its field and everything typed kept.
A registered document's page (``/staff/intake/documents/{id}``) shows its 统一登记号 and the 发布 button.
Every handler calls one ``Registry`` method; scope (the office) is checked there.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from registry.errors import InvalidInput
from registry.http.deps import RegistryDep
from registry.rules.actors import Actor
from registry.services.intake import FIELDS
from registry.web.i18n import pick_lang
from registry.web.staff import StaffDep, check_csrf, render_staff

router = APIRouter(include_in_schema=False)
CsrfForm = Annotated[str, Form(max_length=200)]
PREVIEW_PAGES = 3  # page images shown beside the fields; the rest is one click away in the file


def _lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"))


def _q(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


@router.get("/staff/intake", response_class=HTMLResponse)
def intake_page(request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    lang = _lang(request)
    return render_staff(request, "staff_intake.html", lang, actor, items=registry.intake_items(actor=actor),
                        unpublished=registry.unpublished_documents(actor=actor))


@router.post("/staff/intake")
async def upload(request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfForm = "",
                 files: Annotated[list[UploadFile] | None, File(alias="files")] = None) -> Response:
    check_csrf(request, csrf)
    chosen = [(f.filename, f.file) for f in (files or []) if f.filename]
    items = registry.upload_intake(chosen, actor=actor)
    lang = _lang(request)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"items": [{"id": i["id"], "filename": i["filename"], "state": i["state"],
                                        "error": i["error"], "title": i["fields"].get("title"),
                                        "url": f"/staff/intake/{i['id']}{_q(lang)}"} for i in items]})
    if len(items) == 1 and items[0]["state"] == "pending":
        return RedirectResponse(f"/staff/intake/{items[0]['id']}{_q(lang)}", status_code=303)
    return RedirectResponse(f"/staff/intake{_q(lang)}", status_code=303)


@router.get("/staff/intake/{item_id}", response_class=HTMLResponse)
def review_page(item_id: int, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    item = registry.intake_item(item_id, actor=actor)
    return _review(request, actor, item, values=item["fields"], errors={})


def _review(request: Request, actor: Actor, item: dict[str, Any], *, values: dict[str, Any],
            errors: dict[str, str], choice: str | None = None, status_code: int = 200) -> Response:
    lang = _lang(request)
    match = item.get("match")
    pages = min(int(item.get("pages") or 1), PREVIEW_PAGES) if item.get("format") == "pdf" else 0
    default_choice = f"version:{match['id']}" if isinstance(match, dict) else "new"
    return render_staff(request, "staff_intake_review.html", lang, actor,
                        item=item, values={k: "" if values.get(k) is None else str(values[k]) for k in FIELDS},
                        errors=errors, fields=FIELDS, pages=pages, choice=choice or default_choice,
                        status_code=status_code)


@router.get("/staff/intake/{item_id}/page/{page}.png")
def page_image(item_id: int, page: int, actor: StaffDep, registry: RegistryDep) -> Response:
    png = registry.intake_page(item_id, page, actor=actor)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.post("/staff/intake/{item_id}/register", response_class=HTMLResponse)
async def register(item_id: int, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf") or ""))
    values = {name: str(form.get(name) or "")[:1000] for name in FIELDS}
    choice = str(form.get("register_as") or "new")
    version_of = choice.removeprefix("version:") if choice.startswith("version:") else None
    try:
        doc = registry.register_intake(item_id, dict(values), version_of=version_of, actor=actor)
    except InvalidInput as exc:
        fields = (exc.details or {}).get("fields") if isinstance(exc.details, dict) else None
        if not fields:
            raise
        item = registry.intake_item(item_id, actor=actor)
        return _review(request, actor, item, values=dict(values), errors=fields, choice=choice, status_code=422)
    return RedirectResponse(f"/staff/intake/documents/{doc['id']}{_q(_lang(request))}", status_code=303)


@router.post("/staff/intake/{item_id}/discard")
def discard(item_id: int, request: Request, actor: StaffDep, registry: RegistryDep, csrf: CsrfForm = "") -> Response:
    check_csrf(request, csrf)
    registry.discard_intake(item_id, actor=actor)
    return RedirectResponse(f"/staff/intake{_q(_lang(request))}", status_code=303)


@router.get("/staff/intake/documents/{document_id}", response_class=HTMLResponse)
def registered_page(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    doc = registry.staff_document(document_id, actor=actor)
    return render_staff(request, "staff_intake_document.html", _lang(request), actor, doc=doc)


@router.post("/staff/intake/documents/{document_id}/publish")
def publish(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep,
            csrf: CsrfForm = "") -> Response:
    check_csrf(request, csrf)
    registry.publish(document_id, actor=actor)
    return RedirectResponse(f"/staff/intake/documents/{document_id}{_q(_lang(request))}", status_code=303)
