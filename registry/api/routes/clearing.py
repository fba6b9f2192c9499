"""``/api/v1/clearing/campaigns``: clearing campaigns (清理) — import a list, review matches, apply, undo, export.

Reading is public like the rest of the registry. Importing a list needs a clerk; deciding (confirming a
match, applying or undoing a campaign) needs a reviewer.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from registry.api.auth import ClerkDep, ReviewerDep
from registry.api.schemas import ERRORS, WRITE_ERRORS, ResolveIn, UndoIn
from registry.errors import InvalidInput
from registry.http.deps import RegistryDep
from registry.models.clearing import (
    CampaignApplied,
    CampaignListed,
    CampaignPublic,
    ClearingRowPublic,
    ClearingRowUndone,
)

router = APIRouter(tags=["clearing"])
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json",
         "html": "text/html; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/api/v1/clearing/campaigns", summary="List clearing campaigns")
def list_campaigns(registry: RegistryDep) -> list[CampaignListed]:
    return registry.list_campaigns()


@router.post("/api/v1/clearing/campaigns", summary="Import a clearing list and match its rows (clerk)",
             status_code=201, responses={**WRITE_ERRORS})
def import_campaign(
    file: Annotated[UploadFile, File(description="The office's list, .xlsx or .csv")],
    name: Annotated[str, Form(min_length=1, max_length=200)],
    actor: ClerkDep, registry: RegistryDep,
    decided_on: Annotated[date | None, Form()] = None,
) -> CampaignPublic:
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise InvalidInput("upload the list as .xlsx or .csv", details={"filename": file.filename})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"list{suffix}"
        with path.open("wb") as fh:
            shutil.copyfileobj(file.file, fh)
        return registry.import_campaign(path, name=name, decided_on=decided_on, actor=actor,
                                        source_name=file.filename or "upload")


@router.get("/api/v1/clearing/campaigns/{name}", summary="A campaign's rows and matches", responses={**ERRORS})
def show_campaign(name: str, registry: RegistryDep) -> CampaignPublic:
    return registry.show_campaign(name)


@router.post("/api/v1/clearing/campaigns/{name}/rows/{row}/resolve",
             summary="Confirm or correct a row's document (reviewer)", responses={**WRITE_ERRORS})
def resolve_row(name: str, row: int, body: ResolveIn, actor: ReviewerDep, registry: RegistryDep) -> ClearingRowPublic:
    return registry.resolve_clearing_row(name, row, ref=body.document, actor=actor)


@router.post("/api/v1/clearing/campaigns/{name}/apply", summary="Apply the matched rows (reviewer)",
             responses={**WRITE_ERRORS})
def apply_campaign(name: str, actor: ReviewerDep, registry: RegistryDep) -> CampaignApplied:
    return registry.apply_campaign(name, actor=actor)


@router.post("/api/v1/clearing/campaigns/{name}/rows/{row}/undo",
             summary="Undo an applied row with a compensating event (reviewer)", responses={**WRITE_ERRORS})
def undo_row(name: str, row: int, actor: ReviewerDep, registry: RegistryDep, body: UndoIn | None = None) -> ClearingRowUndone:
    return registry.undo_clearing_row(name, row, reason=body.reason if body else None, actor=actor)


@router.get("/api/v1/clearing/campaigns/{name}/export", summary="The published lists of a campaign",
            responses={**ERRORS})
def export_campaign(
    name: str, registry: RegistryDep,
    format: Annotated[Literal["csv", "xlsx", "json", "html"], Query()] = "xlsx",
) -> Response:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"lists.{format}"
        registry.export_campaign(name, fmt=format, out=out)
        body = out.read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="clearing.{format}"'}
    if format == "html":
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return Response(body, media_type=MEDIA[format], headers=headers)
