"""``/api/v1/validity``: is it valid (还有效吗), today or on a date? Public and rate-limited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from registry.api.schemas import ERRORS, RATE_LIMITED, ValidityResponse
from registry.http.deps import RegistryDep
from registry.http.ratelimit import rate_limit
from registry.rules.dates import parse_date

router = APIRouter(tags=["validity"])


@router.get("/api/v1/validity", summary="Is it valid (还有效吗), today or on a date?",
            response_model=ValidityResponse, responses={**ERRORS, **RATE_LIMITED}, dependencies=[Depends(rate_limit)])
def validity(
    registry: RegistryDep,
    ref: Annotated[str, Query(min_length=1, max_length=500, description="Id, 文号, registration number or title")],
    at: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD; default today")] = None,
) -> dict[str, Any]:
    return registry.check(ref, parse_date(at, "at"))
