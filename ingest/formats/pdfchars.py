"""Lines of a PDF page from pdfium, in the order a reader sees them.

pdfium's text follows the content stream. Most producers draw text in reading order, but some draw
a line's quotation marks after the line because they are set in another font (``…的意见 “ ”``), draw
a two-line title's second line first, or print a heading twice for a bold effect. Checking the
order is cheap: pdfium groups the stream into rectangles (one per run on a line), and a run that
starts left of where the previous run on the same line ended means the stream went back. Only such
pages are rebuilt character by character from their positions (lines by vertical overlap, top to
bottom; characters left to right; a glyph printed twice on itself kept once). Every other page keeps
pdfium's text, which costs no per-character calls at all.

Typography (size, red, bold, centred) is read per character only for the pages that need it (the
first page, where header, 文号 and title are).
"""

from __future__ import annotations

import ctypes
import itertools
import statistics
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.layout import Line, is_page_number, tidy


@dataclass(slots=True)
class _Char:
    ch: str
    left: float
    right: float
    bottom: float
    top: float
    size: float = 0.0
    red: bool = False
    bold: bool = False


def misordered(textpage: pdfium.PdfTextPage) -> bool:
    """True when the content stream goes back on a line (a run starts left of the previous run's end
    on the same line), so pdfium's text order is not the reading order."""
    count = textpage.count_rects()
    previous: tuple[float, float, float, float] | None = None
    for i in range(count):
        left, bottom, right, top = textpage.get_rect(i)
        if top - bottom < 1:  # generated spaces and rules have no height
            continue
        if previous is not None:
            _p_left, p_bottom, p_right, p_top = previous
            overlap = min(top, p_top) - max(bottom, p_bottom)
            same_line = overlap > 0.5 * min(top - bottom, p_top - p_bottom)
            if same_line and left < p_right - 0.5 * min(top - bottom, p_top - p_bottom):
                return True
        previous = (left, bottom, right, top)
    return False


def page_lines(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, index: int, *, styled: bool) -> list[Line]:
    """Lines of one page; with ``styled`` each carries median size, redness, weight and centring."""
    reorder = misordered(textpage)
    if not styled and not reorder:
        return [Line(text=t, page=index) for t in plain_lines(textpage.get_text_range())]
    chars = _chars(textpage, styled=styled)
    groups = _by_position(chars) if reorder else _by_stream(chars)
    width = page.get_width()
    lines: list[Line] = []
    for group in groups:
        text = tidy(_text_of(group) if reorder else "".join(c.ch for c in group))
        group = [c for c in group if c.ch != " "]
        if not group or not text or is_page_number(text):
            continue
        line = Line(text=text, page=index)
        if styled:
            n = len(group)
            left, right = min(c.left for c in group), max(c.right for c in group)
            line.size = round(statistics.median(c.size for c in group), 1)
            line.red = sum(c.red for c in group) * 2 > n
            line.bold = sum(c.bold for c in group) * 2 > n
            line.centered = abs(left - (width - right)) < width * 0.06 and right - left < width * 0.8
        lines.append(line)
    return lines


def plain_lines(text: str) -> list[str]:
    """pdfium's text split into tidied lines, page numbers left out."""
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = tidy(raw)
        if line and not is_page_number(line):
            out.append(line)
    return out


def _chars(textpage: pdfium.PdfTextPage, *, styled: bool) -> list[_Char | None]:
    """Every character with its box; ``None`` where pdfium put a line break of its own."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    raw = textpage.raw
    text = textpage.get_text_range(0, count)
    aligned = len(text) == count  # a character outside the BMP shifts the string against the indexes
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    matrix = pdfium_c.FS_MATRIX()
    out: list[_Char | None] = []
    for i in range(count):
        ch = text[i] if aligned else chr(pdfium_c.FPDFText_GetUnicode(raw, i))
        if ch in "\r\n":
            if ch == "\n" or not out or out[-1] is not None:
                out.append(None)
            continue
        if ch.isspace():
            out.append(_Char(" ", 0.0, 0.0, 0.0, 0.0))  # kept for stream order, dropped by position
            continue
        if not pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top):
            continue
        c = _Char(ch, left.value, right.value, bottom.value, top.value)
        if styled:
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if pdfium_c.FPDFText_GetMatrix(raw, i, matrix):
                # Many producers set Tf to 1 and scale through the text matrix; the vertical scale is the size.
                size *= (matrix.c ** 2 + matrix.d ** 2) ** 0.5
            c.size = size
            c.red = bool(pdfium_c.FPDFText_GetFillColor(raw, i, r, g, b, a)) and r.value > 150 and g.value < 90 \
                and b.value < 90
            c.bold = pdfium_c.FPDFText_GetFontWeight(raw, i) >= 600
        out.append(c)
    return out


def _by_stream(chars: list[_Char | None]) -> list[list[_Char]]:
    """Lines as pdfium broke them."""
    groups: list[list[_Char]] = [[]]
    for c in chars:
        if c is None:
            groups.append([])
        else:
            groups[-1].append(c)
    return [g for g in groups if g]


def _by_position(chars: list[_Char | None]) -> list[list[_Char]]:
    """Lines rebuilt from positions: a character belongs to the line whose vertical band it overlaps
    by more than half its height (characters taken from the top of the page down)."""
    placed = sorted((c for c in chars if c is not None and c.top - c.bottom > 0.5),
                    key=lambda c: -(c.top + c.bottom) / 2)
    lines: list[list[_Char]] = []
    band_bottom = band_top = 0.0
    for c in placed:
        overlap = min(c.top, band_top) - max(c.bottom, band_bottom)
        # Overlap, not the centre: a quotation mark sits high on its line, and a line that starts
        # with one must still take the characters beside it.
        if lines and overlap > 0.5 * min(c.top - c.bottom, band_top - band_bottom):
            lines[-1].append(c)
            band_bottom, band_top = min(band_bottom, c.bottom), max(band_top, c.top)
        else:
            lines.append([c])
            band_bottom, band_top = c.bottom, c.top
    out = []
    for line in lines:
        line.sort(key=lambda c: c.left)
        kept: list[_Char] = []
        for c in line:
            last = kept[-1] if kept else None
            if last is not None and last.ch == c.ch and c.left < last.right - 0.5 * (last.right - last.left):
                continue  # the same glyph printed again on itself (a bold effect), not a second character
            kept.append(c)
        out.append(kept)
    return out


def _text_of(group: list[_Char]) -> str:
    """Characters of one line. A space goes between Latin words (a gap over a quarter of the line
    height beside a letter) and where a gap is wider than a character (columns, spaced-out fields);
    letter-spaced digits (2 0 1 5) and Chinese come together, as on the page."""
    height = max(c.top - c.bottom for c in group) or 1.0
    parts = [group[0].ch]
    for prev, c in itertools.pairwise(group):
        gap = c.left - prev.right
        latin = (prev.ch.isascii() and prev.ch.isalpha()) or (c.ch.isascii() and c.ch.isalpha())
        if gap > 1.2 * height or (latin and gap > height / 4):
            parts.append(" ")
        parts.append(c.ch)
    return "".join(parts)
