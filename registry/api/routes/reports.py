"""``/api/v1/reports``: the staff reports (filing, interpretations, validity periods, scorecard)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from registry.api.schemas import ERRORS
from registry.http.deps import RegistryDep
from registry.models.answers import Report, ReportName, ReportsListed
from registry.services.reports import REPORTS, to_csv

router = APIRouter(tags=["reports"])


@router.get("/api/v1/reports", summary="The available staff reports")
def list_reports() -> ReportsListed:
    return ReportsListed(reports=[ReportName(name=k, title=v) for k, v in REPORTS.items()])


@router.get("/api/v1/reports/{name}", summary="A staff report as JSON or CSV", response_model=Report,
            response_model_exclude_unset=True,
            responses={**ERRORS, 200: {"content": {"text/csv": {}}, "description": "The report (JSON, or CSV)"}})
def get_report(
    name: str, registry: RegistryDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
    at: Annotated[date | None, Query(description="As of this date; default today")] = None,
) -> Report | Response:
    data = registry.report(name, at=at)
    if format == "csv":
        return Response("\ufeff" + to_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return data
