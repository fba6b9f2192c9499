"""Text versions of a document: each text it has had, with the dates that text was in force.

A document (the work) keeps one row per text (its expressions): the text as first registered, a changed
file ingested or registered again, an amendment applied, a consolidation. Rows are snapshots (the text
and its articles as JSON), so reading the text as at a date is one indexed lookup and never replays
amendments. ``in_force_to`` is the day before the next version took effect (None: the newest text).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import field_validator
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow
from registry.rules.text import has_control

#: Where a text came from: ``original`` the first text (also the backfill of documents registered before
#: versions existed), ``file`` a changed file ingested or registered as the next version, ``amendment`` an
#: amending decision applied, ``consolidation`` a consolidated text (修正文本), ``correction`` an erratum.
ORIGINS = ("original", "file", "amendment", "consolidation", "correction")
ORIGIN_LABELS: dict[str, dict[str, str]] = {
    "original": {"zh": "原始文本", "en": "Original text"},
    "file": {"zh": "新版文件", "en": "New file"},
    "amendment": {"zh": "依修改决定修改", "en": "Amendment applied"},
    "consolidation": {"zh": "修正文本（汇编）", "en": "Consolidated text"},
    "correction": {"zh": "勘误", "en": "Correction"},
}
AddedOrigin = Literal["amendment", "consolidation", "correction", "file"]


class TextVersion(SQLModel, table=True):
    __tablename__ = "text_versions"
    __table_args__ = (UniqueConstraint("document_id", "version_no"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True, ondelete="CASCADE", max_length=64)
    version_no: int
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    # [{"ordinal", "number", "chapter", "heading", "text"}] in reading order, as split at the time
    articles: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column())
    in_force_from: date | None = None
    in_force_to: date | None = None
    origin: str = Field(default="original", max_length=20)
    source: str | None = Field(default=None, max_length=1000)  # the file, upload or decision it came from
    amended_by: str | None = Field(default=None, foreign_key="documents.id", ondelete="SET NULL", max_length=64)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    actor: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())


class TextVersionCreate(SQLModel):
    """A text staff add: an amendment applied, a consolidated text or a correction, in force from a day."""

    text: str = Field(min_length=1, max_length=2_000_000)
    in_force_from: date
    origin: AddedOrigin = "amendment"
    amended_by: str | None = Field(default=None, max_length=64, description="id of the amending document")
    source: str | None = Field(default=None, max_length=1000)
    note: str = Field(default="", max_length=2000)

    @field_validator("text", "note")
    @classmethod
    def _clean(cls, value: str) -> str:
        value = value.replace("\x00", "")
        if has_control(value.replace("\f", "")):
            raise ValueError("contains a control character (e.g. a vertical tab); remove it")
        return value


class VersionFacts(SQLModel):
    """What every answer about one version says: which, in force when, where it came from."""

    version: int
    in_force_from: date | None
    in_force_to: date | None
    origin: str
    source: str | None
    amended_by: str | None
    note: str
    recorded_at: datetime | None
    stored: bool  # False: the implied first version of a document whose text never changed


class TextVersionPublic(VersionFacts):
    """A version as listed (without its text)."""

    articles: int


class TextVersionsPublic(SQLModel):
    document_id: str
    items: list[TextVersionPublic]


class VersionArticle(SQLModel):
    number: str
    chapter: str | None
    text: str


class TextAtPublic(VersionFacts):
    """The text in force on ``at``: its version, period, articles and the document's status that day."""

    document_id: str
    title: str
    at: date
    text: str
    articles: list[VersionArticle]
    versions: int
    status: str
    label: str


class DiffOp(SQLModel):
    op: Literal["equal", "delete", "insert", "replace"]
    old: str
    new: str


class ArticleDiffPublic(SQLModel):
    status: Literal["unchanged", "changed", "moved", "inserted", "deleted"]
    old_number: str | None
    new_number: str | None
    renumbered: bool
    similarity: float
    ops: list[DiffOp] | None = None  # changed: the whole article, equal runs included
    text: str | None = None  # inserted and moved: the new text; deleted: the old text


class DiffSide(SQLModel):
    document_id: str
    title: str
    status: str
    label: str
    version: int
    in_force_from: date | None
    in_force_to: date | None


class DiffPublic(SQLModel):
    old: DiffSide
    new: DiffSide
    summary: dict[str, int]
    articles: list[ArticleDiffPublic]
