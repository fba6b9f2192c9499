"""Page images of stored PDF files, for the review screen beside the extracted fields.

Rendered with pypdfium2 (the reader ingestion already uses) at a width a screen shows, as PNG. Only
pages that exist are rendered, and only files of the registry's own store are opened (through a local
path: pdfium reads files, so a store in the database lends a temporary copy for the rendering).
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium

from registry.errors import NotFound
from registry.storage.files import FileStore

WIDTH_PX = 900


def page_png(store: FileStore, name: str, page: int) -> bytes:
    """Page ``page`` (from 1) of the stored PDF ``name`` as PNG bytes; NotFound past its last page (and
    FileMissing, a NotFound, when the stored file is gone)."""
    with store.local_path(name) as path:
        return _render(path, page)


def _render(path: Path, page: int) -> bytes:
    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(pdf):
            raise NotFound(f"该文件没有第 {page} 页 (the file has no page {page})")
        sheet = pdf[page - 1]
        try:
            scale = WIDTH_PX / max(sheet.get_width(), 1.0)
            image = sheet.render(scale=min(scale, 3.0)).to_pil()
        finally:
            sheet.close()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
