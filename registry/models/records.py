"""Answers of the lifecycle records (备案, 合法性审核, 备案审查, renewals, interpretations, the period sweep).

Defined once: the services build them, the API declares them as response models, the pages read their
attributes and the CLI prints them with ``--json``. Dates are ISO strings, as in every other answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from registry.models.answers import DocumentSummary


class FilingRecorded(BaseModel):
    """A filing (备案) recorded, and whether it met the deadline."""

    document: DocumentSummary
    event_id: int
    filed_on: str
    filed_with: str
    deadline: str | None = Field(description="Publication date plus the filing period; none without a date")
    state: str = Field(description="on_time or late; unknown without a publication date")
    days_late: int | None


class LegalityReviewRecorded(BaseModel):
    """A legality review (合法性审核) recorded; flagged when it came after publication."""

    document: DocumentSummary
    event_id: int
    reviewed_on: str
    before_publication: bool
    flags: list[str]


class FilingReviewRecorded(BaseModel):
    """A filing-review outcome (备案审查: 通过 / 纠正 / 撤销) recorded, with the status it leaves."""

    document: DocumentSummary
    event_id: int
    outcome: str
    status: str


class RenewalRecorded(BaseModel):
    """A new validity period recorded, with the status it leaves and any period flags."""

    document: DocumentSummary
    event_id: int
    new_expiry: str
    status: str
    flags: list[str]


class InterpretationLinked(BaseModel):
    """A policy interpretation linked to its policy (once: linking again answers the first link)."""

    policy: DocumentSummary
    interpretation: DocumentSummary
    event_id: int
    created: bool = Field(description="False when the link already existed")
    deadline: str | None = Field(description="The working-day deadline for publishing the interpretation")
    on_time: bool | None
    calendar_unknown: str | None = Field(None, description="Why no deadline: the year's holidays are not known")


class SweepResult(BaseModel):
    """What a period sweep recorded and what it found coming."""

    today: str
    expired: list[dict[str, Any]] = Field(description="Periods that ended and were recorded now")
    refreshed: list[dict[str, Any]] = Field(description="Other documents whose stored status was brought up to date")
    ending_within_months: dict[str, list[dict[str, Any]]] = Field(
        description="Periods ending within each reminder window (months as keys), nearest window only")
    provisional_over_limit: list[dict[str, Any]] = Field(description="暂行/试行 documents in force past the limit")
