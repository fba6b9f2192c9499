"""The audit log: one row per write, chained by hashes so that an edited, removed or reordered row shows.

Rows are appended only (the database refuses UPDATE and DELETE, as for ``events``); ``registry.storage.audit``
writes them and ``normreg doctor`` verifies the chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow


class AuditEntry(SQLModel, table=True):
    """``hash`` is sha256(prev_hash + canonical JSON of the other fields); the first row's prev_hash is 64 zeros."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(index=True))
    actor: str = Field(max_length=200)
    action: str = Field(max_length=60, index=True)
    target: str | None = Field(default=None, max_length=200, index=True)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
