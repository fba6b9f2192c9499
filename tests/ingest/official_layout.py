"""Official-layout documents (GB/T 9704) rendered as DOCX and PDF from the shared real texts.

Each gov.cn page in the corpus gives a real title, 文号, issuer, dates and body; this module sets
them the way an office prints them: red header (××文件), 文号 line (sometimes with 签发人), red rule,
title in 22 pt over one to three lines, addressee, body, 附件 list, signature, date (Arabic or
Chinese numerals), and the 版记 with its 印发 date. A third of them are moved to a fictitious
municipality (示例市人民政府) and some are issued jointly, so the rules are tested on layouts the
gov.cn pages never had. The expected values are known exactly because we typeset them.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import lxml.html

CN_DIGITS = "〇一二三四五六七八九"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@dataclass
class OfficialDoc:
    """What is typeset, which is also what extraction must find."""

    key: str
    issuers: list[str]
    doc_number: str
    title: str
    addressee: str
    body: list[str]
    written_date: date
    publication_date: date
    chinese_date: bool = False
    signer: str | None = None
    attachments: list[str] = field(default_factory=list)
    public_note: bool = False

    @property
    def header(self) -> list[str]:
        """Header lines: organs stacked, 文件 after the last one."""
        return [*self.issuers[:-1], self.issuers[-1] + "文件"]

    def date_text(self, value: date) -> str:
        if not self.chinese_date:
            return f"{value.year}年{value.month}月{value.day}日"
        year = "".join(CN_DIGITS[int(c)] for c in str(value.year))
        return f"{year}年{_cn_small(value.month)}月{_cn_small(value.day)}日"

    @property
    def title_lines(self) -> list[str]:
        """The title broken into balanced lines of at most 19 characters, as typesetters do."""
        n = max(1, -(-len(self.title) // 19))
        size = -(-len(self.title) // n)
        return [self.title[i:i + size] for i in range(0, len(self.title), size)]


def _cn_small(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


_MUNICIPAL = (("国务院办公厅", "示例市人民政府办公厅"), ("国务院", "示例市人民政府"))
_NUMBER_PREFIX = (("国办发", "示政办发"), ("国办函", "示政办函"), ("国发", "示政发"), ("国函", "示政函"))


def _municipal(text: str) -> str:
    for old, new in _MUNICIPAL:
        text = text.replace(old, new)
    return text


def _body_paragraphs(html_path: Path, title: str, doc_number: str) -> tuple[str, list[str]]:
    root = lxml.html.document_fromstring(html_path.read_text(encoding="utf-8"))
    content = root.get_element_by_id("UCAP-CONTENT")
    paragraphs = [re.sub(r"\s+", "", p.text_content()) for p in content.iter("p")]
    paragraphs = [p for p in paragraphs if p and p not in title and doc_number not in p]
    addressee = next((p for p in paragraphs[:3] if p.endswith("：") and len(p) < 80), "各有关单位：")
    body = [p for p in paragraphs if p != addressee and len(p) > 20 and not re.search(r"\d{4}年\d+月\d+日$", p)]
    return addressee, [p[:260] for p in body[:6]]


@lru_cache(maxsize=1)
def official_docs(corpus: Path) -> list[OfficialDoc]:
    """One official-layout document per gov.cn page, with variations by position."""
    docs: list[OfficialDoc] = []
    rows = [json.loads(line) for line in (corpus / "govcn" / "truth.jsonl").read_text().splitlines() if line]
    for i, row in enumerate(rows):
        title, number, issuers = row["title"], row["doc_number"], row["issuer"].split("、")
        addressee, body = _body_paragraphs(corpus / row["file"], title, number)
        if i % 3 == 0:
            title, issuers = _municipal(title), [_municipal(x) for x in issuers]
            for old, new in _NUMBER_PREFIX:
                number = number.replace(old, new)
            addressee = _municipal(addressee).replace("各省、自治区、直辖市", "各区、县（市）")
        if i % 4 == 1 and len(issuers) == 1:
            issuers = [*issuers, "示例市财政局" if issuers[0].startswith("示例市") else "财政部"]
        docs.append(OfficialDoc(
            key=Path(row["file"]).stem, issuers=issuers, doc_number=number, title=title, addressee=addressee,
            body=body, written_date=date.fromisoformat(row["written_date"]),
            publication_date=max(date.fromisoformat(row["publication_date"]), date.fromisoformat(row["written_date"])),
            chinese_date=i % 2 == 1, signer="张明" if i % 5 == 2 else None,
            attachments=["相关任务分工表", "联系人名单"] if i % 6 == 4 else [], public_note=i % 3 == 1,
        ))
    return docs


# --- DOCX -------------------------------------------------------------------------------------------

def render_docx(doc: OfficialDoc, path: Path) -> Path:
    """Typeset ``doc`` as a Word file with run sizes, red header and red rule."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    word = Document()

    def para(text: str, size: float, *, red: bool = False, bold: bool = False, align: str = "left",
             rule: bool = False) -> None:
        p = word.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.font.name = "仿宋_GB2312"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
        if red:
            run.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)
        if rule:
            border = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "E60012")):
                bottom.set(qn(key), value)
            border.append(bottom)
            p._p.get_or_add_pPr().append(border)

    for line in doc.header:
        para(line, 36 if len(line) <= 12 else 30, red=True, bold=True, align="center")
    number = doc.doc_number + (f"        签发人：{doc.signer}" if doc.signer else "")
    para(number, 16, align="center", rule=True)
    for line in doc.title_lines:
        para(line, 22, align="center")
    para(doc.addressee, 16)
    for text in doc.body:
        para("\u3000\u3000" + text, 16, align="justify")
    _attachments(doc, lambda t: para(t, 16))
    _signature(doc, lambda t: para(t, 16, align="right"))
    para("抄送：有关单位。", 14)
    para(f"{_office(doc)}        {doc.publication_date.year}年{doc.publication_date.month}月"
         f"{doc.publication_date.day}日印发", 14)
    word.save(str(path))
    return path


