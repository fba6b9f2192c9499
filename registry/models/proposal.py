"""Proposals: a status-changing decision a clerk proposes and a reviewer confirms (or rejects).

Repeal, amendment, declared invalidity and partial invalidity change what citizens are told about a
document, so one person never does it alone: the clerk's proposal waits here, visible on the document's
workspace and in the reviewer's inbox, until its author withdraws it or a reviewer whose reach covers the
document decides. Confirming appends the event (naming both people); the proposal keeps the event's id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow


class Proposal(SQLModel, table=True):
    """``kind`` is the event type it would append (repealed, amended, declared_invalid, partially_invalid);
    ``state`` is open, withdrawn, confirmed or rejected, and only an open proposal changes state."""

    __tablename__ = "proposals"

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=40)
    date: dt.date  # when the change takes effect
    legal_basis: str | None = Field(default=None, max_length=1000)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    proposed_by: str = Field(max_length=200)
    proposed_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    state: str = Field(default="open", max_length=20, index=True)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    decision_note: str | None = Field(default=None, max_length=2000)
    event_id: int | None = Field(default=None, foreign_key="events.id")
