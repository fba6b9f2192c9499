"""Pages for trust: signed validity statements, status badges and 审查建议 (review suggestions).

Public: ``POST /statements`` (the check page's 下载核验凭证) issues a statement and shows its printable page
``/statements/{id}`` (verification URL and QR code, a JSON download at ``/statements/{id}.json``);
``/statements/verify`` checks a pasted or uploaded statement; ``/badge/{id}.svg`` and ``/badge.js`` show a
document's live status on other sites; ``/documents/{id}/suggest`` takes a 审查建议. Staff:
``/staff/suggestions/{id}`` shows one (with the citizen's contact, within reach) and sends the reply.
The document page's part (JSON-LD, suggestion counts, embed code) is the ``trust_panel`` template global.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from registry.errors import InvalidInput, NormregError, NotFound
from registry.http.deps import RegistryDep
from registry.http.statement_limit import issue_limit, verify_limit
from registry.models import SuggestionCreate
from registry.rules.dates import parse_date
from registry.services.suggestions import HONEYPOT, Attachment
from registry.web.downloads import download
from registry.web.i18n import pick_lang, t
from registry.web.jsonld import legislation, script_tag
from registry.web.render import env, render
from registry.web.staff import StaffDep, check_csrf, render_staff

STATIC = Path(__file__).parent / "static"
router = APIRouter(include_in_schema=False)
LangQ = Annotated[str | None, Query(max_length=5)]
CROSS_ORIGIN = {"Cross-Origin-Resource-Policy": "cross-origin", "Access-Control-Allow-Origin": "*"}


def _q(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


def trust_panel(request: Request, doc: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """What ``_doc_trust.html`` shows on a document page: JSON-LD, suggestion counts, the embed code."""
    registry = request.app.state.registry
    base = registry.settings.public_url.rstrip("/")
    return {"jsonld": script_tag(legislation(doc, answer, base_url=base)), "base": base,
            "counts": registry.suggestion_counts(doc["id"])}


env.globals["trust_panel"] = trust_panel


# --- statements -------------------------------------------------------------------------------------------

@router.post("/statements", dependencies=[Depends(issue_limit)])
def issue_statement(registry: RegistryDep, ref: Annotated[str, Form(min_length=1, max_length=500)],
                    at: Annotated[str, Form(max_length=10)] = "", lang: LangQ = None) -> Response:
    stmt = registry.issue_statement(ref, parse_date(at, "at"))
    return RedirectResponse(f"/statements/{stmt['id']}{_q(pick_lang(lang))}", status_code=303)


@router.get("/statements/verify", response_class=HTMLResponse)
def verify_form(request: Request, lang: LangQ = None) -> HTMLResponse:
    return render(request, "statement_verify.html", pick_lang(lang), result=None, problem=None, pasted="")


@router.post("/statements/verify", response_class=HTMLResponse, dependencies=[Depends(verify_limit)])
def verify_page(request: Request, registry: RegistryDep, lang: LangQ = None,
                statement: Annotated[str, Form(max_length=200_000)] = "",
                file: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
    lg = pick_lang(lang)
    text = statement.strip()
    if file is not None and file.filename:
        text = file.file.read(200_001).decode("utf-8", errors="replace").strip() or text
    result, problem = None, None
    if not text:
        problem = t("tr_nothing", lg)
    else:
        try:
            result = registry.verify_statement(json.loads(text))
        except ValueError:
            problem = t("tr_bad_json", lg)
    return render(request, "statement_verify.html", lg, result=result, problem=problem, pasted=text[:200_000])


@router.get("/statements/{statement_id}.json")
def statement_json(registry: RegistryDep, statement_id: str) -> Response:
    """The statement as a file to keep (exactly the JSON the API returns)."""
    body = json.dumps(registry.get_statement(statement_id), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="statement-{statement_id}.json"'})


@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_page(request: Request, registry: RegistryDep, statement_id: str, lang: LangQ = None) -> HTMLResponse:
    """The printable statement: its fields, today's verification, the verification URL and its QR code."""
    lg = pick_lang(lang)
    stmt = registry.get_statement(statement_id)
    qr = segno.make(stmt["verify_url"], error="m").svg_inline(scale=4, title=t("tr_qr", lg))
    return render(request, "statement.html", lg, st=stmt, check=registry.verify_statement(stmt),
                  qr=Markup(qr), key=registry.public_key())


# --- badge -------------------------------------------------------------------------------------------------

@router.get("/badge.js")
def badge_js() -> Response:
    """The ``<normreg-status>`` element; loadable from any site."""
    return FileResponse(STATIC / "badge.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600", **CROSS_ORIGIN})


