"""PDF: text through pypdfium2, reading order checked per page, OCR only for the pages that need it.

pypdfium2 reads a 10-page Chinese PDF's text in about 20 ms where pdfplumber needs about 600 ms, so
text always comes from pdfium; pdfplumber is not in the pipeline at all (it is the benchmark
baseline). Per page, cheaply, in this order:

1. the text layer is taken when it has text, in pdfium's order unless the stream goes back on a line
   (then the page is rebuilt from character positions, :mod:`ingest.formats.pdfchars`);
2. a page whose layer cannot be what it shows (:mod:`ingest.formats.textlayer`) is sent to OCR; when
   a third of the pages with text are such, the document's fonts lie throughout and every page is;
3. a page with (almost) no text but an image on it is a scan and is sent to OCR; a
   page with neither is blank and costs nothing.

OCR (:mod:`ingest.formats.ocr`) gets ``Limits.ocr_seconds_per_page`` for each page it reads, asked
for through :mod:`ingest.budget` so the batch's time limit grows with the pages, not the file count.
Typography (size, red, bold, centring) is read for the first page, where header, 文号 and title are.
"""

from __future__ import annotations

import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

import ingest.budget as budget
from ingest.errors import CorruptFile, Encrypted, IngestError, TooLarge
from ingest.formats import ocr
from ingest.formats.pdfchars import page_lines
from ingest.formats.textlayer import garbage_reason
from ingest.layout import Line, RawDocument
from ingest.limits import Limits

#: A page with fewer visible characters than this has no text layer worth keeping.
MIN_CHARS_PER_PAGE = 8
#: A textless page is a scan when an image covers at least this share of it (scanners often crop
#: the image to the printed area: a table of contents on a scanned page covers only a sixth).
SCAN_IMAGE_SHARE = 0.05
#: When this share of the pages with text have a lying layer, the whole document's layer is distrusted.
LYING_DOCUMENT_SHARE = 1 / 3
LAYOUT_PAGES = 1


def read_pdf(path: Path, limits: Limits) -> RawDocument:
    """Lines of every page (text layer or OCR), typography for the first page, OCR confidence per page."""
    started = time.monotonic()
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise Encrypted("the PDF is password protected; remove the password and ingest it again") from exc
        raise CorruptFile(f"damaged PDF: {message}") from exc
    try:
        pages = len(pdf)
        if pages == 0:
            raise CorruptFile("the PDF has no pages")
        if pages > limits.max_pages:
            raise TooLarge(f"the PDF has {pages} pages, over the limit of {limits.max_pages}")
        by_page, to_ocr, lying = _plan(pdf)
        with_text = sum(1 for lines in by_page if lines)
        warnings: list[str] = []
        if lying:
            first = min(lying)
            warnings.append(f"the text layer of {len(lying)} page(s) is unreliable (page {first + 1}: "
                            f"{lying[first]}); those pages were read by OCR instead")
        confidences: dict[int, float] = {}
        if to_ocr:
            warnings.extend(_ocr_into(pdf, to_ocr, by_page, confidences, limits, started,
                                      have_text=with_text - len(lying)))
        lines = [line for page_lines_ in by_page for line in page_lines_]
        return RawDocument(source_format="pdf", lines=lines, pages=pages, warnings=warnings, wrapped=True,
                           ocr_confidence=confidences)
    finally:
        pdf.close()


def _plan(pdf: pdfium.PdfDocument) -> tuple[list[list[Line]], list[int], dict[int, str]]:
    """Each page's text-layer lines, the pages to OCR, and why a page's layer was distrusted."""
    pages = len(pdf)
    by_page: list[list[Line]] = []
    scans: list[int] = []
    lying: dict[int, str] = {}
    for index in range(pages):
        page = pdf[index]
        textpage = page.get_textpage()
        try:
            lines = page_lines(page, textpage, index, styled=index < LAYOUT_PAGES)
            visible = sum(len(line.text) for line in lines)
            if visible < MIN_CHARS_PER_PAGE:
                if _image_share(page) >= SCAN_IMAGE_SHARE:
                    scans.append(index)
            else:
                reason = garbage_reason("\n".join(line.text for line in lines))
                if reason:
                    lying[index] = reason
        finally:
            textpage.close()
            page.close()
        by_page.append(lines)
    with_text = sum(1 for lines in by_page if lines)
    to_ocr = set(scans) | set(lying)
    if lying and len(lying) >= LYING_DOCUMENT_SHARE * max(1, with_text):
        to_ocr |= {i for i, lines in enumerate(by_page) if lines}
    if not to_ocr and not any(by_page):
        to_ocr = set(range(pages))  # nothing at all to read: try OCR rather than return nothing
    return by_page, sorted(to_ocr), lying


def pages_needing_ocr(path: Path) -> list[int]:
    """Indexes (from 0) of the pages :func:`read_pdf` would OCR, decided without running OCR."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return _plan(pdf)[1]
    finally:
        pdf.close()


def _ocr_into(pdf: pdfium.PdfDocument, indexes: list[int], by_page: list[list[Line]],
              confidences: dict[int, float], limits: Limits, started: float, *, have_text: int) -> list[str]:
    """OCR ``indexes`` and put their lines in place of the text layer's; returns warnings."""
    try:
        ocr.require_ocr("scanned PDF without a text layer" if have_text <= 0 else
                        f"{len(indexes)} page(s) without a usable text layer")
    except IngestError:
        if have_text > 0:
            # The rest of the document is readable: keep it and say what is missing.
            return [f"pages {', '.join(str(i + 1) for i in indexes[:20])} need OCR, which is not installed "
                    f"({ocr.INSTALL_HINT})"]
        raise
    if len(indexes) > limits.ocr_max_pages:
        raise IngestError(f"{len(indexes)} pages need OCR, over the OCR limit of {limits.ocr_max_pages} pages")
    extra = limits.ocr_budget(len(indexes))
    budget.request_time(extra)
    # OCR stops itself with half the base time to spare, so the file comes back with what was read
    # (and a warning naming the pages left) well before the batch would abandon it.
    run = ocr.ocr_pages(pdf, indexes, limits, deadline=started + limits.timeout_seconds / 2 + extra)
    for index, reading in run.pages.items():
        by_page[index] = reading.lines
        confidences[index] = reading.confidence
    warnings = list(run.warnings)
    if run.pages:
        mean = sum(confidences.values()) / len(confidences)
        low = [i + 1 for i, c in sorted(confidences.items()) if c < 60]
        warnings.append(f"text of {len(run.pages)} page(s) recognised by OCR (tesseract chi_sim, mean confidence "
                        f"{mean:.0f}); check it against the original"
                        + (f"; low confidence on pages {', '.join(map(str, low[:20]))}" if low else ""))
    return warnings


def _image_share(page: pdfium.PdfPage) -> float:
    """Share of the page covered by its largest image (0 when it has none)."""
    width, height = page.get_width(), page.get_height()
    if width <= 0 or height <= 0:
        return 0.0
    best = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        best = max(best, max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0)))
    return best / (width * height)
