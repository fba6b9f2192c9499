"""PDF: text through pypdfium2, typography of the first page through pdfium's per-character API.

pypdfium2 reads a 10-page Chinese PDF's text in about 20 ms where pdfplumber needs about 600 ms, so
text always comes from pdfium. Layout only matters on the first page (red header, title size, 文号
line); pdfium reports each character's font size, fill colour and weight there for a few
milliseconds, so pdfplumber is not needed in the pipeline at all (it is the benchmark baseline).
A PDF without a text layer is a scan: it is OCRed with Tesseract (chi_sim) when installed,
otherwise refused with :class:`OcrUnavailable` naming what to install.
"""

from __future__ import annotations

import ctypes
import statistics
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.errors import CorruptFile, Encrypted, TooLarge
from ingest.formats import ocr
from ingest.layout import Line, RawDocument, is_page_number, tidy
from ingest.limits import Limits

#: Fewer visible characters than this per page on average means "no text layer".
MIN_CHARS_PER_PAGE = 8
LAYOUT_PAGES = 1


def read_pdf(path: Path, limits: Limits) -> RawDocument:
    """Lines of every page; typography for the first page(s)."""
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
        lines: list[Line] = []
        visible = 0
        for index in range(pages):
            page = pdf[index]
            textpage = page.get_textpage()
            if index < LAYOUT_PAGES:
                page_lines = _styled_lines(page, textpage, index)
            else:
                page_lines = [Line(text=t, page=index) for t in _plain_lines(textpage.get_text_range())]
            visible += sum(len(line.text) for line in page_lines)
            lines.extend(page_lines)
            textpage.close()
            page.close()
        warnings: list[str] = []
        if visible < MIN_CHARS_PER_PAGE * pages:
            lines = [Line(text=t, page=0) for t in ocr.ocr_pdf(pdf, path, limits)]
            warnings.append("text recognised by OCR (tesseract chi_sim); check it against the original")
        if _garbled_punctuation(lines):
            warnings.append("the PDF's fonts map digits and punctuation to Chinese characters (袁 for ，, 遥 for 。, "
                            "员 for 1); numbers and dates read from its text are unreliable")
        return RawDocument(source_format="pdf", lines=lines, pages=pages, warnings=warnings, wrapped=True)
    finally:
        pdf.close()


def _garbled_punctuation(lines: list[Line]) -> bool:
    """True for the known broken font encoding of some typesetting systems, where the text layer has
    袁 and 遥 where the page shows ， and 。 (rare characters that never outnumber real punctuation)."""
    sample = "".join(line.text for line in lines[:400])
    wrong = sample.count("袁") + sample.count("遥")
    return wrong >= 5 and wrong > sample.count("，") + sample.count("。")


def _plain_lines(text: str) -> list[str]:
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = tidy(raw)
        if line and not is_page_number(line):
            out.append(line)
    return out


def _styled_lines(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, index: int) -> list[Line]:
    """Lines of one page with median font size, redness, weight and centring per line.

    pdfium's text range indexes characters the same way as its per-character API (line breaks are
    generated characters), so each line's characters are looked up by position.
    """
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    width = page.get_width()
    raw = textpage.raw
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    lines: list[Line] = []
    start = 0
    for end in [*(i for i, c in enumerate(text) if c == "\n"), len(text)]:
        segment = text[start:end]
        offset = start
        start = end + 1
        clean = tidy(segment)
        if not clean or is_page_number(clean):
            continue
        sizes: list[float] = []
        reds = weights = 0
        xs: list[float] = []
        for i, ch in enumerate(segment, start=offset):
            if ch.isspace() or i >= count:
                continue
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if pdfium_c.FPDFText_GetMatrix(raw, i, matrix):
                # Many producers set Tf to 1 and scale through the text matrix; the vertical scale is the size.
                size *= (matrix.c ** 2 + matrix.d ** 2) ** 0.5
            sizes.append(size)
            if pdfium_c.FPDFText_GetFillColor(raw, i, r, g, b, a) and r.value > 150 and g.value < 90 \
                    and b.value < 90:
                reds += 1
            if pdfium_c.FPDFText_GetFontWeight(raw, i) >= 600:
                weights += 1
            if pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
                xs.extend((left.value, right.value))
        if not sizes:
            continue
        n = len(sizes)
        centered = bool(xs) and abs(min(xs) - (width - max(xs))) < width * 0.06 and max(xs) - min(xs) < width * 0.8
        lines.append(Line(text=clean, size=round(statistics.median(sizes), 1), red=reds * 2 > n,
                          bold=weights * 2 > n, centered=centered, page=index))
    return lines
