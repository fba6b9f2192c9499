"""One pipeline per format: check limits, read the bytes into lines, run the shared metadata stages.

:func:`extract` is the whole public contract for a single file: it returns an
:class:`ExtractedDocument` or raises an :class:`IngestError` whose message says why, in words a
clerk can act on. Any other exception from a parser library is turned into :class:`CorruptFile`
so the caller never has to know which library read which format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ingest.errors import CorruptFile, EmptyDocument, IngestError, TooLarge, UnsupportedFormat
from ingest.files import sniff_format
from ingest.formats.encoding import decode_text
from ingest.layout import RawDocument, reflow
from ingest.limits import Limits
from ingest.metadata import Context, run_stages
from ingest.model import ExtractedDocument


def _read_pdf(path: Path, data: bytes, limits: Limits) -> RawDocument:
    from ingest.formats.pdf import read_pdf

    return read_pdf(path, limits)


def _read_docx(path: Path, data: bytes, limits: Limits) -> RawDocument:
    from ingest.formats.docx import read_docx

    return read_docx(path, limits)


def _read_doc(path: Path, data: bytes, limits: Limits) -> RawDocument:
    from ingest.formats.doc import read_doc

    return read_doc(path, limits)


def _read_html(path: Path, data: bytes, limits: Limits) -> RawDocument:
    from ingest.formats.html import read_html

    text, encoding = decode_text(data)
    raw = read_html(text)
    if encoding not in ("utf-8", "utf-8-sig"):
        raw.warnings.append(f"decoded as {encoding}")
    return raw


def _read_text(path: Path, data: bytes, limits: Limits) -> RawDocument:
    from ingest.formats.text import read_text

    text, _encoding = decode_text(data)
    return read_text(text, markdown=path.suffix.lower() == ".md")


READERS: dict[str, Callable[[Path, bytes, Limits], RawDocument]] = {
    "pdf": _read_pdf, "docx": _read_docx, "doc": _read_doc, "html": _read_html, "txt": _read_text, "md": _read_text,
}


def extract(path: Path | str, limits: Limits | None = None) -> ExtractedDocument:
    """Text and metadata of one file; raises an :class:`IngestError` subclass on failure."""
    path = Path(path)
    limits = limits or Limits()
    try:
        if path.is_dir():
            raise UnsupportedFormat("this is a folder, not a file")
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise TooLarge(f"the file is {size // (1024 * 1024)} MB, over the limit of "
                           f"{limits.max_file_bytes // (1024 * 1024)} MB")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise IngestError("file not found") from exc
    except PermissionError as exc:
        raise IngestError("permission denied: the file cannot be read") from exc
    fmt = sniff_format(path, data[:8192])
    try:
        raw = READERS[fmt](path, data, limits)
    except IngestError:
        raise
    except MemoryError as exc:
        raise TooLarge("the file needs more memory than is available") from exc
    except Exception as exc:  # a parser library's own error means a file it cannot read
        raise CorruptFile(f"damaged {fmt.upper()} file: {type(exc).__name__}: {exc}") from exc
    return build_document(path, data, raw, limits)


def build_document(path: Path, data: bytes, raw: RawDocument, limits: Limits) -> ExtractedDocument:
    """Run the metadata stages over a read file."""
    content = [line.text for line in raw.lines if line.zone not in ("header", "footer")]
    furniture = [line.text for line in raw.lines if line.zone in ("header", "footer")]
    if raw.wrapped:
        content = reflow(content)
    text = "\n".join([*content, *furniture]).strip()
    if not text:
        raise EmptyDocument("the file contains no text")
    if len(text) > limits.max_text_chars:
        raise TooLarge(f"the extracted text has {len(text)} characters, over the limit of {limits.max_text_chars}")
    doc = ExtractedDocument(
        source_path=str(path), source_format=raw.source_format, sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data), text=text, pages=raw.pages, warnings=list(raw.warnings),
        ocr_confidence={index + 1: value for index, value in sorted(raw.ocr_confidence.items())},
    )
    run_stages(Context.build(raw, doc))
    return doc
