"""Clearing campaigns (清理) and the rows of the lists offices send in.

A campaign is imported once from the office's spreadsheet; each row keeps what the office wrote (title,
文号, issuer, result) beside the registry document it was matched to, how (automatically or by staff), and
the ``cleared`` event that applied it, so applying twice changes nothing and an undo names its event.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow


class ClearingCampaign(SQLModel, table=True):
    __tablename__ = "clearing_campaigns"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    decided_on: date
    source: str = Field(default="", max_length=1000)  # the file the list was imported from
    actor: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    applied_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class ClearingRow(SQLModel, table=True):
    """One line of a clearing list. ``match_state``: ``auto`` (matched by the importer), ``review``
    (waiting for staff), ``confirmed`` (staff chose ``document_id``), ``none`` (staff: not in the registry)."""

    __tablename__ = "clearing_rows"
    __table_args__ = (UniqueConstraint("campaign_id", "row_no"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="clearing_campaigns.id", index=True, ondelete="CASCADE")
    row_no: int
    serial: str | None = Field(default=None, max_length=20)  # 序号 as written
    title: str = Field(default="", max_length=500)
    doc_number: str | None = Field(default=None, max_length=100)
    issuer: str | None = Field(default=None, max_length=200)
    result: str = Field(max_length=10)
    note: str | None = Field(default=None, max_length=2000)
    document_id: str | None = Field(default=None, max_length=64, foreign_key="documents.id", index=True,
                                     ondelete="SET NULL")
    score: float | None = None
    match_state: str = Field(default="review", max_length=20)
    candidates: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column())
    event_id: int | None = Field(default=None, foreign_key="events.id")
    undo_event_id: int | None = Field(default=None, foreign_key="events.id")


# -- answers: what the services return, the API declares and the CLI prints -------------------------------


class ClearingMatch(SQLModel):
    id: str
    title: str
    score: float | None


class ClearingRowPublic(SQLModel):
    """One row of an office's list beside the registry document it was matched to."""

    row: int
    serial: str | None
    title: str
    doc_number: str | None
    issuer: str | None
    result: str = Field(description="继续有效, 修改, 废止 or 失效, as the office listed it")
    note: str | None
    match: ClearingMatch | None
    needs_review: bool
    state: str = Field(description="auto, review, confirmed or none")
    candidates: list[dict[str, Any]]
    applied: bool
    event_id: int | None
    undone: bool


class ClearingRowUndone(ClearingRowPublic):
    undo_event_id: int
    status: str = Field(description="The document's status after the undo")


class CampaignSummary(SQLModel):
    rows: int
    matched: int
    needs_review: int
    applied: int


class CampaignPublic(SQLModel):
    """A campaign with every row and its match."""

    campaign: str
    decided_on: str
    source: str
    applied_at: str | None
    summary: CampaignSummary
    rows: list[ClearingRowPublic]


class CampaignListed(SQLModel):
    campaign: str
    decided_on: str
    applied_at: str | None


class CampaignApplied(SQLModel):
    """What applying a campaign recorded, and the rows whose document now disagrees with the list."""

    campaign: str
    applied: int
    rows: list[dict[str, Any]] = Field(description="row, id, title, result, event_id, old_status, new_status")
    already_applied: int
    needs_review: int
    not_in_registry: int
    conflicts: list[dict[str, Any]] = Field(description="row, id, title, result, expected, status, reason")


class CampaignExported(SQLModel):
    campaign: str
    format: str
    path: str
    lists: dict[str, int] = Field(description="How many documents each published list holds")


class PublishedLists(SQLModel):
    """A campaign's result lists as published: 继续有效目录, 修改目录, 废止目录, 失效目录 (label → numbered rows)."""

    campaign: str
    decided_on: str
    applied: bool = Field(description="False until a reviewer applied the campaign; nothing is public before")
    lists: dict[str, list[dict[str, Any]]]
