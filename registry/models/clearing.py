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
