"""Staff pages: the documents of one's reach and each document's workspace.

``/staff/documents`` lists them; ``/staff/documents/{id}`` is the workspace: the metadata form under the
ETag rule (the form carries the version and the values it showed; a stale save re-shows everything typed
beside the current values), the filing, legality review, filing review (reviewer), renewal and
interpretation forms, the proposals a reviewer confirms, and the timeline; ``…/audit`` is the audit
trail. Every form posts back with the CSRF token and calls one Registry method with the signed-in actor,
which checks scope; a problem with what was typed re-shows the page with the message, a document of
another office is 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from registry.errors import Ambiguous, Conflict, InvalidInput, NormregError, NotFound, PreconditionFailed
from registry.http.deps import RegistryDep
from registry.models import DocumentUpdate
from registry.rules.actors import Actor
from registry.rules.dates import parse_date
from registry.rules.status import Status
from registry.web.i18n import pick_lang, t
from registry.web.staff import StaffDep, check_csrf, render_staff, require_staff

router = APIRouter(include_in_schema=False)
ReviewerDep = Annotated[Actor, require_staff("reviewer")]
FIELDS = ("title", "doc_number", "issuer", "category", "written_date", "publication_date", "effective_date",
          "expiry_date")
DATES = {"written_date", "publication_date", "effective_date", "expiry_date"}
FORM_PROBLEMS = (InvalidInput, Conflict, Ambiguous, NotFound)
PER_PAGE = 50


async def _form(request: Request) -> dict[str, str]:
    """The posted form as text fields (at most 2,000 characters each; files are not accepted here)."""
    form = await request.form()
    return {k: str(v)[:2000] for k, v in form.items() if isinstance(v, str)}


FormDep = Annotated[dict[str, str], Depends(_form)]


def _lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"))


def _back(request: Request, document_id: str, done: str, anchor: str) -> Response:
    en = "&lang=en" if _lang(request) == "en" else ""
    return RedirectResponse(f"/staff/documents/{document_id}?done={done}{en}#{anchor}", status_code=303)


@router.get("/staff/documents", response_class=HTMLResponse)
def documents_page(request: Request, actor: StaffDep, registry: RegistryDep,
                   status: Annotated[str, Query(max_length=32)] = "", q: Annotated[str, Query(max_length=200)] = "",
                   page: Annotated[int, Query(ge=1, le=10000)] = 1) -> Response:
    lang = _lang(request)
    total, rows = registry.staff_documents(actor, status=status or None, q=q, offset=(page - 1) * PER_PAGE,
                                           limit=PER_PAGE)
    statuses = [(s.value, s.label if lang == "zh" else s.label_en) for s in Status]
    return render_staff(request, "staff_documents.html", lang, actor, total=total, rows=rows, status=status, q=q,
                        page=page, pages=max(1, -(-total // PER_PAGE)), statuses=statuses,
                        labels=dict(statuses))


def _workspace(request: Request, registry: Any, actor: Actor, document_id: str, *, status_code: int = 200,
               problem: str | None = None, section: str | None = None, typed: dict[str, str] | None = None,
               stale: dict[str, Any] | None = None) -> Response:
    lang = _lang(request)
    view = registry.workspace(document_id, actor=actor)
    doc = view["document"]
    form = {f: str(doc.get(f) or "") for f in FIELDS}
    shown = dict(form)
    beside: dict[str, str] = {}
    if typed is not None:
        # what the person changed stays as typed; what they left alone shows the current value, so saving
        # again never reverts the other person's change
        for f in FIELDS:
            mine, orig = typed.get(f, "").strip(), typed.get(f"orig_{f}", "").strip()
            if mine != orig:
                form[f] = typed.get(f, "")
            if (mine != orig and mine != shown[f]) or orig != shown[f]:
                beside[f] = shown[f]
    return render_staff(request, "staff_document.html", lang, actor, status_code=status_code, view=view, doc=doc,
                        form=form, shown=shown, beside=beside, problem=problem, section=section, stale=stale,
                        status_label=Status.label_of(doc["status"], lang),
                        done=request.query_params.get("done"), kinds=("repealed", "amended", "declared_invalid",
                                                                       "partially_invalid"),
                        outcomes=("通过", "纠正", "撤销"))


@router.get("/staff/documents/{document_id}", response_class=HTMLResponse)
def workspace_page(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    return _workspace(request, registry, actor, document_id)


@router.get("/staff/documents/{document_id}/audit", response_class=HTMLResponse)
def audit_page(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    doc, entries = registry.audit_trail(document_id, actor=actor)
    return render_staff(request, "staff_document_audit.html", _lang(request), actor, doc=doc, entries=entries)


def _problem(request: Request, exc: NormregError) -> str:
    return t("ws_problem", _lang(request), msg=exc.message)


def _changes(form: dict[str, str]) -> dict[str, Any]:
    """The fields the person changed in the form (typed value differs from the one the form showed)."""
    changes: dict[str, Any] = {}
    for f in FIELDS:
        typed = form.get(f, "").strip()
        if typed == form.get(f"orig_{f}", "").strip():
            continue
        changes[f] = parse_date(typed, f) if f in DATES else (typed or None)
    return changes


@router.post("/staff/documents/{document_id}/edit", response_class=HTMLResponse)
def edit_form(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep, form: FormDep) -> Response:
    check_csrf(request, form.get("csrf"))
    try:
        version = int(form.get("version", ""))
        changes = _changes(form)
        if not changes:
            return _back(request, document_id, "unchanged", "metadata")
        try:
            data = DocumentUpdate.model_validate(changes)
        except ValidationError as exc:
            raise InvalidInput("; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors())) from exc
        registry.update_document(document_id, data, expected_version=version, actor=actor)
    except PreconditionFailed:
        view = registry.workspace(document_id, actor=actor)
        edits = [e for e in view["events"] if e.payload.get("action") == "edited"]
        who = view["names"].get(edits[-1].actor, edits[-1].actor) if edits else t("ws_someone", _lang(request))
        return _workspace(request, registry, actor, document_id, status_code=409, typed=form, section="metadata",
                          stale={"who": who})
    except (ValueError, *FORM_PROBLEMS) as exc:
        problem = _problem(request, exc) if isinstance(exc, NormregError) else t("ws_problem", _lang(request),
                                                                                 msg=str(exc))
        return _workspace(request, registry, actor, document_id, status_code=422, problem=problem,
                          section="metadata", typed=form)
    return _back(request, document_id, "metadata", "metadata")


def _run(request: Request, registry: Any, actor: Actor, document_id: str, form: dict[str, str], section: str,
         action: Any) -> Response:
    """Check the form's CSRF token and run its one Registry call; re-show the workspace with the message when
    what was typed is wrong (a document out of reach stays 403)."""
    check_csrf(request, form.get("csrf"))
    try:
        action()
    except FORM_PROBLEMS as exc:
        return _workspace(request, registry, actor, document_id, status_code=exc.status_code,
                          problem=_problem(request, exc), section=section)
    return _back(request, document_id, section, section)


def _needed(form: dict[str, str], key: str, label: str) -> Any:
    """A required date field; InvalidInput naming it (in Chinese and English) when empty or malformed."""
    value = parse_date(form.get(key), key)
    if value is None:
        raise InvalidInput(f"请填写{label} ({key} is required)")
    return value


def _opt(form: dict[str, str], key: str) -> str | None:
    return form.get(key, "").strip() or None


@router.post("/staff/documents/{document_id}/filing", response_class=HTMLResponse)
def filing_form(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep, form: FormDep) -> Response:
    return _run(request, registry, actor, document_id, form, "filing", lambda: registry.record_filing(
        document_id, filed_on=_needed(form, "filed_on", "备案日期"), filed_with=form.get("filed_with", ""),
        filing_number=_opt(form, "filing_number"), actor=actor))


@router.post("/staff/documents/{document_id}/legality", response_class=HTMLResponse)
def legality_form(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep,
                  form: FormDep) -> Response:
    return _run(request, registry, actor, document_id, form, "legality", lambda: registry.record_legality_review(
        document_id, reviewed_on=_needed(form, "reviewed_on", "审核日期"), reviewer=form.get("reviewer", ""),
        opinion=_opt(form, "opinion"), actor=actor))


@router.post("/staff/documents/{document_id}/filing-review", response_class=HTMLResponse)
def filing_review_form(document_id: str, request: Request, actor: ReviewerDep, registry: RegistryDep,
                       form: FormDep) -> Response:
    """备案审查 (reviewer only): the outcome and the reference of the review body's decision."""
    return _run(request, registry, actor, document_id, form, "filing-review", lambda: registry.record_filing_review(
        document_id, reviewed_on=_needed(form, "reviewed_on", "审查日期"), outcome=form.get("outcome", ""),
        reviewer=_opt(form, "reviewer"), legal_basis=_opt(form, "reference"), actor=actor))


