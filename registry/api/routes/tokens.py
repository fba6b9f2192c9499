"""``/api/v1/tokens``: API tokens for machines (admin only); the same operations as ``normreg token``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from registry.api.auth import AdminDep
from registry.api.schemas import WRITE_ERRORS, TokenCreate, TokenCreated, TokenOut
from registry.http.deps import RegistryDep
from registry.services.auth import token_public

router = APIRouter(tags=["tokens"])


@router.get("/api/v1/tokens", summary="List tokens (admin); hashes are never shown", response_model=list[TokenOut],
            responses=WRITE_ERRORS)
def get_tokens(_: AdminDep, registry: RegistryDep) -> list[dict[str, Any]]:
    return [token_public(t) for t in registry.list_tokens()]


@router.post("/api/v1/tokens", summary="Create a token (admin); the secret is shown once", status_code=201,
             response_model=TokenCreated, responses=WRITE_ERRORS)
def post_token(data: TokenCreate, actor: AdminDep, registry: RegistryDep) -> dict[str, Any]:
    row, secret = registry.create_token(data.name, role=data.role, actor=actor)
    return {**token_public(row), "token": secret}


@router.delete("/api/v1/tokens/{name}", summary="Revoke a token (admin)", response_model=TokenOut,
               responses=WRITE_ERRORS)
def delete_token(name: str, actor: AdminDep, registry: RegistryDep) -> dict[str, Any]:
    return token_public(registry.revoke_token(name, actor=actor))
