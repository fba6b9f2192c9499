"""Operational tables: API tokens, the search outbox and the status-change feed."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from registry.models._types import ts_column, utcnow


class ApiToken(SQLModel, table=True):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    role: str = Field(max_length=20)
    token_hash: str = Field(unique=True, max_length=64)
    # The user a token acts for (its scope is the user's); None for a machine token made on the command line.
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    revoked_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class OutboxEntry(SQLModel, table=True):
    """A document whose search projection must be refreshed; written in the same transaction as the change."""

    __tablename__ = "search_outbox"

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(index=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    processed_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, index=True))


class StatusChange(SQLModel, table=True):
    """One change of a document's current status, for the change feed (written with the change)."""

    __tablename__ = "status_changes"

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True)
    old_status: str | None = Field(default=None, max_length=32)
    new_status: str = Field(max_length=32)
    reason: str = Field(default="", max_length=2000)
    event_id: int | None = None
    changed_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(index=True))