@router.post("/staff/documents/{document_id}/filing-review/extend", response_class=HTMLResponse)
def extend_review_form(document_id: str, request: Request, actor: ReviewerDep, registry: RegistryDep,
                       form: FormDep) -> Response:
    return _run(request, registry, actor, document_id, form, "filing-review",
                lambda: registry.extend_filing_review(document_id, actor=actor))


@router.post("/staff/documents/{document_id}/renewal", response_class=HTMLResponse)
def renewal_form(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep, form: FormDep) -> Response:
    return _run(request, registry, actor, document_id, form, "renewal", lambda: registry.renew(
        document_id, new_expiry=_needed(form, "new_expiry", "新的有效期"),
        renewed_on=_needed(form, "renewed_on", "延续决定日期"), registration_number=_opt(form, "registration_number"),
        legal_basis=_opt(form, "legal_basis"), actor=actor))


@router.post("/staff/documents/{document_id}/interpretation", response_class=HTMLResponse)
def interpretation_form(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep,
                        form: FormDep) -> Response:
    """The interpretation is picked from the list or named by 文号 or title (the typed name wins)."""
    ref = _opt(form, "interpretation_ref") or _opt(form, "interpretation") or ""

    def act() -> None:
        if not ref:
            raise InvalidInput("请选择或输入解读材料 (choose the interpretation or type its number or title)")
        registry.link_interpretation(document_id, interpretation_ref=ref, actor=actor)
    return _run(request, registry, actor, document_id, form, "interpretation", act)


