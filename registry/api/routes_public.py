"""Public read routes: documents, validity, search, suggest and health. Reading needs no token."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Response

from registry.api.deps import RegistryDep, SessionDep
from registry.api.ratelimit import rate_limit
from registry.api.schemas import (
    ERRORS,
    RATE_LIMITED,
    DocumentOut,
    HealthResponse,
    SearchResponse,
    SuggestItem,
    ValidityResponse,
    Year,
)
from registry.errors import InvalidInput
from registry.models import DocumentsPublic
from registry.services import documents as documents_service
from registry.services.lookup import count_documents
from registry.services.search import search_documents, suggest
from registry.services.validity import check
from search.model import SearchQuery, SortOrder

router = APIRouter()
VERSION = version("normreg")  # read once: metadata lookups cost milliseconds per probe
LIMITED = [Depends(rate_limit)]


@router.get("/healthz", summary="Liveness and readiness", response_model=HealthResponse, tags=["ops"])
def healthz(registry: RegistryDep, session: SessionDep, response: Response) -> HealthResponse:
    try:
        n = count_documents(session)
        db_ok = True
    except Exception:
        n, db_ok = 0, False
    try:
        registry.backend  # noqa: B018 - opening it is the check
        search_ok = True
    except Exception:
        search_ok = False
    ok = db_ok and search_ok
    if not ok:
        response.status_code = 503
    return HealthResponse(ok=ok, database=db_ok, search=search_ok, documents=n, version=VERSION)


@router.get("/api/v1/documents", summary="List documents (paged)", response_model=DocumentsPublic,
            responses=ERRORS, tags=["documents"])
def list_documents(
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 20,
    status: Annotated[str | None, Query(max_length=32)] = None,
    issuer: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> DocumentsPublic:
    total, rows = documents_service.list_documents(session, offset=(page - 1) * per_page, limit=per_page,
                                                   status=status, issuer=issuer, category=category, year=year)
    return DocumentsPublic(total=total, items=[documents_service.to_public(session, d) for d in rows])


@router.get("/api/v1/documents/{document_id}", summary="One document with articles, relations and files",
            response_model=DocumentOut, responses=ERRORS, tags=["documents"])
def get_document(document_id: str, session: SessionDep, response: Response) -> dict[str, Any]:
    doc = documents_service.get_document(session, document_id)
    response.headers["ETag"] = f'"{doc.version}"'
    return documents_service.show(session, doc)


def _day(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a date (YYYY-MM-DD)", details={name: value}) from exc


@router.get("/api/v1/validity", summary="Is it valid (还有效吗), today or on a date?",
            response_model=ValidityResponse, responses={**ERRORS, **RATE_LIMITED}, tags=["validity"],
            dependencies=LIMITED)
def validity(
    registry: RegistryDep, session: SessionDep,
    ref: Annotated[str, Query(min_length=1, max_length=500, description="Id, 文号, registration number or title")],
    at: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD; default today")] = None,
) -> dict[str, Any]:
    return check(session, ref, _day(at, "at") or registry.today(), settings=registry.settings)


@router.get("/api/v1/search", summary="Full-text search with filters, facets and snippets",
            response_model=SearchResponse, responses={**ERRORS, **RATE_LIMITED}, tags=["search"],
            dependencies=LIMITED)
def search(
    registry: RegistryDep, session: SessionDep,
    q: Annotated[str, Query(max_length=500)] = "",
    status: Annotated[list[str] | None, Query()] = None,
    issuer: Annotated[list[str] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[Year] | None, Query()] = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
    sort: Annotated[SortOrder, Query()] = "relevance",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Response:
    params = SearchQuery(q=q, statuses=status or [], issuers=issuer or [], categories=category or [],
                          years=year or [], date_from=_day(date_from, "date_from"), date_to=_day(date_to, "date_to"),
                          sort=sort, page=page, per_page=per_page)
    # The service builds exactly the SearchResponse shape (the API tests and schemathesis check it), so
    # the page is serialised once, not validated into models and dumped again: a third of a
    # millisecond on every search, the busiest route.
    return Response(orjson.dumps(search_documents(session, registry.backend, params)), media_type="application/json")


@router.get("/api/v1/suggest", summary="Type-ahead over titles and 文号", response_model=list[SuggestItem],
            responses={**ERRORS, **RATE_LIMITED}, tags=["search"], dependencies=LIMITED)
def suggest_route(
    registry: RegistryDep,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
) -> list[dict[str, Any]]:
    return suggest(registry.backend, q, limit) if q.strip() else []
