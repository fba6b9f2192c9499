"""The title: by type size where the format keeps it, by the shape of official titles otherwise.

GB/T 9704 sets the title in 二号 (22 pt) under the red header, larger than the body (三号, 16 pt)
and smaller than the header; it may run over several lines and ends with the document type
(通知, 决定, 意见, 办法…), possibly followed by a qualifier such as （试行）. Web pages and
plain text lose the sizes, so there the first lines that read as a title are taken, up to the
line that ends with the document type or the line before the addressee (各…：).
"""

from __future__ import annotations

import re
import statistics

from ingest.dates import find_dates, is_date_line
from ingest.docnumber import is_doc_number_line
from ingest.layout import Line
from ingest.metadata.context import TITLE_END, Context, looks_like_organ
from ingest.metadata.header import STANDARD_HEADER

MAX_TITLE = 160
_ORDER_TITLE = re.compile(r"^(?P<organ>[\u4e00-\u9fff、 ]{0,40}?)《(?P<title>[^《》]{2,100})》\s*(?:已经|业经|已于|于)"
                          r".{0,100}?(?:通过|审议|同意|批准).{0,30}?(?:公布|发布|印发)")
_QUALIFIER = re.compile(r"^[（(][^（）()]{1,16}[）)]$")
_SKIP = re.compile(r"^(附件\s*[\d一二三四五六七八九十]{0,3}$|签发人|密级|紧急程度|特急|加急|平急|特提|急件|秘密|机密|绝密|[（(]?此件.{0,12}[）)]?$|No\.|编号|索引号)")
#: Headings that follow a title but never belong to it (a table of contents, a foreword).
_NEVER_TITLE = frozenset({"目录", "前言", "说明", "附件", "附表"})
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ADDRESSEE = re.compile(r"[:：]$")
_OCR_GUANYU = re.compile(r"((?:院|厅|部|委|局|府|室|会|署|办))天于")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+[条章节编](?:[\s\u3000]|$)")


def title(ctx: Context) -> None:
    """Reads lines from ``head_end``. Writes ``title`` (if empty) and ``title_end``."""
    found: tuple[str, int] | None = None
    if ctx.is_order:
        found = _order_title(ctx)
    if found is None and ctx.raw.has_typography:
        found = _title_by_size(ctx)
    if found is None:
        found = _title_by_shape(ctx)
    if found is None:
        page_title = ctx.raw.fields.get("page_title")
        if page_title and ctx.doc.title is None:
            ctx.doc.title = re.split(r"\s*[_|｜—-]{1,2}\s*", page_title)[0].strip() or None
        ctx.title_end = ctx.head_end
        return
    text, end = found
    ctx.title_end = end
    if ctx.raw.ocr_confidence and _OCR_GUANYU.search(text):
        # OCR reads 关 as 天 in the 关于 that joins an organ to its subject; 天于 never does that.
        text = _OCR_GUANYU.sub(r"\1关于", text)
        ctx.doc.warnings.append("the OCRed title read 天于 where the title's 关于 stands; corrected")
    if ctx.doc.title is None:
        ctx.doc.title = text


def _candidate(line: Line, ctx: Context) -> bool:
    """Whether a line may be (part of) the title. A line ending in a colon never is: it addresses someone
    (主送机关 湖北省人民政府：) or leads into what follows (现函复如下：) — and OCR can measure such a short line
    larger than the title it follows."""
    text = line.text
    return not (line.red or is_date_line(text) or STANDARD_HEADER.match(text) or is_doc_number_line(text) or _SKIP.match(text)
                or text.endswith("文件") or _ADDRESSEE.search(text))


def _order_title(ctx: Context) -> tuple[str, int] | None:
    """A decree (令) names what it promulgates: 《××办法》已经…通过，现予公布。"""
    for i in range(ctx.head_end, min(len(ctx.lines), ctx.head_end + 8)):
        m = _ORDER_TITLE.match(ctx.lines[i].text)
        if m:
            organ, name = m.group("organ").strip(), m.group("title")
            if organ and name.startswith("关于"):
                name = organ + name  # 最高人民法院《关于…的批复》已于…通过 names 最高人民法院关于…的批复
            return name, i
    return None