def _attachments(doc: OfficialDoc, emit: object) -> None:
    assert callable(emit)
    for i, name in enumerate(doc.attachments, start=1):
        emit(("附件：" if i == 1 else "\u3000\u3000\u3000") + f"{i}．{name}")


def _signature(doc: OfficialDoc, emit: object) -> None:
    assert callable(emit)
    if len(doc.issuers) > 1 and doc.chinese_date:
        emit("\u3000\u3000".join(doc.issuers))
    else:
        for organ in doc.issuers:
            emit(organ)
    emit(doc.date_text(doc.written_date))
    if doc.public_note:
        emit("（此件公开发布）")


def _office(doc: OfficialDoc) -> str:
    lead = doc.issuers[0]
    return lead if lead.endswith(("办公厅", "办公室")) else lead.replace("人民政府", "人民政府办公室") \
        if "人民政府" in lead else lead + "办公厅"


# --- plain text ------------------------------------------------------------------------------------

def render_text(doc: OfficialDoc, path: Path) -> Path:
    """The same document as a plain-text export: no sizes, no colours, only the line structure."""
    lines: list[str] = [*doc.header, "", doc.doc_number + (f"    签发人：{doc.signer}" if doc.signer else ""), "",
                        *doc.title_lines, "", doc.addressee, *("\u3000\u3000" + t for t in doc.body), ""]
    _attachments(doc, lines.append)
    lines.append("")
    _signature(doc, lines.append)
    lines += ["", "抄送：有关单位。",
              f"{_office(doc)}    {doc.publication_date.year}年{doc.publication_date.month}月"
              f"{doc.publication_date.day}日印发"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- PDF --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _pdf_template() -> Any:
    from fpdf import FPDF

    class OfficialPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-18)
            self.set_font("wqy", size=14)
            self.set_text_color(0, 0, 0)
            self.cell(0, 8, f"— {self.page_no()} —", align="C")

    pdf = OfficialPDF(format="A4")
    pdf.set_margins(28, 37, 26)
    pdf.set_auto_page_break(True, margin=35)
    pdf.add_font("wqy", fname=str(FONT))
    return pdf


def render_pdf(doc: OfficialDoc, path: Path) -> Path:
    """Typeset ``doc`` as a PDF with a CJK TrueType font (WenQuanYi Micro Hei)."""
    from fontTools.ttLib import TTFont
    from fpdf.enums import XPos, YPos

    pdf = copy.deepcopy(_pdf_template())
    for font in pdf.fonts.values():
        # Output subsets the font in place; a lazily reopened copy keeps the template intact
        # (parsing the 5 MB collection once instead of per document saves ~0.6 s each).
        font.ttfont = TTFont(str(FONT), fontNumber=0, lazy=True, recalcTimestamp=False)
    pdf.add_page()
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def line(text: str, size: float, *, red: bool = False, align: str = "L", height: float | None = None) -> None:
        pdf.set_font("wqy", size=size)
        pdf.set_text_color(230, 0, 18) if red else pdf.set_text_color(0, 0, 0)
        pdf.cell(0, height or size * 0.5, text, align=align, **nl)

    for text in doc.header:
        line(text, min(36.0, 150 / (len(text) * 0.3528)), red=True, align="C", height=18)
    pdf.ln(6)
    number = doc.doc_number + (f"        签发人：{doc.signer}" if doc.signer else "")
    line(number, 16, align="C")
    y = pdf.get_y() + 2
    pdf.set_draw_color(230, 0, 18)
    pdf.set_line_width(0.8)
    pdf.line(28, y, 210 - 26, y)
    pdf.ln(10)
    for text in doc.title_lines:
        line(text, 22, align="C", height=12)
    pdf.ln(4)
    line(doc.addressee if len(doc.addressee) <= 26 else doc.addressee[:26], 16)
    pdf.set_font("wqy", size=16)
    for text in doc.body:
        pdf.multi_cell(0, 9, "\u3000\u3000" + text, **nl)
    _attachments(doc, lambda t: line(t, 16))
    pdf.ln(8)
    _signature(doc, lambda t: line(t, 16, align="R", height=9))
    pdf.ln(10)
    line("抄送：有关单位。", 14)
    pdf.set_font("wqy", size=14)
    pdf.cell(90, 8, _office(doc))
    pdf.cell(0, 8, f"{doc.publication_date.year}年{doc.publication_date.month}月{doc.publication_date.day}日印发",
             align="R", **nl)
    pdf.output(str(path))
    return path
