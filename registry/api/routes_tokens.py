"""Token management over HTTP (admin only); the same operations as ``normreg token``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from registry.api.auth import AdminDep
from registry.api.deps import SessionDep
from registry.api.schemas import WRITE_ERRORS, TokenCreate, TokenCreated, TokenOut
from registry.services.auth import create_token, list_tokens, revoke_token, token_public

router = APIRouter(tags=["tokens"])


@router.get("/api/v1/tokens", summary="List tokens (admin); hashes are never shown", response_model=list[TokenOut],
            responses=WRITE_ERRORS)
def get_tokens(_: AdminDep, session: SessionDep) -> list[dict[str, Any]]:
    return [token_public(t) for t in list_tokens(session)]


@router.post("/api/v1/tokens", summary="Create a token (admin); the secret is shown once", status_code=201,
             response_model=TokenCreated, responses=WRITE_ERRORS)
def post_token(data: TokenCreate, actor: AdminDep, session: SessionDep) -> dict[str, Any]:
    row, secret = create_token(session, name=data.name, role=data.role, actor=actor.name)
    return {**token_public(row), "token": secret}


@router.delete("/api/v1/tokens/{name}", summary="Revoke a token (admin)", response_model=TokenOut,
               responses=WRITE_ERRORS)
def delete_token(name: str, actor: AdminDep, session: SessionDep) -> dict[str, Any]:
    return token_public(revoke_token(session, name=name, actor=actor.name))
