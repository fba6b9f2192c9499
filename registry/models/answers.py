"""Answers defined once: the short form of a document and the validity answer. The services build them,
the API declares them as response models and the CLI prints them with ``--json``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from registry.models.document import Document


class DocumentSummary(BaseModel):
    """The short form of a document used inside other answers."""

    id: str
    title: str
    doc_number: str | None
    registration_number: str | None
    issuer: str | None
    publication_date: str | None
    effective_date: str | None
    expiry_date: str | None

    @classmethod
    def of(cls, doc: Document) -> DocumentSummary:
        return cls(id=doc.id, title=doc.title, doc_number=doc.doc_number, registration_number=doc.registration_number,
                   issuer=doc.issuer, publication_date=_iso(doc.publication_date),
                   effective_date=_iso(doc.effective_date), expiry_date=_iso(doc.expiry_date))


class ValidityResponse(BaseModel):
    """What ``check`` answers: the status of a document on a date, with reason and evidence."""

    document: DocumentSummary
    status: str = Field(description="not_yet_effective, in_force, amended, partially_invalid, invalid, repealed or unknown")
    label: str = Field(description="Chinese label, e.g. 有效")
    label_en: str
    as_of: str
    reason: str = Field(description="One sentence (Chinese) saying why.")
    reason_en: str
    evidence: list[dict[str, Any]]
    successor: DocumentSummary | None
    flags: list[str]


class Report(BaseModel):
    """A staff report in its one tabular shape: the same data goes out as JSON, CSV, XLSX and onto the page.

    Fields a report does not have are left unset (and out of the JSON): ``deadline_days`` belongs to
    overdue-filings, ``working_days`` and ``calendar_unknown`` to missing-interpretations.
    """

    report: str = Field(description="overdue-filings, expiries, missing-interpretations or scorecard")
    title: str
    as_of: str = Field(description="The day the report was computed for (YYYY-MM-DD)")
    columns: list[str] = Field(description="The row keys, in display order")
    rows: list[dict[str, Any]]
    deadline_days: int | None = None
    working_days: int | None = None
    calendar_unknown: list[dict[str, Any]] | None = Field(
        None, description="Documents whose deadline falls in a year the holiday calendar does not know yet")


class ReportName(BaseModel):
    name: str
    title: str


class ReportsListed(BaseModel):
    """The reports the registry can compute."""

    reports: list[ReportName]


class ScorecardDocument(BaseModel):
    id: str
    title: str
    doc_number: str | None
    issuer: str | None
    publication_date: str | None
    status: str


class ScorecardList(BaseModel):
    """The documents behind one number of the scorecard: exactly those it counts."""

    group: str
    label: str = Field(description="The office or issuer's name")
    measure: str
    counted: str = Field(description="The count the measure is made of (a rate lists its count's documents)")
    value: float | int | None
    as_of: str
    documents: list[ScorecardDocument]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def brief(doc: Document) -> dict[str, Any]:
    """The four fields every report row starts with."""
    return {"id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer}
