"""Signed validity statements (核验凭证) and citizens' review suggestions (审查建议).

A statement is kept exactly as it was signed (``body``, the canonical JSON's source) so ``GET
/api/v1/statements/{id}`` returns the same bytes to verify years later. A suggestion holds personal data
(name, contact, the client hash): it is read by staff within reach only and never leaves through a public
page, an export or a feed; the public sees counts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import field_validator
from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow
from registry.rules.text import has_control


class Statement(SQLModel, table=True):
    """One issued statement: the signed fields (``body``, signature included) and what finds it again."""

    __tablename__ = "statements"

    id: str = Field(primary_key=True, max_length=40)
    document_id: str = Field(foreign_key="documents.id", index=True)
    key_id: str = Field(max_length=64)
    body: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    issued_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(index=True))


class SuggestionBase(SQLModel):
    name: str | None = Field(default=None, max_length=100)
    contact: str = Field(min_length=3, max_length=200)
    text: str = Field(min_length=5, max_length=5000)


class SuggestionCreate(SuggestionBase):
    """What a citizen sends: an optional name, a mail address to answer to, the suggestion itself."""

    @field_validator("name", "contact")
    @classmethod
    def _short(cls, value: str | None) -> str | None:
        if value is not None and has_control(value):
            raise ValueError("contains a control character; remove it")
        return value.strip() if value else value


class Suggestion(SuggestionBase, table=True):
    """A 审查建议 as received, with its deadline and (once answered) the reply and its delivery."""

    __tablename__ = "review_suggestions"

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    client_hash: str = Field(index=True, max_length=64)  # keyed hash of the address: for the limit, not a record
    attachment_name: str | None = Field(default=None, max_length=200)
    attachment_stored: str | None = Field(default=None, max_length=200)
    attachment_type: str | None = Field(default=None, max_length=100)
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(index=True))
    due_on: date
    reply: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    replied_by: str | None = Field(default=None, max_length=200)
    replied_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    mailed_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    mail_error: str | None = Field(default=None, max_length=1000)
