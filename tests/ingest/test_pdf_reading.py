"""Reading PDFs as a person would: reading order, lying text layers, scans.

The scans here are made the way a scanner makes them: an official-layout PDF rasterised at 300 dpi,
turned slightly and sprinkled with noise, saved as an image-only PDF. The text the typesetter set is
known exactly, so OCR's character accuracy is measured, not eyeballed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from ingest import extract, extract_many
from ingest.formats.ocr import tesseract_languages
from scripts.typeset import FONT, official_docs, render_pdf
from scripts.typeset.scan import compared_chars, scan, text_layer
from tests.support.corpus import corpus_path
from tests.support.layouts import part

needs_ocr = pytest.mark.skipif("chi_sim" not in tesseract_languages(),
                               reason="tesseract with chi_sim is not installed (scripts/ensure-system.sh)")
needs_font = pytest.mark.skipif(not FONT.exists(), reason=f"CJK font {FONT} missing (scripts/ensure-system.sh)")


@pytest.mark.slow
@needs_ocr
@needs_font
def test_scans_of_official_documents_are_read_at_97_percent(tmp_path: Path) -> None:
    docs = [d for d in official_docs(corpus_path()) if part(d.key) == "set-aside"][:4]
    total = errors = 0
    for i, doc in enumerate(docs):
        typeset = render_pdf(doc, tmp_path / f"{doc.key}.pdf")
        scanned = scan(typeset, tmp_path / f"{doc.key}-scan.pdf", seed=i)
        got = extract(scanned)
        assert got.ocr_confidence and all(0 < c <= 100 for c in got.ocr_confidence.values())
        want = compared_chars(text_layer(typeset))
        errors += Levenshtein.distance(want, compared_chars(got.text))
        total += len(want)
        assert got.title == doc.title, (doc.key, got.title)
        assert got.doc_number == doc.doc_number, (doc.key, got.doc_number)
    accuracy = 1 - errors / total
    print(f"OCR character accuracy on {len(docs)} scans: {accuracy:.2%} ({errors} errors in {total} characters)")
    assert accuracy >= 0.97


@needs_font
def test_quotation_marks_drawn_after_their_line_are_read_in_place(tmp_path: Path) -> None:
    """A producer that draws a line's quotation marks last (another font) must not move them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("wqy", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("wqy", size=16)
    line = "关于推进联合“双随机、一公开”监管的意见"
    x0, y = 30.0, 40.0
    widths = [pdf.get_string_width(c) for c in line]
    xs = [x0 + sum(widths[:i]) for i in range(len(line))]
    for ch, x in zip(line, xs, strict=True):
        if ch not in "“”":
            pdf.text(x, y, ch)
    for ch, x in zip(line, xs, strict=True):
        if ch in "“”":
            pdf.text(x, y, ch)
    pdf.text(x0, y + 12, "各有关单位：")
    pdf.output(str(tmp_path / "quotes.pdf"))
    doc = extract(tmp_path / "quotes.pdf")
    assert doc.text.splitlines()[0] == line


@pytest.mark.slow
@needs_ocr
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_scan_gets_time_for_its_pages_beyond_the_base_limit(jobs: int) -> None:
    """The base limit (here 5 s) would abandon a 6-page scan; the pages it OCRs add their own time."""
    from ingest import Limits

    path = corpus_path("pdfs", "470fc22059.pdf")
    [(_, result)] = list(extract_many([path], jobs=jobs, limits=Limits(timeout_seconds=5, ocr_seconds_per_page=40)))
    assert not isinstance(result, Exception), result
    assert len(result.ocr_confidence) == 6
