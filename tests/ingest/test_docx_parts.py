"""DOCX parts beyond body paragraphs: text boxes, tables, headers and footers."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor

from ingest import extract

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml"'


def _text_box_run(text: str) -> object:
    return parse_xml(
        f'<w:r {_W}><w:pict><v:shape style="width:400pt;height:60pt"><v:textbox><w:txbxContent>'
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:color w:val="FF0000"/><w:sz w:val="72"/></w:rPr>'
        f"<w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )


def test_red_header_in_a_text_box_and_joint_header_in_a_table(tmp_path: Path) -> None:
    word = Document()
    anchor = word.add_paragraph()
    anchor._p.append(_text_box_run("示例市交通运输局文件"))
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "示例市公安局"
    table.cell(0, 1).text = "联合发文"
    number = word.add_paragraph()
    number.add_run("示交发〔2022〕15号").font.size = Pt(16)
    for line in ("示例市交通运输局 示例市公安局关于", "规范网约车经营的通知"):
        run = word.add_paragraph().add_run(line)
        run.font.size = Pt(22)
    for line in ("各区交通运输局、公安分局：", "现就规范网约车经营有关事项通知如下。本通知自2022年5月1日起施行，有效期3年。",
                 "示例市交通运输局", "2022年4月2日"):
        word.add_paragraph().add_run(line).font.size = Pt(16)
    section = word.sections[0]
    section.header.paragraphs[0].text = "示例市交通运输局 行政规范性文件"
    footer = section.footer.paragraphs[0]
    footer.add_run("— 1 —").font.color.rgb = RGBColor(0, 0, 0)
    path = tmp_path / "boxed.docx"
    word.save(str(path))

    doc = extract(path)
    assert doc.issuer == "示例市交通运输局"
    assert doc.title == "示例市交通运输局 示例市公安局关于规范网约车经营的通知"
    assert doc.doc_number == "示交发〔2022〕15号"
    assert str(doc.written_date) == "2022-04-02"
    assert str(doc.effective_date) == "2022-05-01" and str(doc.expiry_date) == "2025-04-30"
    assert "示例市公安局" in doc.text  # table cells are text
    assert "行政规范性文件" in doc.text  # page header kept, after the body
    assert "— 1 —" not in doc.text  # page numbers are furniture
