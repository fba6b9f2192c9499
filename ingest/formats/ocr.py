"""OCR of PDF pages with Tesseract (``chi_sim``): scans, and pages whose text layer lies.

Tesseract is a system tool (``scripts/ensure-system.sh`` installs it). When it or its Chinese
model is missing the user gets :class:`OcrUnavailable` with the exact packages to install, never
an empty document.

How a page is read, and why:

* rendered in grey at ``Limits.ocr_dpi`` (200, see :class:`Limits`), despeckled, and piped to
  Tesseract, one page per run so each page has its own timeout and confidence;
* page segmentation 3 (automatic layout analysis): a 公文 page is one column, but covers, standards
  and attachments have two-column blocks and letter-spaced headings (``中 华 人 民 共 和 国``), which
  mode 6 ("one uniform block") reads across and scrambles;
* TSV output, so every line keeps its box: the line height becomes the line's size in points (the
  title is set larger than the body, which the title rule uses) and the word confidences give the
  page's confidence;
* a page read with low confidence whose "lines" are mostly one or two characters (vertical text
  read across) is tried again as vertical text (``chi_sim_vert``) when that model is installed, and
  the better reading is kept; a merely poor horizontal scan is not read twice;
* on a document's first page, when no line near the top is a 文号, the top band of the page is read
  again on its own: Tesseract's layout analysis of the whole page sometimes drops the short 文号 line
  between the red header and its rule, which a read of the band alone keeps; a 文号 found there is put
  back under the line it follows;
* one thread per Tesseract (``OMP_THREAD_LIMIT=1``): batches already run one worker per core, and
  Tesseract's own threads only fight them.
"""

from __future__ import annotations

import io
import itertools
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from functools import lru_cache

import pypdfium2 as pdfium
from PIL import ImageFilter
from rapidfuzz import fuzz

from ingest.docnumber import is_doc_number_line
from ingest.errors import IngestError, OcrUnavailable
from ingest.layout import Line, is_page_number, tidy
from ingest.limits import Limits
from ingest.tools import tool_env

INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
#: Below this mean word confidence a page is retried as vertical text (when chi_sim_vert is installed).
VERTICAL_RETRY_BELOW = 45.0
#: A word read below this confidence is marked doubtful on its line (``Line.doubtful``). Tesseract's fast
#: chi_sim model gives the glyphs it could not read at all a confidence near 0 (函 in a 文号 came out
#: as 图, 水, 画 with 0–14 while the characters around it had 90); a plain misprint is read at 60 or more.
DOUBTFUL_BELOW = 20.0
#: The 文号 is looked for among this many first lines of a first page, and in this top share of the page.
HEAD_LINES = 8
HEAD_BAND = 0.4


@dataclass(slots=True)
class OcrPage:
    """One page as Tesseract read it: lines in reading order and the mean word confidence (0–100)."""

    lines: list[Line]
    confidence: float
    language: str = "chi_sim"


