"""What gets typeset: one document as an office prints it (GB/T 9704) and as its website publishes it.

The same ``OfficialDoc`` describes a demo document (read from ``registry/demo/sources``) and an
official-layout test document (made from a real gov.cn page), so both are set by the same renderers.
Every field that a renderer prints is a field here, which is why the expected values of an
extraction test are known exactly: they are what was typeset.

Body lines use a small Markdown-like markup that the renderers turn into the typography of a
Chinese official document:

    ## 第一章　总则           a chapter heading (centred, 黑体)
    ### 一、总体要求          a section heading (黑体)
    **（一）合理布局。**其余   a lead sentence in 楷体, then the rest of the paragraph
    第一条　……               an article: 第X条 in 黑体 (found by its wording, no markup)
    anything else            a paragraph, indented two characters
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

CN_DIGITS = "〇一二三四五六七八九"
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)
#: The CJK font embedded in the PDFs (WenQuanYi Micro Hei, the only one installed by ensure-system.sh).
FONT = next((p for p in FONT_CANDIDATES if p.exists()), FONT_CANDIDATES[0])

Kind = Literal["chapter", "heading", "lead", "article", "para"]
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零〇]+条)\s*(.*)$")
_LEAD = re.compile(r"^\*\*(.*?)\*\*(.*)$")


@dataclass
class OfficialDoc:
    """What is typeset, which is also what extraction must find.

    The first twelve fields are the official-layout test documents' (their order is public API);
    the rest have defaults that give the paper layout of those documents, and the demo sources set
    them to describe a registered, published document.
    """

    key: str
    issuers: list[str]
    doc_number: str
    title: str
    addressee: str
    body: list[str]
    #: The date signed (成文日期). An interpretation is not signed: its publication date stands in
    #: (and ``signed`` is false), so no renderer prints it.
    written_date: date
    publication_date: date
    chinese_date: bool = False
    signer: str | None = None  # 签发人, printed beside the 文号
    attachments: list[str] = field(default_factory=list)  # the 附件 list under the body
    public_note: bool = False  # （此件公开发布）under the signature
    registration_number: str = ""  # 统一登记号, top left
    red_header: bool = True  # the red 发文机关标志 (××文件)
    title_width: int = 19  # at most this many characters per title line; 0: one line, wrapped by the page
    signed: bool = True  # signature and date under the body
    enclosure_title: str = ""  # the document a notice 印发 (printed after it on a new page) ...
    enclosure: list[str] = field(default_factory=list)  # ... and its text
    cc: str = "抄送：有关单位。"  # first line of the 版记; empty: none
    printer: str | None = None  # 印发机关 of the 版记; None: the lead issuer's office; empty: no 版记 line
    printed_on: date | None = None  # 印发 date; None: the publication date
    # Where it is published: the web page's 信息公开 table, the Markdown front matter, the text export.
    category: str = "行政规范性文件"
    region: str = ""
    effective_date: date | None = None
    expiry_date: date | None = None
    topic: str = ""  # 主题分类
    index_no: str = ""  # 索引号
    source: str = ""  # 来源 of an interpretation
    interprets: str = ""  # the 文号 an interpretation explains
    encoding: str = "utf-8"  # of the HTML page
    from_website: bool = False  # the text export is a website copy: title first, then 文号, 登记号, 发布日期
    front_matter: bool = False  # the Markdown file starts with YAML front matter of the catalog fields

    @property
    def issuer(self) -> str:
        return self.issuers[0]

    @property
    def header(self) -> list[str]:
        """Header lines: organs stacked, 文件 after the last one."""
        return [*self.issuers[:-1], self.issuers[-1] + "文件"]

    @property
    def number_line(self) -> str:
        return self.doc_number + (f"        签发人：{self.signer}" if self.signer else "")

    def date_text(self, value: date) -> str:
        if not self.chinese_date:
            return date_ar(value)
        year = "".join(CN_DIGITS[int(c)] for c in str(value.year))
        return f"{year}年{cn_number(value.month)}月{cn_number(value.day)}日"

    @property
    def signature_date(self) -> str:
        return self.date_text(self.written_date)

    @property
    def signature(self) -> list[str]:
        """The signing organs: one per line, or side by side when a joint document is dated in Chinese."""
        if len(self.issuers) > 1 and self.chinese_date:
            return ["\u3000\u3000".join(self.issuers)]
        return list(self.issuers)

    @property
    def title_lines(self) -> list[str]:
        """The title broken into balanced lines of at most ``title_width`` characters, as typesetters do."""
        if not self.title_width:
            return [self.title]
        n = max(1, -(-len(self.title) // self.title_width))
        size = -(-len(self.title) // n)
        return [self.title[i:i + size] for i in range(0, len(self.title), size)]

    @property
    def attachment_lines(self) -> list[str]:
        return [("附件：" if i == 1 else "\u3000\u3000\u3000") + f"{i}．{name}"
                for i, name in enumerate(self.attachments, start=1)]

    @property
    def imprint(self) -> tuple[str, str] | None:
        """The 版记's printing office and 印发 date, or None when the document has no 版记."""
        printer = _office(self.issuer) if self.printer is None else self.printer
        if not printer:
            return None
        return printer, date_ar(self.printed_on or self.publication_date) + "印发"


def cn_number(n: int) -> str:
    """1–31 in Chinese numerals as dates write them: 十, 十一, 二十, 三十一."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def date_ar(value: date) -> str:
    """2023年3月10日"""
    return f"{value.year}年{value.month}月{value.day}日"


def _office(issuer: str) -> str:
    if issuer.endswith(("办公厅", "办公室")):
        return issuer
    return issuer.replace("人民政府", "人民政府办公室") if "人民政府" in issuer else issuer + "办公厅"


def classify(line: str) -> tuple[Kind, str, str]:
    """(kind, lead, rest) of one body line in the markup described in the module docstring."""
    if line.startswith("## "):
        return "chapter", line[3:], ""
    if line.startswith("### "):
        return "heading", line[4:], ""
    lead = _LEAD.match(line)
    if lead:
        return "lead", lead.group(1), lead.group(2)
    article = _ARTICLE.match(line)
    if article:
        return "article", article.group(1), article.group(2)
    return "para", line, ""


def plain(line: str) -> str:
    """A body line without its markup, as a plain-text export prints it."""
    kind, lead, rest = classify(line)
    return f"{lead}\u3000{rest}" if kind == "article" else lead + rest
