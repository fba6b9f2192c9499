"""Review tasks of the basis watch: a document to review because a law it is based on changed.

A task is opened by :mod:`registry.services.tasks` in the transaction that changed the basis's status, and
closed by a reviewer's decision, recorded as an event whose evidence names the task. Tasks are never
deleted: a closed task keeps its decision and the event that carries it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow

TASK_KINDS = ("basis_changed",)
TASK_STATES = ("open", "resolved")


class ReviewTask(SQLModel, table=True):
    """One review to do: ``document_id`` must be reviewed because ``basis_id`` changed status."""

    __tablename__ = "review_tasks"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="basis_changed", max_length=30, index=True)
    document_id: str = Field(foreign_key="documents.id", index=True, ondelete="CASCADE")
    basis_id: str | None = Field(default=None, foreign_key="documents.id", index=True, ondelete="SET NULL")
    basis_title: str = Field(default="", max_length=500)  # as cited, kept if the basis is ever removed
    articles: list[str] = Field(default_factory=list, sa_column=json_column())
    old_status: str | None = Field(default=None, max_length=32)
    new_status: str = Field(max_length=32)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    due: date
    state: str = Field(default="open", max_length=20, index=True)
    opened_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    resolved_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    resolved_by: str | None = Field(default=None, max_length=200)
    decision: str | None = Field(default=None, max_length=20)
    event_id: int | None = Field(default=None, foreign_key="events.id")


class ReviewTaskPublic(SQLModel):
    id: int
    kind: str
    document_id: str
    basis_id: str | None
    basis_title: str
    articles: list[str]
    old_status: str | None
    new_status: str
    reason: str
    due: date
    state: str
    decision: str | None
    event_id: int | None


class ReviewTasksPublic(SQLModel):
    items: list[ReviewTaskPublic]


class BasisTarget(SQLModel):
    id: str
    title: str
    status: str


class BasisItem(SQLModel):
    """One 《…》 a document names as its basis, with the registry document it resolved to (or null)."""

    title: str
    articles: list[str]
    document: BasisTarget | None
    quote: str = ""


class BasisPublic(SQLModel):
    items: list[BasisItem]
    cited_by: list[BasisTarget] = Field(default_factory=list)


class TaskResolve(SQLModel):
    decision: str = Field(max_length=20, description="继续有效 / 修改 / 废止 / 宣布失效")
    decided_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)
