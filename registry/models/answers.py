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


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def brief(doc: Document) -> dict[str, Any]:
    """The four fields every report row starts with."""
    return {"id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer}