@dataclass(slots=True)
class OcrRun:
    """What OCR of a document's pages produced; ``pages`` maps page index to its reading."""

    pages: dict[int, OcrPage] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    """Languages the installed Tesseract knows; empty when Tesseract is not installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def require_ocr(why: str) -> frozenset[str]:
    """The installed languages, or :class:`OcrUnavailable` saying ``why`` OCR was needed."""
    langs = tesseract_languages()
    if not langs:
        raise OcrUnavailable(f"{why}; OCR is not available: tesseract is not installed ({INSTALL_HINT})")
    if "chi_sim" not in langs:
        raise OcrUnavailable(f"{why}; tesseract has no chi_sim model ({INSTALL_HINT})")
    return langs


def ocr_pages(pdf: pdfium.PdfDocument, indexes: list[int], limits: Limits, deadline: float) -> OcrRun:
    """Read ``indexes`` of ``pdf`` by OCR, stopping cleanly at ``deadline`` (``time.monotonic``).

    Pages left unread when the deadline passes are named in a warning rather than failing the file:
    what was read is still worth registering, and the clerk is told what is missing.
    """
    langs = require_ocr("pages without a usable text layer")
    run = OcrRun()
    for n, index in enumerate(indexes):
        remaining = deadline - time.monotonic()
        if remaining <= 1:
            left = [i + 1 for i in indexes[n:]]
            run.warnings.append(f"OCR stopped at its time budget; pages {_ranges(left)} were not read")
            break
        page = pdf[index]
        try:
            # A 3×3 median removes scanner speckle (isolated dots Tesseract reads as strokes) and
            # leaves strokes of 仿宋 at 300 dpi, which are several pixels wide, intact.
            image = page.render(scale=limits.ocr_dpi / 72, grayscale=True).to_pil().convert("L")
            image = image.filter(ImageFilter.MedianFilter(3))
            width = image.width
            png = io.BytesIO()
            image.save(png, format="PNG")
        finally:
            page.close()
        per_page = min(remaining, limits.ocr_seconds_per_page * 2)
        try:
            reading = _tesseract(png.getvalue(), "chi_sim", 3, index, width, limits.ocr_dpi, per_page)
            if reading.confidence < VERTICAL_RETRY_BELOW and "chi_sim_vert" in langs and _reads_as_columns(reading) \
                    and deadline - time.monotonic() > per_page / 2:
                vertical = _tesseract(png.getvalue(), "chi_sim_vert", 5, index, width, limits.ocr_dpi, per_page)
                if vertical.confidence > reading.confidence + 10:
                    reading = vertical
            if index == 0 and _doc_number_at(reading.lines) is None and deadline - time.monotonic() > per_page / 2:
                band = image.crop((0, 0, image.width, int(image.height * HEAD_BAND)))
                png = io.BytesIO()
                band.save(png, format="PNG")
                top = _tesseract(png.getvalue(), "chi_sim", 3, index, width, limits.ocr_dpi, per_page)
                reading = _with_doc_number_line(reading, top)
        except subprocess.TimeoutExpired:
            run.warnings.append(f"OCR of page {index + 1} took longer than {per_page:.0f} s and was skipped")
            continue
        run.pages[index] = reading
    return run


def _doc_number_at(lines: list[Line]) -> int | None:
    """Index of the 文号 line among the first HEAD_LINES, or None."""
    return next((i for i, line in enumerate(lines[:HEAD_LINES]) if is_doc_number_line(line.text)), None)


def _with_doc_number_line(page: OcrPage, band: OcrPage) -> OcrPage:
    """``page`` with the 文号 line that the separate read of its top ``band`` found, placed under the page
    line that best matches the band's line before it (at the top when it came first or nothing matches).
    The page's other lines and its confidence are the whole-page reading's: only the missing line is taken.
    """
    found = _doc_number_at(band.lines)
    if found is None:
        return page
    at = 0
    if found:
        before = band.lines[found - 1].text
        scores = [fuzz.ratio(before, line.text) for line in page.lines[:HEAD_LINES]]
        if scores and max(scores) >= 80:
            at = scores.index(max(scores)) + 1
    lines = [*page.lines[:at], band.lines[found], *page.lines[at:]]
    return OcrPage(lines=lines, confidence=page.confidence, language=page.language)


def _reads_as_columns(reading: OcrPage) -> bool:
    """True when most lines are one or two characters: what vertical text looks like read across."""
    if len(reading.lines) < 5:
        return False
    return sum(len(line.text) <= 2 for line in reading.lines) > len(reading.lines) / 2


def _tesseract(png: bytes, lang: str, psm: int, index: int, width: int, dpi: int, timeout: float) -> OcrPage:
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", lang, "--psm", str(psm), "tsv"],
        input=png, capture_output=True, timeout=timeout, check=False,
        env=tool_env(OMP_THREAD_LIMIT="1"),
    )
    if done.returncode != 0:
        raise IngestError(f"OCR failed on page {index + 1}: {done.stderr.decode(errors='replace').strip()[:200]}")
    return parse_tsv(done.stdout.decode("utf-8", errors="replace"), index, width, dpi, lang)


Word = tuple[int, int, int, int, float, str]  # left, top, width, height, confidence, text


def parse_tsv(tsv: str, index: int, width: int, dpi: int, lang: str = "chi_sim") -> OcrPage:
    """Lines of Tesseract's TSV output (level 5 rows are words) with size, centring and confidence."""
    words: dict[tuple[int, int, int], list[Word]] = {}
    order: list[tuple[int, int, int]] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        if key not in words:
            words[key] = []
            order.append(key)
        box_left, box_top, box_width, box_height = (int(c) for c in cols[6:10])
        words[key].append((box_left, box_top, box_width, box_height, float(cols[10]), cols[11]))
    lines: list[Line] = []
    weighted = chars = 0.0
    for key in order:
        ws = _one_reading_per_glyph(words[key])
        text = tidy(_join_words(ws))
        if not text or is_page_number(text):
            continue
        for w in ws:
            n = len(w[5])
            weighted += max(0.0, w[4]) * n
            chars += n
        left = min(w[0] for w in ws)
        right = max(w[0] + w[2] for w in ws)
        height = statistics.median(w[3] for w in ws)
        centered = abs(left - (width - right)) < width * 0.06 and right - left < width * 0.8
        # A Han glyph's box is about 0.9 of the type size; points = pixels * 72 / dpi.
        size = round(height * 72 / dpi / 0.9 * 2) / 2
        doubtful = tuple(w[5] for w in ws if w[4] < DOUBTFUL_BELOW)
        lines.append(Line(text=text, size=size, centered=centered, page=index, doubtful=doubtful))
    return OcrPage(lines=lines, confidence=round(weighted / chars, 1) if chars else 0.0, language=lang)


