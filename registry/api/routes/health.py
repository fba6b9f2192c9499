"""``/healthz``: liveness and readiness for load balancers and monitoring."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter, Response

from registry.api.schemas import HealthResponse
from registry.http.deps import RegistryDep

router = APIRouter(tags=["ops"])
VERSION = version("normreg")  # read once: metadata lookups cost milliseconds per probe


@router.get("/healthz", summary="Liveness and readiness", response_model=HealthResponse)
def healthz(registry: RegistryDep, response: Response) -> HealthResponse:
    try:
        n, db_ok = registry.count_documents(), True
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
