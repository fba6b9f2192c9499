"""DOCX through python-docx: body paragraphs and tables in order, text boxes, headers and footers.

Each paragraph keeps the typography GB/T 9704 encodes meaning in: run size (the red header is
largest, the title next), colour (red header), weight and centring. Sizes and colours set on the
paragraph's style count when a run does not set its own. Before python-docx opens anything the ZIP
directory is checked: the declared uncompressed sizes and compression ratios refuse zip bombs
without unpacking a byte of them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ingest.errors import CorruptFile, TooLarge
from ingest.layout import Line, RawDocument, is_page_number, tidy
from ingest.limits import Limits

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": _W, "mc": _MC}


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a damaged archive, a non-Word ZIP and a zip bomb, reading only the central directory."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptFile(f"damaged DOCX (not a readable ZIP archive): {exc}") from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise CorruptFile("a ZIP archive but not a Word document (word/document.xml is missing)")
    total = sum(info.file_size for info in infos)
    if total > limits.max_decompressed_bytes:
        raise TooLarge(f"the DOCX unpacks to {total // (1024 * 1024)} MB, over the limit of "
                       f"{limits.max_decompressed_bytes // (1024 * 1024)} MB (possible zip bomb)")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_compression_ratio:
            raise TooLarge(f"{info.filename} is compressed {ratio:.0f}:1, over the limit of "
                           f"{limits.max_compression_ratio:.0f}:1 (zip bomb)")


def read_docx(path: Path, limits: Limits) -> RawDocument:
    """Lines of the body (paragraphs, table cells, text boxes) then of headers and footers."""
    check_zip(path, limits)
    import docx  # imported here: python-docx costs ~100 ms to import and only DOCX needs it

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors… on bad parts
        raise CorruptFile(f"damaged DOCX: {type(exc).__name__}: {exc}") from exc
    styles = _StyleSizes(document)
    lines: list[Line] = []
    for child in document.element.body.iterchildren():
        if child.tag == _q("p"):
            for box in _text_boxes(child):
                lines.extend(_paragraph_lines(box, styles, zone="textbox"))
            lines.extend(_paragraph_lines(child, styles, zone="body"))
        elif child.tag == _q("tbl"):
            for p in child.iter(_q("p")):
                lines.extend(_paragraph_lines(p, styles, zone="table"))
    seen: set[str] = set()
    for section in document.sections:
        for zone, part in (("header", section.header), ("footer", section.footer)):
            try:
                element = part._element  # the header/footer XML (python-docx has no public accessor)
            except Exception:  # a section without its own header raises on access in some files
                continue
            for p in element.iter(_q("p")):
                for line in _paragraph_lines(p, styles, zone=zone):
                    if line.text not in seen:
                        seen.add(line.text)
                        lines.append(line)
    return RawDocument(source_format="docx", lines=lines)


def _text_boxes(paragraph: Any) -> list[Any]:
    """Paragraphs inside text boxes anchored in ``paragraph``; the VML fallback copy is skipped."""
    boxes = []
    for content in paragraph.iter(_q("txbxContent")):
        if any(a.tag == f"{{{_MC}}}Fallback" for a in content.iterancestors()):
            continue
        boxes.extend(content.iter(_q("p")))
    return boxes


def _paragraph_lines(p: Any, styles: _StyleSizes, *, zone: str) -> list[Line]:
    style_id = p.find(f"{_q('pPr')}/{_q('pStyle')}")
    style = styles.get(style_id.get(_q("val")) if style_id is not None else None)
    jc = p.find(f"{_q('pPr')}/{_q('jc')}")
    centered = jc is not None and jc.get(_q("val")) in ("center", "distribute")
    parts: list[str] = []
    sizes: list[tuple[float, int]] = []
    reds = bolds = total = 0
    for run in p.iterchildren(_q("r"), _q("hyperlink"), _q("ins"), _q("smartTag")):
        runs = [run] if run.tag == _q("r") else list(run.iter(_q("r")))
        for r in runs:
            text = "".join(_run_text(r))
            if not text:
                continue
            parts.append(text)
            rpr = r.find(_q("rPr"))
            size, red, bold = _run_style(rpr, style)
            n = len(text.strip())
            total += n
            if size:
                sizes.append((size, n))
            reds += n if red else 0
            bolds += n if bold else 0
    out: list[Line] = []
    for raw in "".join(parts).split("\n"):
        text = tidy(raw)
        if not text or (zone in ("header", "footer") and is_page_number(text)):
            continue
        size = max(sizes, key=lambda s: s[1])[0] if sizes else style[0]
        out.append(Line(text=text, size=size, red=total > 0 and reds * 2 > total,
                        bold=total > 0 and bolds * 2 > total, centered=centered, zone=zone))
    return out


def _run_text(r: Any) -> list[str]:
    out = []
    for el in r.iterchildren():
        if el.tag == _q("t"):
            out.append(el.text or "")
        elif el.tag == _q("tab"):
            out.append("\t")
        elif el.tag in (_q("br"), _q("cr")):
            out.append("\n")
    return out


def _run_style(rpr: Any, style: tuple[float | None, bool, bool]) -> tuple[float | None, bool, bool]:
    size, red, bold = style
    if rpr is None:
        return size, red, bold
    sz = rpr.find(_q("sz"))
    if sz is not None and (sz.get(_q("val")) or "").isdigit():
        size = int(sz.get(_q("val"))) / 2
    color = rpr.find(_q("color"))
    if color is not None:
        red = _is_red(color.get(_q("val")) or "")
    b = rpr.find(_q("b"))
    if b is not None:
        bold = b.get(_q("val")) not in ("0", "false")
    return size, red, bold


def _is_red(hex_colour: str) -> bool:
    if len(hex_colour) != 6:
        return False
    try:
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r > 150 and g < 90 and b < 90


class _StyleSizes:
    """Paragraph style id → (size, red, bold), following ``basedOn`` and the document defaults."""

    def __init__(self, document: Any) -> None:
        self._styles: dict[str, Any] = {}
        self._cache: dict[str | None, tuple[float | None, bool, bool]] = {}
        self._default: tuple[float | None, bool, bool] = (None, False, False)
        try:
            root = document.styles.element
        except Exception:
            return
        for st in root.iter(_q("style")):
            sid = st.get(_q("styleId"))
            if sid:
                self._styles[sid] = st
        defaults = root.find(f"{_q('docDefaults')}/{_q('rPrDefault')}/{_q('rPr')}")
        self._default = _run_style(defaults, (None, False, False))
        default_para = next((sid for sid, st in self._styles.items()
                             if st.get(_q("type")) == "paragraph" and st.get(_q("default")) in ("1", "true")), None)
        if default_para:
            self._default = self.get(default_para)
        self._cache.clear()

    def get(self, style_id: str | None, depth: int = 0) -> tuple[float | None, bool, bool]:
        if style_id in self._cache:
            return self._cache[style_id]
        st = self._styles.get(style_id or "")
        if st is None or depth > 10:
            return self._default
        based = st.find(_q("basedOn"))
        parent = self.get(based.get(_q("val")), depth + 1) if based is not None else self._default
        result = _run_style(st.find(_q("rPr")), parent)
        self._cache[style_id] = result
        return result
