"""``/api/v1/statements``: signed validity statements (核验凭证) — issue, fetch, verify, and the public key.

No token is needed (a citizen or a court asks); issuing and verifying are rate-limited per client. The
signature is Ed25519 over the canonical JSON described at ``GET /api/v1/statements/key``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field

from registry.api.schemas import ERRORS, RATE_LIMITED
from registry.http.deps import RegistryDep
from registry.http.statement_limit import issue_limit, verify_limit
from registry.rules.dates import parse_date

router = APIRouter(tags=["statements"])


class StatementIn(BaseModel):
    ref: str = Field(min_length=1, max_length=500, description="Id, 文号, registration number or title")
    at: str | None = Field(None, max_length=10, description="YYYY-MM-DD; default today")


class StatementOut(BaseModel):
    """A statement as signed; every field (except ``signature``) is covered by the signature."""

    model_config = ConfigDict(extra="allow")
    type: str
    version: int
    id: str
    registry: str
    document: dict[str, Any]
    asked_for: str = Field(description="The date the status is stated for")
    status: str
    label: str
    label_en: str
    reason: str
    reason_en: str
    evidence: list[dict[str, Any]]
    successor: dict[str, Any] | None
    data_as_of: str | None = Field(description="数据截至: when the registry's data last changed before issuing")
    issued_at: str
    key_id: str
    verify_url: str
    signature: str = Field(description="Ed25519 over the canonical JSON of the other fields, base64url")


class VerifyOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    authentic: bool = Field(description="Signed by this registry's key and unaltered")
    current: bool = Field(description="The registry still gives the same status (and successor) for that date")
    reason: str


class PublicKeyOut(BaseModel):
    key_id: str
    algorithm: str
    public_key: str = Field(description="The raw 32-byte Ed25519 key, base64url")
    pem: str
    url: str
    jwk: dict[str, str]
    canonical_form: str


@router.get("/api/v1/statements/key", summary="The public key statements are signed with",
            response_model=PublicKeyOut)
def public_key(registry: RegistryDep) -> dict[str, Any]:
    return registry.public_key()


@router.post("/api/v1/statements", summary="Issue a signed validity statement (核验凭证); no token needed",
             status_code=201, response_model=StatementOut, responses={**ERRORS, **RATE_LIMITED},
             dependencies=[Depends(issue_limit)])
def issue(registry: RegistryDep, body: StatementIn) -> dict[str, Any]:
    return registry.issue_statement(body.ref, parse_date(body.at, "at"))


@router.post("/api/v1/statements/verify", summary="Verify a statement: authentic? still the registry's answer?",
             response_model=VerifyOut, responses={**RATE_LIMITED}, dependencies=[Depends(verify_limit)])
def verify(registry: RegistryDep, statement: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    return registry.verify_statement(statement)


@router.get("/api/v1/statements/{statement_id}", summary="A statement again, exactly as issued",
            response_model=StatementOut, responses={**ERRORS})
def get_statement(registry: RegistryDep, statement_id: str) -> dict[str, Any]:
    return registry.get_statement(statement_id)
