"""The printed document (GB/T 9704) as Word and PDF files.

Layout, top to bottom: 统一登记号, red 发文机关标志, 文号 (with 签发人) over a red rule, title, addressee,
body, 附件 list, signature and date, （此件公开发布）, the enclosed document on a new page, and the 版记
(抄送, 印发机关 and 印发 date between rules) at the foot of the last page.

Both writers are byte-for-byte deterministic for the same document: the DOCX core properties carry
the date signed and the zip entries a fixed timestamp; the PDF creation date is the publication date.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scripts.typeset.document import FONT, OfficialDoc, classify

_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_PAPER_W, _PAPER_H = 210, 297  # A4, mm
_LEFT, _TOP, _RIGHT, _BOTTOM = 28, 37, 26, 35  # GB/T 9704 margins, mm
_RED_RULE = "FF0000"
# CT_PPr is a sequence: a paragraph border must precede these children of w:pPr.
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _header_size(line: str, base: float) -> float:
    """``base`` for organ names of up to 12 characters; longer ones shrink to the same width."""
    return base if len(line) <= 12 else round(base * 12 / len(line) * 2) / 2


# --- DOCX -------------------------------------------------------------------------------------------

def render_docx(doc: OfficialDoc, path: Path) -> Path:
    """Typeset ``doc`` as a Word file: exact 28.95 pt lines, 方正小标宋/仿宋_GB2312/黑体/楷体 runs,
    red header and rule, page number in the footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    word = Document()
    sec = word.sections[0]
    sec.page_width, sec.page_height = Mm(_PAPER_W), Mm(_PAPER_H)
    sec.top_margin, sec.bottom_margin = Mm(_TOP), Mm(_BOTTOM)
    sec.left_margin, sec.right_margin = Mm(_LEFT), Mm(_RIGHT)
    sec.footer_distance = Mm(20)
    normal: Any = word.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    aligns = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
              "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}

    def para(align: str = "", indent: bool = True, spacing: float = 28.95) -> Any:
        p = word.add_paragraph()
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(spacing)
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if indent:
            pf.first_line_indent = Pt(32)
        if align:
            p.alignment = aligns[align]
        return p

    def run(p: Any, text: str, font: str = "仿宋_GB2312", size: float = 16.0, color: str = "") -> None:
        r = p.add_run(text)
        r.font.name = "Times New Roman"
        r.font.size = Pt(size)
        r.font.bold = False
        rpr = r._element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        rfonts.set(qn("w:eastAsia"), font)
        if color:
            r.font.color.rgb = RGBColor.from_string(color)

    def border(p: Any, side: str, color: str, size: int) -> None:
        ppr = p._p.get_or_add_pPr()
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is None:
            bdr = OxmlElement("w:pBdr")
            ppr.insert_element_before(bdr, *_AFTER_PBDR)
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
            edge.set(qn(key), value)
        bdr.append(edge)

    def content(lines: list[str]) -> None:
        for line in lines:
            kind, lead, rest = classify(line)
            if kind == "chapter":
                run(para("center", indent=False), lead, font="黑体")
            elif kind == "heading":
                run(para(), lead, font="黑体")
            elif kind == "lead":
                p = para("justify")
                run(p, lead, font="楷体_GB2312")
                run(p, rest)
            elif kind == "article":
                p = para("justify")
                run(p, lead, font="黑体")
                run(p, "\u3000" + rest)
            else:
                run(para("justify"), lead)

    def title(text: str) -> None:
        run(para("center", indent=False, spacing=36), text, font="方正小标宋简体", size=22)

    if doc.registration_number:
        run(para(indent=False), doc.registration_number, font="黑体")
    else:
        para(indent=False)
    if doc.red_header:
        for i, line in enumerate(doc.header):
            p = para("center", indent=False, spacing=60)
            if i == 0:
                p.paragraph_format.space_before = Pt(24)
            run(p, line, font="方正小标宋简体", size=_header_size(line, 40), color=_RED_RULE)
        para(indent=False)
    p = para("center", indent=False)
    run(p, doc.number_line)
    border(p, "bottom", _RED_RULE, 18)
    para(indent=False)
    for line in doc.title_lines:
        title(line)
    para(indent=False)
    if doc.addressee:
        run(para(indent=False), doc.addressee)
    content(doc.body)
    for line in doc.attachment_lines:
        run(para(), line)
    para(indent=False)
    para(indent=False)
    if doc.signed:
        for organ in doc.signature:
            p = para("right", indent=False)
            p.paragraph_format.right_indent = Pt(64)
            run(p, organ)
        p = para("right", indent=False)
        p.paragraph_format.right_indent = Pt(48)
        run(p, doc.signature_date)
        if doc.public_note:
            run(para(), "（此件公开发布）")
    if doc.enclosure:
        para(indent=False).add_run().add_break(WD_BREAK.PAGE)
        title(doc.enclosure_title)
        para(indent=False)
        content(doc.enclosure)
    imprint = doc.imprint
    if imprint:
        para(indent=False)
        if doc.cc:
            p = para(indent=False)
            p.paragraph_format.left_indent = Pt(14)
            border(p, "top", "000000", 8)
            run(p, doc.cc, size=14)
        p = para(indent=False)
        p.paragraph_format.left_indent = Pt(14)
        border(p, "top", "000000", 4)
        border(p, "bottom", "000000", 8)
        run(p, imprint[0], size=14)
        run(p, "\u3000" * 6 + imprint[1], size=14)

    footer = sec.footer.paragraphs[0]  # "— 1 —", the number a PAGE field
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(footer, "— ", font="宋体", size=14)
    fld, r, t = OxmlElement("w:fldSimple"), OxmlElement("w:r"), OxmlElement("w:t")
    fld.set(qn("w:instr"), "PAGE")
    t.text = "1"
    r.append(t)
    fld.append(r)
    footer._p.append(fld)
    run(footer, " —", font="宋体", size=14)

    props = word.core_properties
    props.title = doc.title
    props.author = props.last_modified_by = doc.issuer
    props.subject = props.keywords = doc.doc_number
    props.comments = ""
    props.revision = 1
    stamp = datetime(doc.written_date.year, doc.written_date.month, doc.written_date.day, 9, 0, 0)
    props.created = props.modified = props.last_printed = stamp
    buf = io.BytesIO()
    word.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))
    return path


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps and permissions, entries in their order, so output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------------