@router.get("/badge/{document_id}.svg")
def badge_svg(registry: RegistryDep, document_id: str, lang: LangQ = None) -> Response:
    """The live status as an image, for pages that allow no script (cached for five minutes)."""
    return Response(registry.badge(document_id, lang=pick_lang(lang)), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=300", **CROSS_ORIGIN})


# --- 审查建议 -----------------------------------------------------------------------------------------------

def _suggest_form(request: Request, registry: Any, document_id: str, lang: str, *, problem: str | None = None,
                  values: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    doc = registry.get_document(document_id, with_text=False)
    s = registry.settings
    return render(request, "suggest.html", lang, status_code=status_code, doc=doc, problem=problem,
                  values=values or {}, token=registry.suggestion_form_token(doc["id"]), honeypot=HONEYPOT,
                  days=s.suggestion_answer_days, kb=s.suggestion_attachment_max_bytes // 1024)


@router.get("/documents/{document_id}/suggest", response_class=HTMLResponse)
def suggest_form(request: Request, registry: RegistryDep, document_id: str, lang: LangQ = None) -> HTMLResponse:
    return _suggest_form(request, registry, document_id, pick_lang(lang))


@router.post("/documents/{document_id}/suggest", response_class=HTMLResponse)
def suggest_submit(
    request: Request, registry: RegistryDep, document_id: str, lang: LangQ = None,
    contact: Annotated[str, Form(max_length=200)] = "", text: Annotated[str, Form(max_length=5000)] = "",
    name: Annotated[str, Form(max_length=100)] = "", token: Annotated[str, Form(max_length=200)] = "",
    website: Annotated[str, Form(max_length=200)] = "", attachment: Annotated[UploadFile | None, File()] = None,
) -> Response:
    lg = pick_lang(lang)
    values = {"name": name, "contact": contact, "text": text}
    try:
        data = SuggestionCreate.model_validate({"name": name or None, "contact": contact, "text": text})
        upload = None
        if attachment is not None and attachment.filename:
            limit = registry.settings.suggestion_attachment_max_bytes
            upload = Attachment(attachment.filename, attachment.file.read(limit + 1))
        client = request.client.host if request.client else None
        receipt = registry.submit_suggestion(document_id, data, token=token, honeypot=website, client=client,
                                             attachment=upload)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e.get("loc"))
        problem = f"请检查以下各项 / please check: {fields}"
        return _suggest_form(request, registry, document_id, lg, problem=problem, values=values, status_code=422)
    except NotFound:
        raise
    except NormregError as exc:
        return _suggest_form(request, registry, document_id, lg, problem=exc.message, values=values,
                             status_code=exc.status_code)
    return RedirectResponse(f"/documents/{receipt['document_id']}/suggest/sent?no={receipt['id']}&due="
                            f"{receipt['due_on']}{'&lang=en' if lg == 'en' else ''}", status_code=303)


@router.get("/documents/{document_id}/suggest/sent", response_class=HTMLResponse)
def suggest_sent(request: Request, registry: RegistryDep, document_id: str, no: Annotated[int, Query(ge=1)],
                 due: Annotated[str, Query(max_length=10)], lang: LangQ = None) -> HTMLResponse:
    lg = pick_lang(lang)
    doc = registry.get_document(document_id, with_text=False)
    return render(request, "suggest_sent.html", lg, doc=doc, no=no, due=parse_date(due, "due") or date.today())


@router.get("/staff/suggestions/{suggestion_id}", response_class=HTMLResponse)
def staff_suggestion(request: Request, actor: StaffDep, registry: RegistryDep, suggestion_id: int,
                     lang: LangQ = None) -> Response:
    view = registry.suggestion(suggestion_id, actor=actor)
    return render_staff(request, "staff_suggestion.html", pick_lang(lang), actor, view=view, problem=None)


@router.post("/staff/suggestions/{suggestion_id}/reply", response_class=HTMLResponse)
def staff_reply(request: Request, actor: StaffDep, registry: RegistryDep, suggestion_id: int,
                reply: Annotated[str, Form(max_length=20000)] = "", csrf: Annotated[str, Form(max_length=200)] = "",
                lang: LangQ = None) -> Response:
    check_csrf(request, csrf)
    lg = pick_lang(lang)
    try:
        registry.reply_suggestion(suggestion_id, reply, actor=actor)
    except InvalidInput as exc:
        view = registry.suggestion(suggestion_id, actor=actor)
        return render_staff(request, "staff_suggestion.html", lg, actor, view=view, problem=exc.message,
                            status_code=422)
    return RedirectResponse(f"/staff/suggestions/{suggestion_id}{_q(lg)}", status_code=303)


@router.post("/staff/suggestions/{suggestion_id}/resend")
def staff_resend(request: Request, actor: StaffDep, registry: RegistryDep, suggestion_id: int,
                 csrf: Annotated[str, Form(max_length=200)] = "", lang: LangQ = None) -> Response:
    check_csrf(request, csrf)
    registry.resend_suggestion_reply(suggestion_id, actor=actor)
    return RedirectResponse(f"/staff/suggestions/{suggestion_id}{_q(pick_lang(lang))}", status_code=303)


@router.get("/staff/suggestions/{suggestion_id}/attachment")
def staff_attachment(actor: StaffDep, registry: RegistryDep, suggestion_id: int) -> Response:
    """The attachment, to staff within reach only, always as a sandboxed download."""
    opened, media, name = registry.suggestion_attachment(suggestion_id, actor=actor)
    return download(opened, media_type=media, filename=name)
