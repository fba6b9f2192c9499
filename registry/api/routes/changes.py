"""``/api/v1/changes`` and ``/feeds/changes.atom``: every status change, as JSON pages and as an Atom feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from registry.api.schemas import ERRORS, ChangesResponse
from registry.http.deps import RegistryDep
from registry.rules.dates import parse_instant
from registry.services.feed import atom_feed

router = APIRouter(tags=["changes"])


@router.get("/api/v1/changes", summary="Every status change, oldest first (paged; `since` for new ones)",
            response_model=ChangesResponse, responses=ERRORS)
def changes(
    registry: RegistryDep,
    since: Annotated[str | None, Query(max_length=40, description="Only changes after this instant (ISO 8601)")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    total, items = registry.changes(since=parse_instant(since, "since"), offset=(page - 1) * per_page,
                                    limit=per_page)
    return {"total": total, "items": items}


@router.get("/feeds/changes.atom", summary="Atom feed of the latest 100 status changes",
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}},
                                                      "description": "Atom 1.0"}})
def changes_atom(request: Request, registry: RegistryDep) -> Response:
    _, items = registry.changes(limit=100, newest_first=True)
    body = atom_feed(items, base_url=str(request.base_url).rstrip("/"), audit_head=registry.audit_head())
    return Response(body, media_type="application/atom+xml; charset=utf-8")