def render_pdf(doc: OfficialDoc, path: Path) -> Path:
    """Typeset ``doc`` as a PDF with an embedded subset of WenQuanYi Micro Hei (``FONT``).

    The one CJK font stands in for 仿宋 and 小标宋: headings and titles get a fill-and-stroke "bold".
    """
    from fpdf import FPDF
    from fpdf.enums import TextMode, WrapMode

    class OfficialPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-28)
            self.set_font("wqy", size=14)
            self.set_text_color(0, 0, 0)
            self.cell(0, 8, f"— {self.page_no()} —", align="C")

    pdf = OfficialPDF(format="A4", unit="mm")
    day = doc.publication_date
    pdf.set_creation_date(datetime(day.year, day.month, day.day, 9, 0, 0, tzinfo=UTC))
    pdf.set_title(doc.title)
    pdf.set_author(doc.issuer)
    pdf.set_subject(doc.doc_number)
    pdf.set_creator("示例市政府公文系统")
    pdf.set_producer("normreg demo (fpdf2)")
    pdf.set_margins(_LEFT, _TOP, _RIGHT)
    pdf.set_auto_page_break(True, margin=_BOTTOM)
    pdf.add_font("wqy", fname=str(FONT), collection_font_number=0)
    pdf.add_page()
    lh = 10.2  # ~28.95 pt exact line spacing
    right_edge = _PAPER_W - _RIGHT

    def text(s: str, size: float = 16, align: str = "L", color: tuple[int, int, int] = (0, 0, 0),
             bold: bool = False, h: float = lh) -> None:
        pdf.set_font("wqy", size=size)
        pdf.set_text_color(*color)
        if not bold:
            pdf.multi_cell(0, h, s, align=align, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
            return
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.25 if size < 30 else 0.45,
                               draw_color=color):
            pdf.multi_cell(0, h, s, align=align, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)

    def content(lines: list[str]) -> None:
        for line in lines:
            kind, lead, rest = classify(line)
            if kind == "chapter":
                text(lead, align="C", bold=True)
            elif kind == "heading":
                text("\u3000\u3000" + lead, bold=True)
            elif kind == "article":
                text(f"\u3000\u3000{lead}\u3000{rest}")
            else:
                text("\u3000\u3000" + lead + rest)

    def rule(width: float) -> None:
        pdf.set_line_width(width)
        pdf.line(_LEFT, pdf.get_y(), right_edge, pdf.get_y())

    if doc.registration_number:
        text(doc.registration_number, size=16)
    else:
        pdf.ln(lh)
    if doc.red_header:
        pdf.ln(8)
        for line in doc.header:
            text(line, size=_header_size(line, 36), align="C", color=(230, 0, 0), bold=True, h=18)
        pdf.ln(10)
    text(doc.number_line, align="C")
    y = pdf.get_y() + 2
    pdf.set_draw_color(230, 0, 0)
    pdf.set_line_width(0.7)
    pdf.line(_LEFT, y, right_edge, y)
    pdf.ln(12)
    for line in doc.title_lines:
        text(line, size=22, align="C", bold=True, h=13)
    pdf.ln(6)
    if doc.addressee:
        text(doc.addressee)
    content(doc.body)
    for line in doc.attachment_lines:
        text("\u3000\u3000" + line)
    pdf.ln(lh)
    if doc.signed:
        pdf.set_font("wqy", size=16)
        for line in [*doc.signature, doc.signature_date]:
            width = max(80.0, pdf.get_string_width(line) + 4)  # centred under the organ, right of centre
            pdf.set_x(max(float(_LEFT), right_edge - width - 16))
            pdf.cell(width, lh, line, align="C", new_x="LMARGIN", new_y="NEXT")
        if doc.public_note:
            text("\u3000\u3000（此件公开发布）")
    if doc.enclosure:
        pdf.add_page()
        text(doc.enclosure_title, size=22, align="C", bold=True, h=13)
        pdf.ln(6)
        content(doc.enclosure)
    imprint = doc.imprint
    if imprint:
        pdf.ln(lh)
        pdf.set_draw_color(0, 0, 0)
        block = 9 * (3 if doc.cc else 1) + 2  # the 版记 sits at the foot of the last page
        if pdf.get_y() > _PAPER_H - _BOTTOM - block:
            pdf.add_page()
        pdf.set_y(_PAPER_H - _BOTTOM - block)
        rule(0.35)
        if doc.cc:
            text("\u3000" + doc.cc, size=14, h=9)
            rule(0.2)
        pdf.set_font("wqy", size=14)
        pdf.cell(90, 9, "\u3000" + imprint[0])
        pdf.cell(0, 9, imprint[1] + "\u3000", align="R", new_x="LMARGIN", new_y="NEXT")
        rule(0.35)
    path.write_bytes(bytes(pdf.output()))
    return path
