"""``/api/v1/documents``: list, read, export, create and edit documents.

Reading is public; creating and editing need a clerk's token, whose name is recorded as the actor. Edits
require the ETag from a previous read, so two clerks editing the same document never silently overwrite
each other: the second gets 412 and reloads. The fixed path ``/export`` is declared before
``/{document_id}`` in this one module, so no other module's order matters.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse

from registry.api.auth import ClerkDep
from registry.api.routes.exports import Filters, requester
from registry.api.schemas import ERRORS, RATE_LIMITED, WRITE_ERRORS, DocumentOut, ErrorResponse
from registry.errors import InvalidInput, PreconditionRequired
from registry.http.deps import RegistryDep
from registry.http.ratelimit import export_limit
from registry.models import DocumentCreate, DocumentsPublic, DocumentUpdate, ExportJobPublic

router = APIRouter(tags=["documents"])
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,12})"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int:
    """The version an ``If-Match`` header names; 428 without one, 422 for one we never issued."""
    if value is None or not value.strip():
        raise PreconditionRequired()
    m = _ETAG.match(value)
    if m is None:
        raise InvalidInput("If-Match must be an ETag from GET /api/v1/documents/{id}", details={"If-Match": value})
    return int(m.group(1))


@router.get("/api/v1/documents", summary="List documents (paged)", response_model=DocumentsPublic, responses=ERRORS)
def list_documents(
    registry: RegistryDep,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    status: Annotated[str | None, Query(max_length=32)] = None,
    issuer: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> dict[str, Any]:
    total, items = registry.list_documents(offset=(page - 1) * per_page, limit=per_page, status=status,
                                           issuer=issuer, category=category, year=year)
    return {"total": total, "items": items}


@router.get("/api/v1/documents/export", summary="Export a filtered document list as CSV, XLSX or JSON",
            response_class=Response,
            responses={**ERRORS, **RATE_LIMITED, 200: {"description": "The export file", "content": {
                "text/csv": {}, "application/json": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
                202: {"model": ExportJobPublic, "description": "Too many rows to stream: the export job preparing "
                      "the file (see Location); an identical request shares the same job"},
                303: {"description": "A browser asking for a large export is sent to the job's page"}})
def export(
    request: Request,
    registry: RegistryDep,
    _limit: Annotated[None, Depends(export_limit)],
    filters: Filters,
) -> Response:
    who, client = requester(request)
    answer = registry.export_or_job(requested_by=who, client=client, **filters)
    if isinstance(answer, ExportJobPublic):
        if "text/html" in request.headers.get("accept", ""):  # a person following the search page's link
            return RedirectResponse(answer.page_url, status_code=303)
        return JSONResponse(answer.model_dump(mode="json"), status_code=202,
                            headers={"Location": answer.url, "Retry-After": "2"})
    body, media_type = answer
    fmt = filters["fmt"]
    return StreamingResponse(request.app.state.export_gate.hold(body), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="documents.{fmt}"'})


@router.get("/api/v1/documents/{document_id}", summary="One document with articles, relations and files",
            response_model=DocumentOut, responses=ERRORS)
def get_document(document_id: str, registry: RegistryDep, response: Response) -> dict[str, Any]:
    data = registry.get_document(document_id)
    response.headers["ETag"] = etag(data["version"])
    return data


@router.post("/api/v1/documents", summary="Create a document (clerk)", status_code=201,
             response_model=DocumentOut, responses={**WRITE_ERRORS, 409: ERRORS[409]})
def create_document(data: DocumentCreate, actor: ClerkDep, registry: RegistryDep, response: Response) -> dict[str, Any]:
    doc = registry.create_document(data, actor=actor)
    response.headers["ETag"] = etag(doc["version"])
    response.headers["Location"] = f"/api/v1/documents/{doc['id']}"
    return doc


@router.patch("/api/v1/documents/{document_id}", summary="Edit a document's metadata under If-Match (clerk)",
              response_model=DocumentOut,
              responses={**WRITE_ERRORS, 412: {"model": ErrorResponse, "description": "Stale ETag"},
                         428: {"model": ErrorResponse, "description": "If-Match missing"}})
def update_document(
    document_id: str, data: DocumentUpdate, actor: ClerkDep, registry: RegistryDep, response: Response,
    if_match: Annotated[str | None, Header(description='The ETag from the last read, e.g. "3"')] = None,
) -> dict[str, Any]:
    doc = registry.update_document(document_id, data, expected_version=parse_if_match(if_match), actor=actor)
    response.headers["ETag"] = etag(doc["version"])
    return doc
