"""Pages for the basis watch: what each document is based on (上位法), and the review tasks opened when a basis changes.

The public document page includes ``_doc_basis.html``, which asks :func:`basis_panel` (a template global)
for its data, so the page route stays as it is. Staff open a task at ``/staff/tasks/{id}`` (linked from the
inbox) and a reviewer records the decision there; the form works without JavaScript.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.errors import InvalidInput, NormregError, NotFound
from registry.http.deps import RegistryDep
from registry.models import Document
from registry.rules.actors import Actor
from registry.rules.status import Status
from registry.services.tasks import DECISIONS
from registry.web.i18n import pick_lang, t
from registry.web.render import env
from registry.web.staff import StaffDep, check_csrf, render_staff, require_staff

if TYPE_CHECKING:
    from registry.facade import Registry

router = APIRouter(include_in_schema=False)
ReviewerDep = Annotated[Actor, require_staff("reviewer")]
TaskId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def basis_panel(request: Request, document_id: str) -> dict[str, Any]:
    """What ``_doc_basis.html`` shows: the basis (依据), what is based on it (被依据), bases under review."""
    registry: Registry = request.app.state.registry
    try:
        found = registry.basis(document_id)
    except NotFound:
        return {"items": [], "cited_by": [], "review": []}
    review = [f"《{b.title}》" for b in registry.basis_under_review(document_id)]
    return {"items": found.items, "cited_by": found.cited_by, "review": review}


def basis_status_label(code: str | None, lang: str) -> str:
    return Status.label_of(code, lang) or (code or "")


env.globals.update(basis_panel=basis_panel, basis_status_label=basis_status_label)


def _task_page(request: Request, registry: Registry, actor: Actor, task_id: int, *, status_code: int = 200,
               problem: str | None = None) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    task = registry.get_task(task_id, actor=actor)
    with registry.read_session() as s:
        doc = s.get(Document, task.document_id)
        law = s.get(Document, task.basis_id) if task.basis_id else None
        doc_title = doc.title if doc else task.document_id
        basis_title = law.title if law else task.basis_title
    return render_staff(request, "staff_task.html", lang, actor, status_code=status_code, task=task,
                        doc_title=doc_title, basis_title=basis_title, decisions=DECISIONS,
                        reviewer=actor.may("reviewer"), problem=problem,
                        done=request.query_params.get("done") == "1")


@router.get("/staff/tasks/{task_id}", response_class=HTMLResponse)
def task_page(task_id: TaskId, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    return _task_page(request, registry, actor, task_id)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/staff/tasks/{task_id}", response_class=HTMLResponse)
def resolve_task_form(task_id: TaskId, request: Request, actor: ReviewerDep, registry: RegistryDep,
                      form: Annotated[dict[str, str], Depends(_form)]) -> Response:
    check_csrf(request, form.get("csrf"))
    lang = pick_lang(request.query_params.get("lang"))
    try:
        raw_date = form.get("decided_on", "").strip()
        try:
            decided_on = date.fromisoformat(raw_date) if raw_date else None
        except ValueError as exc:
            raise InvalidInput(f"决定日期须为 YYYY-MM-DD (the date must be YYYY-MM-DD): {raw_date[:20]}") from exc
        registry.resolve_task(task_id, decision=form.get("decision", ""), decided_on=decided_on,
                              note=form.get("note", "").strip() or None, actor=actor)
    except NormregError as exc:
        if isinstance(exc, NotFound):
            raise
        return _task_page(request, registry, actor, task_id, status_code=exc.status_code,
                          problem=t("ws_problem", lang, msg=exc.message))
    en = "&lang=en" if lang == "en" else ""
    return RedirectResponse(f"/staff/tasks/{task_id}?done=1{en}", status_code=303)
