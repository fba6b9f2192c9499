"""Intake (登记前审核): uploaded files waiting for a clerk's review, and the registration serials.

An :class:`IntakeItem` holds one uploaded file as the extractor read it: the stored file, the fields it
found, how each was found (``found``, ``guessed``, ``missing``), warnings, and the text with its articles
and stated references, so registering needs no second extraction. A file that could not be read is an
item too, with its error, so one broken file is reported beside the others instead of stopping them.

:class:`RegistrationSerial` is the last serial issued per office and year. It only ever grows: a serial
is never issued twice, even when the registration it went to is later withdrawn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow


class IntakeItem(SQLModel, table=True):
    """One uploaded file. ``state``: ``pending`` (waiting for review), ``failed`` (could not be read),
    ``registered`` (became ``document_id``, new or as a new version), ``discarded``."""

    __tablename__ = "intake_items"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int | None = Field(default=None, foreign_key="offices.id", index=True)
    uploaded_by: str = Field(max_length=200)
    filename: str = Field(max_length=200)
    stored_name: str | None = Field(default=None, max_length=200)  # in the file store, named by content
    sha256: str | None = Field(default=None, max_length=64)
    size_bytes: int = 0
    format: str | None = Field(default=None, max_length=10)
    pages: int | None = None
    state: str = Field(default="pending", max_length=20, index=True)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    provenance: dict[str, str] = Field(default_factory=dict, sa_column=json_column())
    warnings: list[str] = Field(default_factory=list, sa_column=json_column())
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    articles: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column())
    refs: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column())
    document_id: str | None = Field(default=None, max_length=64, foreign_key="documents.id", index=True,
                                     ondelete="SET NULL")
    registered_as: str | None = Field(default=None, max_length=20)  # new | version
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    decided_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class RegistrationSerial(SQLModel, table=True):
    """The last 统一登记号 serial issued for an office in a year (one row per office and year)."""

    __tablename__ = "registration_serials"

    office_id: int = Field(foreign_key="offices.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class IntakeMatch(SQLModel):
    """The document of the same office an upload matches (by 文号 or title): registering it makes a version."""

    id: str
    title: str
    doc_number: str | None
    registration_number: str | None
    version: int


class IntakeItemPublic(SQLModel):
    """An upload as the API and the review screen show it; ``text``, ``articles`` and ``refs`` only for one item."""

    id: int
    office_id: int | None
    uploaded_by: str
    filename: str
    stored_name: str | None
    sha256: str | None
    size_bytes: int
    format: str | None
    pages: int | None
    state: str = Field(description="pending, failed, registered or discarded")
    error: str | None
    fields: dict[str, Any] = Field(description="What was extracted: title, doc_number, issuer and the dates")
    provenance: dict[str, str] = Field(description="Per field: found, guessed or missing")
    warnings: list[str]
    text: str | None = None
    articles: list[dict[str, Any]] | None = None
    refs: list[dict[str, Any]] | None = None
    document_id: str | None
    registered_as: str | None = Field(description="new or version, once registered")
    created_at: datetime
    decided_at: datetime | None
    match: IntakeMatch | None
