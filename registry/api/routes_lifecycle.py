"""Lifecycle endpoints: clearing campaigns, filing and reviews, renewals, interpretations, sweep, reports.

Reading (campaigns, reports) is public like the rest of the registry. Importing a list and recording a
filing needs a clerk; deciding — confirming a clearing match, applying or undoing a campaign, recording a
filing review outcome, running the sweep — needs a reviewer. Services own the transactions; routes only
translate HTTP to one service call and feed the search index afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from registry.api.auth import ClerkDep, ReviewerDep
from registry.api.deps import RegistryDep, SessionDep
from registry.api.schemas import ERRORS, WRITE_ERRORS
from registry.errors import InvalidInput
from registry.lifecycle import clearing, filing, interpretations, reports, sweep

router = APIRouter(tags=["lifecycle"])
Json = dict[str, Any]


class ResolveIn(BaseModel):
    document: str | None = Field(None, max_length=500, description="Id, 文号 or title; null: names nothing")


class UndoIn(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class FilingIn(BaseModel):
    filed_on: date
    filed_with: str = Field(min_length=1, max_length=200, description="The supervising body (备案机关)")
    filing_number: str | None = Field(None, max_length=100)
    evidence: dict[str, Any] = Field(default_factory=dict)


class LegalityReviewIn(BaseModel):
    reviewed_on: date
    reviewer: str = Field(min_length=1, max_length=200)
    opinion: str | None = Field(None, max_length=5000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class FilingReviewIn(BaseModel):
    reviewed_on: date
    outcome: Literal["通过", "纠正", "撤销"]
    reviewer: str | None = Field(None, max_length=200)
    legal_basis: str | None = Field(None, max_length=1000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class RenewalIn(BaseModel):
    new_expiry: date
    renewed_on: date
    registration_number: str | None = Field(None, max_length=100)
    legal_basis: str | None = Field(None, max_length=1000)


class InterpretationIn(BaseModel):
    interpretation: str = Field(min_length=1, max_length=500, description="Id, 文号 or title of the interpretation")


@router.get("/api/v1/clearing/campaigns", summary="List clearing campaigns")
def list_campaigns(session: SessionDep) -> list[Json]:
    return clearing.list_campaigns(session)


@router.post("/api/v1/clearing/campaigns", summary="Import a clearing list and match its rows (clerk)",
             status_code=201, responses={**WRITE_ERRORS})
def import_campaign(
    file: Annotated[UploadFile, File(description="The office's list, .xlsx or .csv")],
    name: Annotated[str, Form(min_length=1, max_length=200)],
    actor: ClerkDep, session: SessionDep, registry: RegistryDep,
    decided_on: Annotated[date | None, Form()] = None,
) -> Json:
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise InvalidInput("upload the list as .xlsx or .csv", details={"filename": file.filename})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"list{suffix}"
        with path.open("wb") as fh:
            shutil.copyfileobj(file.file, fh)
        return clearing.import_campaign(session, path=path, name=name, decided_on=decided_on or registry.today(),
                                        actor=actor.name, source_name=file.filename or "upload")


@router.get("/api/v1/clearing/campaigns/{name}", summary="A campaign's rows and matches", responses={**ERRORS})
def show_campaign(name: str, session: SessionDep) -> Json:
    return clearing.show_campaign(session, name)


@router.post("/api/v1/clearing/campaigns/{name}/rows/{row}/resolve",
             summary="Confirm or correct a row's document (reviewer)", responses={**WRITE_ERRORS})
def resolve_row(name: str, row: int, body: ResolveIn, actor: ReviewerDep, session: SessionDep) -> Json:
    return clearing.resolve_row(session, name=name, row_no=row, ref=body.document, actor=actor.name)


@router.post("/api/v1/clearing/campaigns/{name}/apply", summary="Apply the matched rows (reviewer)",
             responses={**WRITE_ERRORS})
def apply_campaign(name: str, actor: ReviewerDep, session: SessionDep, registry: RegistryDep) -> Json:
    data = clearing.apply_campaign(session, name=name, actor=actor.name, today=registry.today())
    registry.after_commit()
    return data


@router.post("/api/v1/clearing/campaigns/{name}/rows/{row}/undo",
             summary="Undo an applied row with a compensating event (reviewer)", responses={**WRITE_ERRORS})
def undo_row(name: str, row: int, actor: ReviewerDep, session: SessionDep, registry: RegistryDep,
             body: UndoIn | None = None) -> Json:
    data = clearing.undo_row(session, name=name, row_no=row, actor=actor.name, today=registry.today(),
                             reason=body.reason if body else None)
    registry.after_commit()
    return data


MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json",
         "html": "text/html; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/api/v1/clearing/campaigns/{name}/export", summary="The published lists of a campaign",
            responses={**ERRORS})
def export_campaign(
    name: str, session: SessionDep,
    format: Annotated[Literal["csv", "xlsx", "json", "html"], Query()] = "xlsx",
) -> Response:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"lists.{format}"
        clearing.export_campaign(session, name=name, fmt=format, out=out)
        body = out.read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="clearing.{format}"'}
    if format == "html":
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return Response(body, media_type=MEDIA[format], headers=headers)


@router.post("/api/v1/documents/{document_id}/filings", summary="Record a filing (clerk)", status_code=201,
             responses={**WRITE_ERRORS})
def record_filing(document_id: str, body: FilingIn, actor: ClerkDep, session: SessionDep,
                  registry: RegistryDep) -> Json:
    data = filing.record_filing(session, ref=document_id, filed_on=body.filed_on, filed_with=body.filed_with,
                                filing_number=body.filing_number, evidence=body.evidence, actor=actor.name,
                                today=registry.today(), days=registry.settings.filing_deadline_days)
    registry.after_commit()
    return data


@router.post("/api/v1/documents/{document_id}/legality-reviews", summary="Record a legality review (clerk)",
             status_code=201, responses={**WRITE_ERRORS})
def record_legality_review(document_id: str, body: LegalityReviewIn, actor: ClerkDep, session: SessionDep,
                           registry: RegistryDep) -> Json:
    data = filing.record_legality_review(session, ref=document_id, reviewed_on=body.reviewed_on,
                                         reviewer=body.reviewer, opinion=body.opinion, evidence=body.evidence,
                                         actor=actor.name, today=registry.today())
    registry.after_commit()
    return data


@router.post("/api/v1/documents/{document_id}/filing-reviews",
             summary="Record a filing review outcome: 通过, 纠正 or 撤销 (reviewer)", status_code=201,
             responses={**WRITE_ERRORS})
def record_filing_review(document_id: str, body: FilingReviewIn, actor: ReviewerDep, session: SessionDep,
                         registry: RegistryDep) -> Json:
    data = filing.record_filing_review(session, ref=document_id, reviewed_on=body.reviewed_on, outcome=body.outcome,
                                       reviewer=body.reviewer, legal_basis=body.legal_basis, evidence=body.evidence,
                                       actor=actor.name, today=registry.today())
    registry.after_commit()
    return data


@router.post("/api/v1/documents/{document_id}/renewals", summary="Record a new validity period (clerk)",
             status_code=201, responses={**WRITE_ERRORS})
def renew(document_id: str, body: RenewalIn, actor: ClerkDep, session: SessionDep, registry: RegistryDep) -> Json:
    data = sweep.renew(session, ref=document_id, new_expiry=body.new_expiry, renewed_on=body.renewed_on,
                       registration_number=body.registration_number, legal_basis=body.legal_basis,
                       actor=actor.name, today=registry.today(), max_years=registry.settings.max_validity_years)
    registry.after_commit()
    return data


@router.post("/api/v1/documents/{document_id}/interpretations",
             summary="Link a policy interpretation to this policy (clerk)", status_code=201,
             responses={**WRITE_ERRORS})
def link_interpretation(document_id: str, body: InterpretationIn, actor: ClerkDep, session: SessionDep,
                        registry: RegistryDep) -> Json:
    data = interpretations.link_interpretation(
        session, interpretation_ref=body.interpretation, policy_ref=document_id, actor=actor.name,
        today=registry.today(), working_days=registry.settings.interpretation_working_days)
    registry.after_commit()
    return data


@router.post("/api/v1/sweep", summary="Record ended validity periods and list coming ones (reviewer)",
             responses={**WRITE_ERRORS})
def run_sweep(actor: ReviewerDep, session: SessionDep, registry: RegistryDep) -> Json:
    s = registry.settings
    data = sweep.sweep(session, today=registry.today(), actor=actor.name, reminder_months=s.reminder_months,
                       max_provisional_years=s.max_provisional_years)
    data["indexed"] = registry.after_commit()
    return data


@router.get("/api/v1/reports", summary="The available staff reports")
def list_reports() -> Json:
    return {"reports": [{"name": k, "title": v} for k, v in reports.REPORTS.items()]}


@router.get("/api/v1/reports/{name}", summary="A staff report as JSON or CSV", responses={**ERRORS})
def get_report(
    name: str, session: SessionDep, registry: RegistryDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
    at: Annotated[date | None, Query(description="As of this date; default today")] = None,
) -> Response:
    data = reports.build_report(session, name, today=at or registry.today(), settings=registry.settings)
    if format == "csv":
        return Response("\ufeff" + reports.to_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    import json

    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


@router.get("/staff/reports", summary="Staff page: the reports with a scorecard chart (signed-in staff)",
            include_in_schema=False)
def staff_reports(request: Request, session: SessionDep, registry: RegistryDep) -> Response:
    from markupsafe import Markup

    from registry.web.i18n import pick_lang
    from registry.web.routes import render
    from registry.web.staff import staff_actor

    if staff_actor(request) is None:
        return RedirectResponse("/staff", status_code=303)
    today = registry.today()
    built = [reports.build_report(session, name, today=today, settings=registry.settings) for name in reports.REPORTS]
    card = next(r for r in built if r["report"] == "scorecard")
    chart = Markup(reports.scorecard_svg(card["rows"]))  # built server-side, every text escaped
    return render(request, "staff_reports.html", pick_lang(request.query_params.get("lang")), reports=built,
                  chart=chart, as_of=today.isoformat())
