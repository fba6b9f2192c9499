"""HTML pages as government sites publish them.

Three things are read: the metadata table that gov.cn and most provincial portals put above the
text (索引号, 发文机关, 成文日期, 发文字号, 发布日期, 主题分类, 标题), the main content block (by the
ids/classes those CMSs use, else the element holding most paragraph text), and the typography the
content carries inline (font-size, bold, centring), which the title stage uses like a PDF's.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from ingest.errors import CorruptFile
from ingest.layout import Line, RawDocument, tidy

#: Labels of metadata tables, folded (no spaces, no colon) → field name.
LABELS = {
    "索引号": "index_no", "主题分类": "topic", "发文机关": "issuer", "发文单位": "issuer", "制发机关": "issuer",
    "成文日期": "written_date", "发文日期": "written_date", "标题": "title", "名称": "title",
    "发文字号": "doc_number", "文号": "doc_number", "发布日期": "publication_date", "公布日期": "publication_date",
    "发布时间": "publication_date", "施行日期": "effective_date", "生效日期": "effective_date",
    "有效期至": "expiry_date", "失效日期": "expiry_date", "统一登记号": "registration_number",
    "登记号": "registration_number", "文件类型": "category", "体裁分类": "category", "效力状态": "status",
    "有效性": "status", "时效性": "status",
}
_CONTENT_SELECTORS = (
    "UCAP-CONTENT", "zoom", "Zoom", "TRS_Editor", "pages_content", "article-content", "art_con", "content",
    "article", "main-content", "mainText", "detail", "zwnr",
)
_SKIP = {"script", "style", "noscript", "iframe", "canvas", "select", "button", "svg", "form", "head", "input"}
_BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
    "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "header", "footer", "td", "th",
}
_SIZE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(pt|px|em)?", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
_LABEL_FOLD = re.compile(r"[\s\u3000:：\u00a0]+")
_INLINE_FIELD = re.compile(r"^\s*([\u4e00-\u9fff\s\u3000]{2,8})[:：]\s*(.+?)\s*$")


def read_html(text: str) -> RawDocument:
    """Lines of the main content block, plus the page's labelled metadata as ``fields``."""
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptFile(f"unreadable HTML: {exc}") from exc
    fields = metadata_fields(root)
    for name in ("ArticleTitle", "title"):
        meta = root.xpath(f"//meta[@name='{name}']/@content")
        if meta and "title" not in fields and meta[0].strip():
            fields["title"] = str(meta[0]).strip()
    page_title = root.findtext(".//title")
    if page_title and page_title.strip():
        fields.setdefault("page_title", page_title.strip())
    content = main_content(root)
    lines = _Walker().lines(content)
    return RawDocument(source_format="html", lines=lines, fields=fields)


def metadata_fields(root: Any) -> dict[str, str]:
    """Labelled metadata: a cell whose folded text is a known label, valued by the next cell; or a
    short ``标签：值`` item. The first occurrence of each label wins (the table sits above the text)."""
    found: dict[str, str] = {}
    for cell in root.iter("td", "th", "dt", "li", "span", "p"):
        raw = cell.text_content()
        if len(raw) > 80:
            continue
        label = _LABEL_FOLD.sub("", raw)
        name = LABELS.get(label)
        if name is not None and cell.tag in ("td", "th", "dt"):
            value_cell = cell.getnext()
            if value_cell is not None and name not in found:
                value = _SPACES.sub(" ", value_cell.text_content()).strip()
                if value:
                    found[name] = value
            continue
        m = _INLINE_FIELD.match(raw)
        if m:
            name = LABELS.get(_LABEL_FOLD.sub("", m.group(1)))
            if name is not None and name not in found and m.group(2).strip():
                found[name] = m.group(2).strip()
    return found


def main_content(root: Any) -> Any:
    """The element that holds the document text."""
    for key in _CONTENT_SELECTORS:
        for el in root.xpath(f"//*[@id='{key}' or contains(concat(' ', normalize-space(@class), ' '), ' {key} ')]"):
            if len(el.text_content().strip()) > 40:
                return el
    best, best_score = None, 0
    for el in root.iter("div", "td", "article", "section", "main"):
        score = sum(len(p.text_content()) for p in el.findall("p")) + len((el.text or "").strip())
        if score > best_score:
            best, best_score = el, score
    if best is not None and best_score > 40:
        return best
    body = root.find("body")
    return body if body is not None else root


class _Walker:
    """Flattens an element into lines at block boundaries, keeping the largest inline font size and
    whether the block was bold or centred."""

    def __init__(self) -> None:
        self.out: list[Line] = []
        self.buf: list[str] = []
        self.size: float | None = None
        self.bold = False
        self.centered = False

    def lines(self, el: Any) -> list[Line]:
        self._walk(el, centered=False, bold=False)
        self._flush()
        return self.out

    def _flush(self) -> None:
        text = _CJK_GAP.sub("", _SPACES.sub(" ", "".join(self.buf)))
        text = tidy(text)
        if text:
            self.out.append(Line(text=text, size=self.size, bold=self.bold, centered=self.centered))
        self.buf.clear()
        self.size, self.bold, self.centered = None, False, False

    def _walk(self, el: Any, *, centered: bool, bold: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            if el.tail:
                self.buf.append(el.tail)
            return
        block = tag in _BLOCK
        if block:
            self._flush()
        style = (el.get("style") or "").lower()
        centered = centered or el.get("align", "").lower() == "center" or "text-align: center" in style \
            or "text-align:center" in style or tag == "center"
        bold = bold or tag in ("b", "strong", "h1", "h2") or "font-weight: bold" in style \
            or "font-weight:bold" in style
        size = _css_size(style)
        if tag in ("h1", "h2"):
            size = size or {"h1": 24.0, "h2": 18.0}[tag]
        if el.text and el.text.strip():
            self._note(size, bold, centered)
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self._walk(child, centered=centered, bold=bold)
        if size is not None and "".join(self.buf).strip():
            self._note(size, bold, centered)
        if block:
            self._flush()
        if el.tail:
            self.buf.append(el.tail)

    def _note(self, size: float | None, bold: bool, centered: bool) -> None:
        if size is not None and (self.size is None or size > self.size):
            self.size = size
        self.bold = self.bold or bold
        self.centered = self.centered or centered


def _css_size(style: str) -> float | None:
    m = _SIZE.search(style)
    if not m:
        return None
    value, unit = float(m.group(1)), (m.group(2) or "px").lower()
    if unit == "px":
        return value * 0.75
    if unit == "em":
        return value * 12
    return value
