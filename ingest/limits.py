"""Limits that keep one hostile or huge file from taking a whole batch down.

Every limit is configurable because offices differ: a provincial archive may hold 300 MB scanned
gazettes, a county office only small notices. The defaults suit the second and refuse bombs.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file limits applied by :func:`ingest.extract` and :func:`ingest.extract_many`.

    ``max_file_bytes``: size on disk. ``max_decompressed_bytes``: what a DOCX (a ZIP) declares it
    unpacks to, checked before anything is unpacked. ``timeout_seconds``: wall time per file before
    any OCR; in a worker process the worker is killed and replaced when it is exceeded.
    ``ocr_seconds_per_page``: added to that budget for every page that must be OCRed, so a 28-page
    scan gets the time its pages need while a hang in a text file is still caught after
    ``timeout_seconds``; Tesseract is also stopped on a page that alone takes longer than this.
    ``max_pages``: PDF pages read (a longer PDF is refused, not silently truncated).
    ``max_compression_ratio``: a ZIP member compressed more than this is treated as a bomb.
    ``max_text_chars``: extracted text kept. ``worker_memory_bytes``: the data segment (heap) a worker
    process and the converters it starts may each use (0: no cap); a file needing more fails alone. ``ocr_max_pages``: a scan longer than this is refused
    rather than tying up a worker for many minutes. ``ocr_dpi``: rendering resolution for OCR. 200
    measured best over 300 and 150 (see docs/benchmarks.md): 300 makes a 22 pt title's glyphs larger
    than the models read well (关 read as 天), 150 loses the strokes of 10.5 pt print in standards.
    """

    max_file_bytes: int = 100 * MB
    max_decompressed_bytes: int = 500 * MB
    timeout_seconds: float = 60.0
    ocr_seconds_per_page: float = 30.0
    max_pages: int = 2000
    max_compression_ratio: float = 200.0
    max_text_chars: int = 20_000_000
    ocr_max_pages: int = 200
    ocr_dpi: int = 200
    worker_memory_bytes: int = 3 * 1024 * MB

    def ocr_budget(self, pages: int) -> float:
        """Seconds allowed for OCR of ``pages`` pages (on top of ``timeout_seconds``)."""
        return self.ocr_seconds_per_page * pages
