"""Errors raised by ingestion. Each one's message is what the user is shown next to the file's path."""

from __future__ import annotations


class IngestError(Exception):
    """The file could not be ingested."""

    code = "ingest_failed"


class UnsupportedFormat(IngestError):
    """The file's type is not one normreg reads."""

    code = "unsupported_format"


class CorruptFile(IngestError):
    """The file is damaged or is not what its name says."""

    code = "corrupt_file"


class EmptyDocument(IngestError):
    """The file contains no text."""

    code = "empty_document"


class TooLarge(IngestError):
    """The file, or what it decompresses to, is over the configured limit."""

    code = "too_large"


class Timeout(IngestError):
    """Extraction took longer than the configured limit."""

    code = "timeout"


class ToolMissing(IngestError):
    """A program needed for this format is not installed; the message says which."""

    code = "tool_missing"


class Encrypted(IngestError):
    """The file is password protected."""

    code = "encrypted"


class OcrUnavailable(ToolMissing):
    """The PDF has no text layer (a scan) and OCR is not available: install tesseract-ocr with chi_sim."""

    code = "ocr_unavailable"


class WorkerCrashed(IngestError):
    """The extraction process died while reading this file (a crash in a parser library)."""

    code = "worker_crashed"
