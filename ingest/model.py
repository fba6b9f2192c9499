"""What ingestion produces: one extracted document per source file.

The registry turns an :class:`ExtractedDocument` into rows; nothing here knows about the database.
Every field that could not be found stays ``None`` (never a guess), and ``warnings`` says why where useful.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Article:
    """One article (第X条) of a document, in reading order.

    ``number`` is the article label as written (``第十二条``), ``ordinal`` its integer value (12),
    ``chapter`` the enclosing chapter heading (``第二章 备案``) if any, ``text`` the article body
    including its label.
    """

    ordinal: int
    number: str
    text: str
    chapter: str | None = None
    heading: str | None = None


@dataclass(slots=True)
class Reference:
    """A relation stated in the text, not yet resolved to a registry document.

    ``kind`` is one of ``repeals``, ``amends``, ``replaces``, ``interprets``, ``based_on``.
    ``target_title`` is the title inside 《》 without the brackets; ``target_doc_number`` the 文号 if the
    text gives one; ``quote`` the sentence it was found in, kept as evidence for staff.
    """

    kind: str
    target_title: str | None
    target_doc_number: str | None
    quote: str


@dataclass(slots=True)
class ExtractedDocument:
    """Text and metadata extracted from one file.

    ``issuer`` is the first issuing organ and ``co_issuers`` the others of a joint document
    (联合发文), in the order printed. ``effective_date_basis`` quotes the clause the effective date was
    read from (``本办法自发布之日起施行`` → the publication date), so staff can check the reasoning.
    ``ocr_confidence`` maps each page read by OCR (numbered from 1) to Tesseract's mean word
    confidence, 0–100; it is empty when the text came from the file itself.
    """

    source_path: str
    source_format: str  # pdf, docx, doc, html, txt, md
    sha256: str
    size_bytes: int
    text: str
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    co_issuers: list[str] = field(default_factory=list)
    written_date: date | None = None
    publication_date: date | None = None
    effective_date: date | None = None
    expiry_date: date | None = None
    validity_years: int | None = None
    registration_number: str | None = None
    category: str | None = None
    index_no: str | None = None
    topic: str | None = None
    pages: int | None = None
    articles: list[Article] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    front_matter: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    effective_date_basis: str | None = None
    ocr_confidence: dict[int, float] = field(default_factory=dict)
