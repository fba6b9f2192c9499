"""``/api/v1/sweep``: record ended validity periods and list the coming ones (a reviewer's run)."""

from __future__ import annotations

from fastapi import APIRouter

from registry.api.auth import ReviewerDep
from registry.api.schemas import WRITE_ERRORS
from registry.http.deps import RegistryDep
from registry.models.records import SweepResult

router = APIRouter(tags=["lifecycle"])


@router.post("/api/v1/sweep", summary="Record ended validity periods and list coming ones (reviewer)",
             responses={**WRITE_ERRORS})
def run_sweep(actor: ReviewerDep, registry: RegistryDep) -> SweepResult:
    return registry.sweep(actor=actor)