@router.post("/staff/documents/{document_id}/proposals", response_class=HTMLResponse)
def propose_form(document_id: str, request: Request, actor: StaffDep, registry: RegistryDep, form: FormDep) -> Response:
    provisions = form.get("provisions", "").replace("，", ",").replace("、", ",").split(",")
    return _run(request, registry, actor, document_id, form, "proposals", lambda: registry.propose_change(
        document_id, kind=form.get("kind", ""), on=parse_date(form.get("on"), "on"), legal_basis=_opt(form, "legal_basis"),
        successor=_opt(form, "successor"), provisions=provisions, note=form.get("note", ""), actor=actor))


@router.post("/staff/documents/{document_id}/proposals/{proposal_id}/{decision}", response_class=HTMLResponse)
def decide_form(document_id: str, proposal_id: int, decision: str, request: Request, actor: StaffDep,
                registry: RegistryDep, form: FormDep) -> Response:
    """``decision`` is withdraw (the author), confirm or reject (a reviewer)."""
    if decision == "withdraw":
        return _run(request, registry, actor, document_id, form, "proposals",
                    lambda: registry.withdraw_proposal(proposal_id, actor=actor))
    if decision not in ("confirm", "reject"):
        raise NotFound(f"no such decision {decision!r}")
    return _run(request, registry, actor, document_id, form, "proposals", lambda: registry.decide_proposal(
        proposal_id, confirm=decision == "confirm", note=_opt(form, "note"), actor=actor))
