"""Response models for the API, so /openapi.json describes every shape."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found.")
    message: str = Field(description="Human-readable message.")
    details: Any = Field(None, description="Extra structured information, if any.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class DocumentSummary(BaseModel):
    id: str
    title: str
    doc_number: str | None
    registration_number: str | None
    issuer: str | None
    publication_date: str | None
    effective_date: str | None
    expiry_date: str | None


class ValidityResponse(BaseModel):
    document: DocumentSummary
    status: str = Field(description="not_yet_effective, in_force, amended, partially_invalid, invalid, repealed or unknown")
    label: str = Field(description="Chinese label, e.g. 有效")
    label_en: str
    as_of: str
    reason: str = Field(description="One sentence (Chinese) saying why.")
    reason_en: str
    evidence: list[dict[str, Any]]
    successor: DocumentSummary | None
    flags: list[str]


class SearchHitOut(BaseModel):
    id: str
    title: str
    doc_number: str | None
    issuer: str | None
    publication_date: str | None
    status: str
    label: str
    score: float
    snippet: str | None = Field(description="HTML-escaped original text with matches in <mark>.")
    article: str | None = Field(description="The article (第X条) the hit points to, if any.")


class SearchResponse(BaseModel):
    total: int
    hits: list[SearchHitOut]
    facets: dict[str, dict[str, int]]
    took_ms: float


class SuggestItem(BaseModel):
    id: str
    title: str
    doc_number: str | None


class HealthResponse(BaseModel):
    ok: bool
    database: bool
    search: bool
    documents: int
    version: str
