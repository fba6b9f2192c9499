"""The shape every format reader produces and every metadata stage reads.

A reader turns bytes into :class:`RawDocument`: lines in reading order with whatever typography the
format keeps (size, colour, weight, alignment), plus ``fields`` the file states in labelled form (the
gov.cn metadata table, Markdown front matter). Stages never look at the original format again, so a
rule such as "the red line ending in 文件 names the issuer" is written once for PDF, DOCX and HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PAGE_NUMBER = re.compile(r"^[\s\-—–－_]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d+)?[\s\-—–－_]*$")
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_LABEL = re.compile(r"^(第[一二三四五六七八九十百千零〇两\d]{1,8}[条章节编](?:之[一二三四五六七八九十]+)?)[ \t\u00a0\u3000]+")
_ANY_SPACE = re.compile(r"[ \t\u00a0\u3000]")
_WORD_BEFORE = re.compile(rf"[{_CJK}]+$")
_WORD_AFTER = re.compile(rf"[{_CJK}]+")
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")


@dataclass(slots=True)
class Line:
    """One line of text. Typography is ``None``/False where the format does not carry it.

    ``size`` is in points; ``zone`` is ``body``, ``table``, ``textbox``, ``header`` or ``footer``
    (page headers and footers); ``page`` counts from 0. ``doubtful`` holds the words OCR read at a
    confidence below :data:`ingest.formats.ocr.DOUBTFUL_BELOW`, in order (empty for every other format):
    a rule that rests on one character can then tell a guess from a reading.
    """

    text: str
    size: float | None = None
    bold: bool = False
    red: bool = False
    centered: bool = False
    page: int = 0
    zone: str = "body"
    doubtful: tuple[str, ...] = ()


@dataclass(slots=True)
class RawDocument:
    """What a format reader hands to the metadata stages."""

    source_format: str
    lines: list[Line]
    fields: dict[str, str] = field(default_factory=dict)
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    #: True when line breaks are hard wraps of a printed page (PDF), so paragraphs must be reflowed.
    wrapped: bool = False
    #: Mean Tesseract word confidence (0–100) of each OCRed page, by page index from 0.
    ocr_confidence: dict[int, float] = field(default_factory=dict)

    @property
    def has_typography(self) -> bool:
        """True when at least some lines carry a font size (PDF, DOCX, styled HTML)."""
        return any(line.size for line in self.lines[:80])


def is_page_number(text: str) -> bool:
    """Page furniture such as ``— 3 —``, ``- 12 -``, ``第 2 页``: never content."""
    return bool(_PAGE_NUMBER.match(text)) and any(c.isdigit() for c in text)


def tidy(text: str) -> str:
    """A line as people read it: no outer spaces, none between Chinese characters (spaced headings
    such as ``广 东 省 地 方 标 准`` or ``总　　则`` come together). The space after a leading label
    (第一条, 第二章) is kept as one full-width space: it is what marks the label as a label."""
    text = text.strip(" \t\r\n\u3000\u00a0\ufeff")
    if not _ANY_SPACE.search(text):
        return text
    m = _LABEL.match(text)
    if m:
        return m.group(1) + "\u3000" + _INNER_SPACE.sub(_close_gap, text[m.end():])
    return _INNER_SPACE.sub(_close_gap, text)


def _close_gap(gap: re.Match[str]) -> str:
    """Spacing between single characters is letter-spacing (总　　则, 广 东 省); between two words of
    two or more characters it separates names set side by side (国务院办公厅　财政部) and stays."""
    text, start, end = gap.string, gap.start(), gap.end()
    before = _WORD_BEFORE.search(text, 0, start)
    after = _WORD_AFTER.match(text, end)
    if before and after and len(before.group(0)) >= 2 and len(after.group(0)) >= 2:
        return " "
    return ""


def reflow(lines: list[str]) -> list[str]:
    """Join the hard-wrapped lines of a printed page back into paragraphs.

    A line that fills (nearly) the whole measure and does not end a sentence continues on the next
    line; anything shorter ends its paragraph. The measure is the 90th percentile line length, so
    short headings and signatures stay on their own lines.
    """
    lengths = sorted(len(s) for s in lines if len(s) > 4)
    if len(lengths) < 5:
        return lines
    measure = lengths[int(len(lengths) * 0.9) - 1]
    out: list[str] = []
    joinable = False
    for text in lines:
        if joinable and out and text and not _starts_block(text):
            out[-1] += text
        else:
            out.append(text)
        joinable = bool(text) and len(text) >= measure - 2 and text[-1] not in "。！？：；:;!?”"
    return out


_BLOCK_START = re.compile(r"^(第[一二三四五六七八九十百千零〇\d]+[条章节编]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）"
                          r"|\d+[．.、]|附件|附表)")


def _starts_block(text: str) -> bool:
    return bool(_BLOCK_START.match(text))
