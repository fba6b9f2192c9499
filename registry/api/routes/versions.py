"""Law over time: a document's text versions, the text in force on a date, and diffs between versions.

Reading is public (published documents only); adding a text needs a clerk of the document's office.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from registry.api.auth import ClerkDep
from registry.api.schemas import ERRORS, WRITE_ERRORS
from registry.http.deps import RegistryDep
from registry.models.versions import (
    DiffPublic,
    TextAtPublic,
    TextVersionCreate,
    TextVersionPublic,
    TextVersionsPublic,
)
from registry.rules.dates import parse_date

router = APIRouter(tags=["versions"])


@router.get("/api/v1/documents/{document_id}/versions", summary="A document's text versions and their dates in force",
            response_model=TextVersionsPublic, responses=ERRORS)
def list_versions(document_id: str, registry: RegistryDep) -> dict[str, Any]:
    return registry.text_versions(document_id)


@router.get("/api/v1/documents/{document_id}/text", summary="The text in force on a date (default today)",
            response_model=TextAtPublic,
            responses={**ERRORS, 404: {**ERRORS[404], "description": "Not found, or the day is before the earliest "
                                                                     "known text (code outside_known_versions)"}})
def text_at(document_id: str, registry: RegistryDep,
            at: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None) -> dict[str, Any]:
    return registry.text_at(document_id, parse_date(at, "at"))


@router.get("/api/v1/documents/{document_id}/diff", summary="Article-aligned diff with a version or another document",
            response_model=DiffPublic, responses=ERRORS)
def diff(document_id: str, registry: RegistryDep,
         with_: Annotated[str, Query(alias="with", min_length=1, max_length=500,
                                     description="A version number of this document (2 or v2), or another "
                                                 "document's id, 文号 or title")],
         from_: Annotated[int | None, Query(alias="from", ge=1, le=100000,
                                            description="This document's version to start from (default: newest)")]
         = None) -> dict[str, Any]:
    return registry.diff(document_id, with_, from_version=from_)


@router.post("/api/v1/documents/{document_id}/versions", summary="Add a text version (clerk): an amendment applied, "
             "a consolidation or a correction", status_code=201, response_model=TextVersionPublic,
             responses=WRITE_ERRORS)
def add_version(document_id: str, data: TextVersionCreate, actor: ClerkDep, registry: RegistryDep,
                response: Response) -> dict[str, Any]:
    out = registry.add_text_version(document_id, data, actor=actor)
    response.headers["Location"] = f"/api/v1/documents/{document_id}/versions"
    return out
