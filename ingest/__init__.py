"""Files in, extracted text and metadata out. Never imports ``registry``.

Public API: :func:`extract` (one file), :func:`extract_many` (a batch, in worker processes when
``jobs > 1``), :func:`iter_files`, :data:`SUPPORTED_SUFFIXES`, :class:`Limits`, the
:class:`ExtractedDocument` model and the :class:`IngestError` family.
"""

from __future__ import annotations

from ingest.batch import extract_many
from ingest.errors import (
    CorruptFile,
    EmptyDocument,
    Encrypted,
    IngestError,
    OcrUnavailable,
    Timeout,
    TooLarge,
    ToolMissing,
    UnsupportedFormat,
    WorkerCrashed,
)
from ingest.files import SUPPORTED_SUFFIXES, iter_files
from ingest.limits import Limits
from ingest.model import Article, ExtractedDocument, Reference
from ingest.pipeline import extract

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Article",
    "CorruptFile",
    "EmptyDocument",
    "Encrypted",
    "ExtractedDocument",
    "IngestError",
    "Limits",
    "OcrUnavailable",
    "Reference",
    "Timeout",
    "TooLarge",
    "ToolMissing",
    "UnsupportedFormat",
    "WorkerCrashed",
    "extract",
    "extract_many",
    "iter_files",
]
