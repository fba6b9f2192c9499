"""Stored file contents in the database (issue 18, scale-out): what :class:`DatabaseFileStore` keeps.

A file is one :class:`StoredFile` row (its name, length, sha256 and number of chunks) and its bytes in
:class:`StoredFileChunk` rows of at most a mebibyte each, numbered from 0. Both are written in one
transaction, so a file is either wholly there or not at all; see :mod:`registry.storage.files_db` for why
chunked ``bytea`` rather than PostgreSQL large objects.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, LargeBinary, String
from sqlmodel import Field, SQLModel

from registry.models._types import ts_column, utcnow


class StoredFile(SQLModel, table=True):
    """One stored file, published (visible to readers) only together with all of its chunks."""

    __tablename__ = "stored_files"

    name: str = Field(primary_key=True, max_length=300)
    size_bytes: int = Field(sa_column=Column(BigInteger(), nullable=False))
    sha256: str = Field(max_length=64)
    chunks: int
    stored_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())


class StoredFileChunk(SQLModel, table=True):
    """A piece of a stored file's bytes; ``seq`` orders the pieces from 0."""

    __tablename__ = "stored_file_chunks"

    name: str = Field(sa_column=Column(String(300), ForeignKey("stored_files.name", ondelete="CASCADE"),
                                       primary_key=True))
    seq: int = Field(sa_column=Column(Integer(), primary_key=True, autoincrement=False))
    data: bytes = Field(sa_column=Column(LargeBinary(), nullable=False))
