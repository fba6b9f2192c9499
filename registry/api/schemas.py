"""Response models for the API, so /openapi.json describes every shape."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from registry.http.deps import Year
from registry.models import ArticlePublic, DocumentPublic, RelationPublic
from registry.models.answers import DocumentSummary, ValidityResponse

__all__ = ["DocumentSummary", "ValidityResponse", "Year"]  # re-exported: the query models of several routes use it



class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found.")
    message: str = Field(description="Human-readable message.")
    details: Any = Field(None, description="Extra structured information, if any.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


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
    # unit=article only: the hit is this one article
    ordinal: int | None = Field(None, description="unit=article: the article's position in its document.")
    heading: str | None = Field(None, description="unit=article: the article's chapter heading.")
    article_status: str | None = Field(None, description="unit=article: the article's own status today "
                                       "(invalid once a partial invalidity ended it).")
    article_label: str | None = Field(None, description="unit=article: the article's status in Chinese.")
    article_void_from: str | None = Field(None, description="unit=article: the day the article lost (or loses) "
                                          "effect, if a partial invalidity names it.")
    article_void_reason: str | None = Field(None, description="unit=article: why, as recorded.")


class SearchResponse(BaseModel):
    total: int = Field(description="Number of matching documents; an estimate when total_estimated is true.")
    hits: list[SearchHitOut]
    facets: dict[str, dict[str, int]]
    took_ms: float
    unit: Literal["document", "article"] | None = Field(None, description="\"article\" when each hit is one article.")
    total_estimated: bool = Field(False, description="True when total was counted on a sample of a very broad "
                                  "match set (shown as 约 / about); the hits are never estimated.")
    facets_estimated: bool = Field(False, description="True when the facet counts are estimates from a sample; "
                                   "they are exact whenever the match set is small (docs/api.md).")


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


class FileOut(BaseModel):
    version: int = Field(description="1 for the first file, then one more for each changed file.")
    sha256: str
    format: str
    size_bytes: int
    ingested_at: str


class DocumentOut(DocumentPublic):
    """One document as GET /api/v1/documents/{id} returns it; its ETag is in the ETag header."""

    articles: list[ArticlePublic]  # type: ignore[assignment]
    relations: list[RelationPublic] = Field(description="Both ways: outgoing (this → other) and incoming.")
    files: list[FileOut]
    text: str = ""


class ChangeOut(BaseModel):
    id: int
    document_id: str
    title: str
    doc_number: str | None
    old_status: str | None
    old_label: str | None
    new_status: str
    new_label: str | None
    reason: str
    event_id: int | None
    changed_at: str = Field(description="ISO 8601, UTC.")


class ChangesResponse(BaseModel):
    total: int = Field(description="Changes after `since` (all pages).")
    items: list[ChangeOut]


class IngestFailure(BaseModel):
    path: str
    error: str


class IngestedDocument(BaseModel):
    path: str
    id: str
    result: str = Field(description="added, updated or unchanged")


class UploadResponse(BaseModel):
    added: int
    updated: int
    unchanged: int
    failed: list[IngestFailure]
    documents: list[IngestedDocument]
    relations: int


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="Who holds it; recorded as the actor of writes.")
    role: str = Field(pattern="^(clerk|reviewer|admin)$")


class TokenOut(BaseModel):
    id: int | None
    name: str
    role: str
    created_at: str
    revoked_at: str | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret; shown once, never stored.")


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Not found"},
    409: {"model": ErrorResponse, "description": "Conflict or ambiguous reference"},
    422: {"model": ErrorResponse, "description": "Invalid input"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorResponse, "description": "No valid bearer token"},
    403: {"model": ErrorResponse, "description": "The token's role may not do this"},
}
RATE_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorResponse, "description": "Too many requests; see Retry-After"},
}


# Request bodies of the lifecycle routes.

class ResolveIn(BaseModel):
    document: str | None = Field(None, max_length=500, description="Id, 文号 or title; null: names nothing")


class UndoIn(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class FilingIn(BaseModel):
    filed_on: date
    filed_with: str = Field(min_length=1, max_length=200, description="The supervising body (备案机关)")
    filing_number: str | None = Field(None, max_length=100)
    evidence: dict[str, Any] = Field(default_factory=dict)


class LegalityReviewIn(BaseModel):
    reviewed_on: date
    reviewer: str = Field(min_length=1, max_length=200)
    opinion: str | None = Field(None, max_length=5000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class FilingReviewIn(BaseModel):
    reviewed_on: date
    outcome: Literal["通过", "纠正", "撤销"]
    reviewer: str | None = Field(None, max_length=200)
    legal_basis: str | None = Field(None, max_length=1000)
    evidence: dict[str, Any] = Field(default_factory=dict)


class RenewalIn(BaseModel):
    new_expiry: date
    renewed_on: date
    registration_number: str | None = Field(None, max_length=100)
    legal_basis: str | None = Field(None, max_length=1000)


class InterpretationIn(BaseModel):
    interpretation: str = Field(min_length=1, max_length=500, description="Id, 文号 or title of the interpretation")