def _title_by_size(ctx: Context) -> tuple[str, int] | None:
    """The run of consecutive lines set in the largest size above the body size."""
    lines = ctx.lines
    sized = [line.size for line in lines[:400] if line.size]
    if len(sized) < 2:
        return None
    body = statistics.median(sized)
    window = range(ctx.head_end, min(len(lines), ctx.head_end + 20))
    ocr_pages = set(ctx.raw.ocr_confidence)
    candidates = [i for i in window if (lines[i].size or 0) > body + 1 and _candidate(lines[i], ctx)
                  and lines[i].page == lines[ctx.head_end].page]
    while candidates:
        biggest = max(lines[i].size or 0 for i in candidates)
        first = next(i for i in candidates if abs((lines[i].size or 0) - biggest) < 0.6)
        run = [first]
        while run[0] - 1 in candidates and lines[run[0] - 1].page in ocr_pages \
                and _same_size(lines[run[0] - 1], lines[first], biggest, ocr_pages):
            run.insert(0, run[0] - 1)  # OCR may measure a title's first line smaller than its second
        while run[-1] + 1 < len(lines) and run[-1] + 1 in candidates \
                and _same_size(lines[run[-1] + 1], lines[first], biggest, ocr_pages):
            run.append(run[-1] + 1)
        if any(lines[i].text in _NEVER_TITLE for i in run):
            run = run[:next(k for k, i in enumerate(run) if lines[i].text in _NEVER_TITLE)] or run[:1]
        text = _join([lines[i].text for i in run])
        if (looks_like_organ(text) and "关于" not in text) or len(text) > MAX_TITLE or len(_HAN.findall(text)) < 2 \
                or text in _NEVER_TITLE:
            candidates = [i for i in candidates if i not in run]
            continue
        end = run[-1] + 1
        if end < len(lines) and _QUALIFIER.match(lines[end].text) and not find_dates(lines[end].text):
            text, end = text + lines[end].text, end + 1
        return text, end
    return None


def _title_by_shape(ctx: Context) -> tuple[str, int] | None:
    """The first lines that read as a title: short, no sentence ending, up to the type word."""
    lines = ctx.lines
    i = ctx.head_end
    limit = min(len(lines), ctx.head_end + 25)
    while i < limit and not _candidate(lines[i], ctx):  # skips addressees too: they end in a colon
        i += 1
    if i >= limit:
        return None
    first = lines[i].text
    if len(first) > 80 or first.endswith(("。", "；")) or _ARTICLE.match(first):
        return None
    parts = [first]
    j = i + 1
    while not TITLE_END.search(_join(parts)) and j < limit:
        nxt = lines[j].text
        if not _continues(parts, nxt):
            break
        parts.append(nxt)
        j += 1
    # A line can end in a type word by accident (…推行行政执法 / 公示制度…的指导意见): take the longest
    # run of up to three following title-like lines that again ends in one.
    extra: list[str] = []
    for k in range(j, min(limit, j + 3)):
        if not _continues([*parts, *extra], lines[k].text):
            break
        extra.append(lines[k].text)
        if TITLE_END.search(extra[-1]) and not _QUALIFIER.match(extra[-1]):
            parts, j, extra = [*parts, *extra], k + 1, []
    styled = any(lines[k].bold or lines[k].centered or lines[k].size for k in range(i, j))
    while styled and j < limit and _same_style(lines[j], lines[j - 1]) and len(lines[j].text) <= 60 \
            and not (_ADDRESSEE.search(lines[j].text) or is_date_line(lines[j].text)
                     or is_doc_number_line(lines[j].text) or _ARTICLE.match(lines[j].text)
                     or lines[j].text.endswith(("。", "；")) or len(_join([*parts, lines[j].text])) > MAX_TITLE):
        # A title the type word seemed to end (…制度) continues on a line set the same way.
        parts.append(lines[j].text)
        j += 1
    if not TITLE_END.search(_join(parts)):
        # No type word: trust only a single short line (a Markdown heading, a plain name).
        parts, j = [first], i + 1
    if j < len(lines) and _QUALIFIER.match(lines[j].text) and not find_dates(lines[j].text):
        parts.append(lines[j].text)
        j += 1
    return _join(parts), j


def _continues(parts: list[str], nxt: str) -> bool:
    """Whether ``nxt`` can be the next line of a title that so far reads ``parts``."""
    return not (nxt in _NEVER_TITLE or len(nxt) > 60 or _ADDRESSEE.search(nxt) or is_date_line(nxt) or is_doc_number_line(nxt)
                or _ARTICLE.match(nxt) or nxt.endswith(("。", "；")) or len(_join([*parts, nxt])) > MAX_TITLE
                or (nxt.startswith(("（", "(")) and find_dates(nxt)) or _SKIP.match(nxt))


def _same_size(line: Line, first: Line, biggest: float, ocr_pages: set[int]) -> bool:
    """Whether ``line`` is set in the title's size. A text layer gives exact sizes; OCR estimates a size
    from the glyph boxes of each line, which swing by several points between two lines of one title, so
    there any line above the body size (the caller's candidates) set out like the first one continues it."""
    if line.page in ocr_pages:
        return line.centered == first.centered
    return abs((line.size or 0) - biggest) < 0.6


def _same_style(a: Line, b: Line) -> bool:
    return a.bold == b.bold and a.centered == b.centered and a.size == b.size and a.red == b.red


_AUTOSPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u00a0]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \u00a0]+(?=[\u4e00-\u9fff])")


def _join(parts: list[str]) -> str:
    """Lines of one title joined as written: no space between Chinese, one between Latin words.

    The gap a typesetter leaves between a Chinese character and a digit or Latin letter (第 4626 号)
    is spacing, not a typed space (gov.cn writes 第4626号), so it is dropped."""
    parts = [_AUTOSPACE.sub("", part) for part in parts]
    out = ""
    for part in parts:
        part = part.strip()
        if out and out[-1].isascii() and out[-1].isalnum() and part[:1].isascii() and part[:1].isalnum():
            out += " "
        out += part
    return out
