"""``/api/v1/exports``: export jobs, for exports too large to stream in one request (issue 18).

``POST /api/v1/exports`` takes the filters of ``GET /api/v1/documents/export`` and answers 202 with the
job (``Location`` names it); an identical job that is queued, running or done and fresh is shared. The
job's id is unguessable and is the only key to it: no account is needed, as for the export itself.
Creating jobs counts against the per-client export limit. ``GET …/{id}`` shows progress; ``GET
…/{id}/file`` streams the finished file (409 while it is prepared, 410 once it expired).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from registry.api.auth import current_actor
from registry.api.schemas import ERRORS, RATE_LIMITED, ErrorResponse, Year
from registry.http.deps import RegistryDep
from registry.http.ratelimit import client_key, export_limit, rate_limit
from registry.models import ExportJobPublic

router = APIRouter(tags=["exports"])
GONE: dict[int | str, dict[str, Any]] = {410: {"model": ErrorResponse, "description": "The export expired and its file was deleted"}}


def requester(request: Request) -> tuple[str, str]:
    """Who asked (the token's actor, else anonymous) and from which client address."""
    actor = current_actor(request)
    return (actor.name if actor is not None else "anonymous"), client_key(request)


def export_filters(
    format: Annotated[str, Query(pattern="^(csv|xlsx|json)$")] = "csv",
    q: Annotated[str, Query(max_length=500, description="Search results in ranked order (first 1,000)")] = "",
    status: Annotated[list[str] | None, Query()] = None,
    issuer: Annotated[list[str] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[Year] | None, Query()] = None,
    text: Annotated[bool, Query(description="Add each document's full text as a last column")] = False,
) -> dict[str, Any]:
    """The filters of an export, as one dependency for the streamed export and the job routes."""
    return {"fmt": format, "q": q, "status": status, "issuer": issuer, "category": category, "year": year,
            "text": text}


Filters = Annotated[dict[str, Any], Depends(export_filters)]


def job_answer(job: ExportJobPublic, response: Response) -> ExportJobPublic:
    response.status_code = 202 if job.state in ("queued", "running") else 200
    response.headers["Location"] = job.url
    response.headers["Retry-After"] = "2" if job.state in ("queued", "running") else "0"
    return job


@router.post("/api/v1/exports", summary="Start (or share) an export job for a filtered document list",
             status_code=202, response_model=ExportJobPublic,
             responses={**ERRORS, **RATE_LIMITED, 200: {"model": ExportJobPublic,
                                                       "description": "An identical job that is already done"}})
def create_export(registry: RegistryDep, request: Request, response: Response, filters: Filters,
                  _limit: Annotated[None, Depends(export_limit)]) -> ExportJobPublic:
    who, client = requester(request)
    return job_answer(registry.request_export(requested_by=who, client=client, **filters), response)


@router.get("/api/v1/exports/{job_id}", summary="An export job and its progress", response_model=ExportJobPublic,
            responses={**ERRORS, **RATE_LIMITED}, dependencies=[Depends(rate_limit)])
def get_export(job_id: str, registry: RegistryDep) -> ExportJobPublic:
    return registry.export_job(job_id)


@router.get("/api/v1/exports/{job_id}/file", summary="The finished file of an export job",
            response_class=Response, dependencies=[Depends(rate_limit)],
            responses={**ERRORS, **RATE_LIMITED, **GONE, 200: {"description": "The export file", "content": {
                "text/csv": {}, "application/json": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def export_file(job_id: str, registry: RegistryDep) -> Response:
    body, media_type, filename = registry.export_job_file(job_id)
    return StreamingResponse(body, media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})
