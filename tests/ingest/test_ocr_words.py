"""How Tesseract's words become lines: rules checked on TSV written by hand, so no scan is needed.

The rule under test: two readings of one glyph (the same text, boxes covering most of each other) become
one, the more confident; words side by side, stacked in a column of vertical text, or under one of
Tesseract's oversized boxes, are all kept. And a rule the title stage needs because OCR measures sizes
from boxes: a line ending in a colon is never the title, however large it was measured.
"""

from __future__ import annotations

from pathlib import Path

from ingest.formats.ocr import OcrPage, _with_doc_number_line, parse_tsv
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


def test_words_read_at_a_confidence_near_zero_are_marked_doubtful_on_their_line() -> None:
    tsv = _tsv((100, 50, 37, 39, 91.7, "国"), (150, 50, 25, 40, 93.0, "办"), (190, 50, 24, 38, 0.0, "画"),
               (240, 50, 119, 39, 70.6, "〔2006〕"), (380, 50, 89, 39, 93.1, "69"), (480, 45, 38, 59, 8.0, "号"))
    line = parse_tsv(tsv, 0, 2000, 200).lines[0]
    assert line.text == "国办画〔2006〕69号"
    assert line.doubtful == ("画", "号")


def _letter(number_line: str, doubtful: tuple[str, ...], title_end: str) -> RawDocument:
    """A scanned letter's first page: header, 文号 line (with what OCR doubted), two-line title, body."""
    lines = [Line(text="青禾县人民政府办公室文件", size=40.0, centered=True),
             Line(text=number_line, size=15.5, centered=True, doubtful=doubtful),
             Line(text="青禾县人民政府办公室关于同意设立", size=22.0, centered=True),
             Line(text=f"县级湿地公园的{title_end}", size=22.0, centered=True),
             Line(text="县林业局：", size=16.0),
             Line(text="你局《关于设立县级湿地公园的请示》收悉。经县政府同意，现答复如下：", size=16.0),
             Line(text="同意设立青禾县白鹭湖县级湿地公园。", size=16.0)]
    return RawDocument(source_format="pdf", wrapped=True, pages=1, ocr_confidence={0: 90.0}, lines=lines)


def test_a_letter_whose_series_character_ocr_could_not_read_is_numbered_in_the_letter_series() -> None:
    """Rule: the last character of the 机关代字 names the series; a letter (title ending 函, 复函 or 答复)
    is numbered in the 函 series, so a glyph OCR could not read there is 函 — and the clerk is told."""
    for title_end, misread in (("复函", "图"), ("答复", "水"), ("函", "冰")):
        doc = build_document(Path("scan.pdf"), b"scan", _letter(f"青政办{misread}〔2021〕9号", (misread,), title_end),
                             Limits())
        assert doc.doc_number == "青政办函〔2021〕9号", title_end
        assert any("函" in w and "check" in w for w in doc.warnings)


def test_a_doubted_series_character_outside_a_letter_is_kept_and_named_in_a_warning() -> None:
    doc = build_document(Path("scan.pdf"), b"scan", _letter("青政办图〔2021〕9号", ("图",), "通知"), Limits())
    assert doc.doc_number == "青政办图〔2021〕9号"
    assert any("图" in w and "check" in w for w in doc.warnings)


def test_a_series_character_ocr_was_sure_of_is_never_changed() -> None:
    """Only a doubt on the series character itself counts: a letter numbered 发 stays 发, and a doubt on
    another character of the line (here 号) leaves the series alone."""
    for doubtful in ((), ("号",), ("发号",)):
        doc = build_document(Path("scan.pdf"), b"scan", _letter("青政办发〔2021〕9号", doubtful, "复函"), Limits())
        assert doc.doc_number == "青政办发〔2021〕9号", doubtful
        assert not any("文号" in w for w in doc.warnings)


def _page(*texts: str) -> OcrPage:
    return OcrPage(lines=[Line(text=t, page=0) for t in texts], confidence=88.0)


def test_a_doc_number_line_the_page_reading_dropped_is_put_back_under_the_line_it_follows() -> None:
    """Rule: when the whole first page's reading has no 文号 near the top but the top band read alone has
    one, that line goes under the page line matching the band's line before it; nothing else changes."""
    page = _page("青禾县人民政府办公室文件", "青禾县人民政府办公室关于推进", "政务新媒体发展的意见", "各乡镇人民政府：")
    band = _page("青禾县人民政府办公室文仵", "青政办发〔2018〕12号", "青禾县人民政府办公室关于推进")
    merged = _with_doc_number_line(page, band)
    assert [line.text for line in merged.lines] == [
        "青禾县人民政府办公室文件", "青政办发〔2018〕12号", "青禾县人民政府办公室关于推进", "政务新媒体发展的意见",
        "各乡镇人民政府："]
    assert merged.confidence == page.confidence


def test_a_band_without_a_doc_number_changes_nothing_and_an_unmatched_one_goes_first() -> None:
    page = _page("中华人民共和国行政许可法", "第一条　为了规范行政许可的设定和实施，制定本法。")
    assert _with_doc_number_line(page, _page("中华人民共和国行政许可法")).lines == page.lines
    merged = _with_doc_number_line(page, _page("完全不同的一行字", "国办发〔2018〕123号"))
    assert merged.lines[0].text == "国办发〔2018〕123号" and len(merged.lines) == 3
