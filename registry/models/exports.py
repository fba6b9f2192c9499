"""Export jobs: a large export is prepared in the background and its file downloaded later (issue 18).

A job is keyed twice: ``id`` is unguessable (it is the only key to the job and its file, and needs no
account), ``key`` is a digest of the format and filters, so an identical request while a job is queued,
running, or done and fresh finds that job instead of starting another. ``lease_until`` is the claim of
the process running it: a job whose lease passed while it was ``running`` is claimed again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow

JOB_STATES = ("queued", "running", "done", "failed", "expired")


class ExportJob(SQLModel, table=True):
    """One export job and its progress; ``file_name`` is its result in the stored files once done."""

    __tablename__ = "export_jobs"

    id: str = Field(primary_key=True, max_length=43)
    key: str = Field(max_length=64, index=True)
    format: str = Field(max_length=10)
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    requested_by: str = Field(default="anonymous", max_length=200)
    client: str = Field(default="", max_length=100)
    state: str = Field(default="queued", max_length=20, index=True)
    rows_done: int = 0
    rows_total: int = 0
    error: str | None = Field(default=None, max_length=500)
    file_name: str | None = Field(default=None, max_length=200)
    lease_until: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    finished_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    expires_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class ExportJobPublic(SQLModel):
    """An export job as the API shows it: its state and progress, and where its page and file are."""

    id: str
    format: str
    filters: dict[str, Any]
    state: str = Field(description="queued, running, done, failed or expired")
    rows_done: int
    rows_total: int
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None = Field(description="When the finished file is deleted")
    url: str = Field(description="This job (GET it again for progress)")
    file_url: str | None = Field(description="The finished file, once state is done")
    page_url: str = Field(description="The job's web page (progress, then a download link)")