def _one_reading_per_glyph(words: list[Word]) -> list[Word]:
    """Drop a word read twice over itself: Tesseract sometimes emits two readings of one glyph
    (国务院办公厅厅关于…, the second 厅 at confidence 0 on the first's box). The same text whose boxes cover
    more than half of each other (across a line, or down a column of vertical text) is one glyph, since
    printed characters never overlap; the more confident reading is kept. Different texts are never merged:
    Tesseract's boxes for a multi-character word can be far too wide (民政 spanning the next four
    characters), so overlap alone proves nothing.
    """
    kept: list[Word] = []
    for w in words:
        if kept:
            prev = kept[-1]
            across = min(prev[0] + prev[2], w[0] + w[2]) - max(prev[0], w[0])
            down = min(prev[1] + prev[3], w[1] + w[3]) - max(prev[1], w[1])
            if w[5] == prev[5] and across > 0 and down > 0 \
                    and across * down > 0.5 * min(prev[2] * prev[3], w[2] * w[3]):
                if w[4] > prev[4]:
                    kept[-1] = w
                continue
        kept.append(w)
    return kept


def _join_words(words: list[Word]) -> str:
    """Tesseract splits Chinese into "words" at small gaps; they are joined as printed: a space only
    between Latin words or where the gap is wider than a character (fields set apart on one line)."""
    height = max(w[3] for w in words) or 1
    out = words[0][5]
    for prev, w in itertools.pairwise(words):
        gap = w[0] - (prev[0] + prev[2])
        latin = prev[5][-1:].isascii() and prev[5][-1:].isalnum() and w[5][:1].isascii() and w[5][:1].isalnum()
        out += (" " if gap > 1.2 * height or latin else "") + w[5]
    return out


def _ranges(pages: list[int]) -> str:
    """1, 2, 3, 5 -> "1–3, 5"."""
    out: list[str] = []
    start = prev = pages[0]
    for p in [*pages[1:], None]:
        if p is not None and p == prev + 1:
            prev = p
            continue
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
        if p is not None:
            start = prev = p
    return ", ".join(out)
