"""Documents, their articles, stored source files and relations.

One model family per entity (``Base`` shared fields, ``Create`` input, ``Update`` partial input, the table,
``Public`` output): server-set fields such as ``status`` and ``version`` can never come in from a client.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow
from registry.rules.text import has_control


class DocumentBase(SQLModel):
    title: str = Field(index=True, min_length=1, max_length=500)
    doc_number: str | None = Field(default=None, max_length=100)
    registration_number: str | None = Field(default=None, max_length=100)
    issuer: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=100, index=True)
    region: str | None = Field(default=None, max_length=100)
    written_date: date | None = None
    publication_date: date | None = Field(default=None, index=True)
    effective_date: date | None = None
    expiry_date: date | None = None
    index_no: str | None = Field(default=None, max_length=100)
    topic: str | None = Field(default=None, max_length=200)
    source_url: str | None = Field(default=None, max_length=1000)
    pinned: bool = False


_SHORT_FIELDS = ("title", "doc_number", "registration_number", "issuer", "category", "region", "index_no", "topic",
                 "source_url")


def _no_control(value: str | None) -> str | None:
    if value is not None and has_control(value):
        raise ValueError("contains a control character (e.g. U+0000 or a vertical tab); remove it")
    return value


def _no_nul(value: str | None) -> str | None:
    return value.replace("\x00", "") if value else value  # PostgreSQL text cannot hold U+0000


class DocumentCreate(DocumentBase):
    id: str | None = Field(default=None, max_length=64, schema_extra={"pattern": r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"})
    text: str = ""
    co_issuers: list[str] = Field(default_factory=list)

    _short = field_validator(*_SHORT_FIELDS)(_no_control)
    _text = field_validator("text")(_no_nul)


class DocumentUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=500)
    doc_number: str | None = Field(default=None, max_length=100)
    registration_number: str | None = Field(default=None, max_length=100)
    issuer: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    written_date: date | None = None
    publication_date: date | None = None
    effective_date: date | None = None
    expiry_date: date | None = None
    index_no: str | None = None
    topic: str | None = None
    source_url: str | None = None
    pinned: bool | None = None
    text: str | None = None

    _short = field_validator(*_SHORT_FIELDS)(_no_control)
    _text = field_validator("text")(_no_nul)


class Document(DocumentBase, table=True):
    __tablename__ = "documents"

    id: str = Field(primary_key=True, max_length=64)
    title_key: str = Field(index=True, max_length=500)
    doc_number_key: str | None = Field(default=None, index=True, max_length=100)
    registration_number_key: str | None = Field(default=None, index=True, max_length=100)
    co_issuers: list[str] = Field(default_factory=list, sa_column=json_column())
    validity_years: int | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default="unknown", index=True, max_length=32)
    status_reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    status_on: date | None = None
    version: int = Field(default=1)
    # The office that registered it (scope: who may edit); None for documents of other governments that
    # were imported for reference. ``published_at`` None: registered but not yet published (三统一), never
    # shown to the public nor 有效 until it is.
    office_id: int | None = Field(default=None, foreign_key="offices.id", index=True)
    published_at: datetime | None = Field(default_factory=utcnow, sa_column=ts_column(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    # indexed: the documents changed since a reference was last checked (registry/services/recheck.py)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(index=True))


class DocumentPublic(DocumentBase):
    id: str
    co_issuers: list[str]
    validity_years: int | None
    status: str
    label: str
    status_reason: str
    version: int
    created_at: datetime
    updated_at: datetime
    articles: int = 0


class DocumentsPublic(SQLModel):
    total: int
    items: list[DocumentPublic]


class Article(SQLModel, table=True):
    __tablename__ = "articles"

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    ordinal: int
    number: str = Field(max_length=40)
    chapter: str | None = Field(default=None, max_length=200)
    heading: str | None = Field(default=None, max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))


class ArticlePublic(SQLModel):
    ordinal: int
    number: str
    chapter: str | None
    text: str


class SourceFile(SQLModel, table=True):
    """A file a document was ingested from. A changed file is a new row (a new version), never an edit."""

    __tablename__ = "source_files"
    __table_args__ = (UniqueConstraint("document_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    origin: str = Field(index=True, max_length=1000)  # resolved path or catalog key it came from
    sha256: str = Field(index=True, max_length=64)
    size_bytes: int
    format: str = Field(max_length=10)
    stored_name: str | None = Field(default=None, max_length=200)
    meta_hash: str | None = Field(default=None, max_length=64)  # the catalog row it was ingested with
    version_no: int = 1
    ingested_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())


class Relation(SQLModel, table=True):
    """A stated relation: ``source`` amends / repeals / replaces / interprets / is based on ``target``.

    ``target_id`` is None while the reference is unresolved; ``state`` is ``stated`` (found in text,
    waiting for staff), ``confirmed`` or ``rejected``.
    """

    __tablename__ = "relations"

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    target_id: str | None = Field(default=None, foreign_key="documents.id", index=True, ondelete="SET NULL")
    kind: str = Field(max_length=20)
    target_title: str | None = Field(default=None, max_length=500)
    target_doc_number: str | None = Field(default=None, max_length=100)
    quote: str = Field(default="", sa_column=Column(Text, nullable=False))
    state: str = Field(default="stated", max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    # when a resolution pass last tried this unresolved reference against every stored document
    # (registry/services/recheck.py); None: never (a new reference)
    checked_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class RelationPublic(SQLModel):
    id: int
    kind: str
    direction: str  # outgoing: this document -> other; incoming: other -> this
    other_id: str | None
    other_title: str | None
    other_doc_number: str | None
    state: str
    quote: str


