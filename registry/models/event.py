"""The append-only event log. Events are never edited or deleted (the database refuses it);
a mistake is undone by a ``revoked`` event that names the one it undoes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow


class EventBase(SQLModel):
    type: str = Field(max_length=40)
    date: dt.date | None = None  # when it took effect
    legal_basis: str | None = Field(default=None, max_length=1000)


class EventCreate(EventBase):
    payload: dict[str, Any] = Field(default_factory=dict)
    evidence: dict[str, Any] = Field(default_factory=dict)
    text: str | None = Field(default=None, max_length=20000)


class Event(EventBase, table=True):
    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True)
    actor: str = Field(max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    evidence: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column(index=True))


class EventPublic(EventBase):
    id: int
    document_id: str
    actor: str
    payload: dict[str, Any]
    evidence: dict[str, Any]
    text: str | None
    recorded_at: dt.datetime


class EventsPublic(SQLModel):
    total: int
    items: list[EventPublic]
