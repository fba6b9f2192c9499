"""How Tesseract's words become lines: rules checked on TSV written by hand, so no scan is needed.

The rule under test: two readings of one glyph (the same text, boxes covering most of each other) become
one, the more confident; words side by side, stacked in a column of vertical text, or under one of
Tesseract's oversized boxes, are all kept. And a rule the title stage needs because OCR measures sizes
from boxes: a line ending in a colon is never the title, however large it was measured.
"""

from __future__ import annotations

from pathlib import Path

from ingest.formats.ocr import parse_tsv
from ingest.layout import Line, RawDocument
from ingest.limits import Limits
from ingest.pipeline import build_document

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(*words: tuple[int, int, int, int, float, str], line: int = 1) -> str:
    rows = [HEADER]
    for n, (left, top, width, height, conf, text) in enumerate(words, start=1):
        rows.append(f"5\t1\t1\t1\t{line}\t{n}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}")
    return "\n".join(rows)


def _line(tsv: str) -> str:
    page = parse_tsv(tsv, 0, 2000, 200)
    assert len(page.lines) == 1
    return page.lines[0].text


def test_a_glyph_read_twice_over_itself_is_kept_once_with_the_better_reading() -> None:
    tsv = _tsv((100, 50, 56, 54, 91.0, "人民"), (160, 50, 53, 54, 0.0, "政"), (157, 50, 56, 53, 88.0, "政"),
               (220, 50, 100, 54, 95.0, "府关于"))
    assert _line(tsv) == "人民政府关于"


def test_the_more_confident_of_two_readings_is_the_one_kept() -> None:
    tsv = _tsv((100, 50, 50, 50, 90.0, "市"), (156, 50, 50, 50, 20.0, "厅"), (158, 50, 50, 50, 85.0, "厅"))
    page = parse_tsv(tsv, 0, 2000, 200)
    assert page.lines[0].text == "市厅"
    assert page.confidence > 85  # the 20 % reading no longer weighs on the page's confidence


def test_different_words_under_an_oversized_box_are_all_kept() -> None:
    """Tesseract's box for 民政 can span the next characters; they are still read."""
    tsv = _tsv((688, 847, 539, 59, 93.0, "民政"), (838, 843, 60, 85, 92.0, "府"), (897, 843, 54, 85, 93.0, "关"))
    assert _line(tsv) == "民政府关"


def test_the_same_character_printed_twice_side_by_side_is_kept_twice() -> None:
    tsv = _tsv((100, 50, 50, 50, 90.0, "人"), (152, 50, 50, 50, 90.0, "人"), (204, 50, 50, 50, 90.0, "民"))
    assert _line(tsv) == "人人民"


def test_words_stacked_in_a_vertical_column_are_all_kept() -> None:
    tsv = _tsv((100, 50, 50, 50, 90.0, "国"), (100, 104, 50, 50, 90.0, "务"), (100, 158, 50, 50, 90.0, "院"))
    assert _line(tsv) == "国务院"


def test_boxes_that_only_touch_at_their_edges_are_different_words() -> None:
    tsv = _tsv((100, 50, 50, 50, 90.0, "关"), (140, 50, 50, 50, 90.0, "于"))  # 10 of 50 px shared
    assert _line(tsv) == "关于"


def _ocr_page(*lines: tuple[str, float, bool]) -> RawDocument:
    """A scanned first page as OCR gives it: sizes measured from box heights, which can be off."""
    return RawDocument(source_format="pdf", wrapped=True, pages=1, ocr_confidence={0: 90.0},
                       lines=[Line(text=t, size=size, centered=centered, page=0) for t, size, centered in lines])


def test_a_line_ending_in_a_colon_is_never_the_title_however_large_ocr_measures_it() -> None:
    """Rule: a line that ends in a colon addresses someone (主送机关) or leads into what follows (现函复如下：);
    a title never does. OCR measured such a short line larger than the two-line title above it."""
    raw = _ocr_page(("青禾县人民政府办公室文件", 40.0, True), ("青政办函〔2021〕9号", 15.5, True),
                    ("青禾县人民政府办公室关于同意设立", 22.0, True), ("县级湿地公园的复函", 22.0, True),
                    ("县林业局：", 25.0, False),
                    ("你局《关于设立县级湿地公园的请示》收悉。经县政府同意，现函复如下：", 16.0, False),
                    ("同意设立青禾县白鹭湖县级湿地公园。", 16.0, False))
    doc = build_document(Path("scan.pdf"), b"scan", raw, Limits())
    assert doc.title == "青禾县人民政府办公室关于同意设立县级湿地公园的复函"
    assert doc.doc_number == "青政办函〔2021〕9号"
