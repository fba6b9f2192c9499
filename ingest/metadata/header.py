"""The top of the document: labelled fields, the red header (版头) and the 文号 line."""

from __future__ import annotations

import re

from ingest.dates import is_date_line, parse_date
from ingest.docnumber import (
    DocNumber,
    find_registration_number,
    is_doc_number_line,
    normalize_doc_number,
    parse_doc_number,
)
from ingest.metadata.context import Context, looks_like_organ, split_organs

#: Front-matter keys (English and Chinese) → ExtractedDocument field.
FIELD_ALIASES = {
    "title": "title", "标题": "title", "名称": "title",
    "doc_number": "doc_number", "文号": "doc_number", "发文字号": "doc_number",
    "issuer": "issuer", "发文机关": "issuer", "制定机关": "issuer",
    "written_date": "written_date", "成文日期": "written_date",
    "publication_date": "publication_date", "发布日期": "publication_date", "公布日期": "publication_date",
    "effective_date": "effective_date", "施行日期": "effective_date",
    "expiry_date": "expiry_date", "有效期至": "expiry_date",
    "registration_number": "registration_number", "统一登记号": "registration_number", "登记号": "registration_number",
    "category": "category", "类别": "category", "index_no": "index_no", "索引号": "index_no",
    "topic": "topic", "主题分类": "topic",
}
_DATE_FIELDS = {"written_date", "publication_date", "effective_date", "expiry_date"}
STANDARD_HEADER = re.compile(r"^(中华人民共和国)?.{0,10}(国家|地方|行业|团体)(生态)?(环境)?(保护)?(技术)?标准$")
_HEADER_WORD = re.compile(r"^(?P<organs>.+?)\s*(文件|令|公报|通报|简报|函|便函|纪要)$")
_BARE_HEADER = frozenset({"公告", "令", "命令", "通告"})


def labelled_fields(ctx: Context) -> None:
    """Reads ``raw.fields`` (gov.cn table, front matter). Writes the matching document fields.

    A value the file states in labelled form is what the user will check against, so it is set
    first and later stages only fill what is still empty.
    """
    doc, fields = ctx.doc, ctx.raw.fields
    if ctx.raw.source_format in ("md", "txt"):
        doc.front_matter = dict(fields)
    for key, value in fields.items():
        name = FIELD_ALIASES.get(key, key if key in FIELD_ALIASES.values() else None)
        if name is None or not value.strip():
            continue
        value = value.strip()
        if name in _DATE_FIELDS:
            parsed = parse_date(value)
            if parsed is not None and getattr(doc, name) is None:
                setattr(doc, name, parsed)
        elif name == "doc_number":
            doc.doc_number = doc.doc_number or normalize_doc_number(value)
        elif name == "registration_number":
            doc.registration_number = doc.registration_number or find_registration_number(value) or value
        elif name == "issuer":
            organs = split_organs(value)
            if doc.issuer is None and organs:
                doc.issuer = organs[0]
                doc.co_issuers = organs[1:]
        elif getattr(doc, name) is None:
            setattr(doc, name, value)


def red_header(ctx: Context) -> None:
    """Reads the first lines. Writes ``issuer``/``co_issuers`` (if empty), ``head_end``, ``is_order``.

    The 版头 is the issuing organ's name in large red type ending in 文件 (or 令 for a decree); when
    several organs issue jointly their names are stacked or set side by side before one 文件. Where
    colour is unknown (plain text) the 文件/令 ending alone identifies it, so only short lines
    without punctuation at the very top qualify.
    """
    lines = ctx.lines
    top = min(len(lines), 12)
    organs: list[str] = []
    start = end = 0
    for i in range(top):
        text, red = lines[i].text, lines[i].red
        if is_doc_number_line(text) or is_date_line(text) or len(text) > 60:
            break
        if STANDARD_HEADER.match(text):
            start = end = i + 1
            continue
        stacked = lines[start:i]
        if text in _BARE_HEADER and stacked and all(looks_like_organ(x.text) for x in stacked):
            # 中华人民共和国最高人民法院 / 公 告: organs stacked above the kind of document.
            organs = [o for x in stacked for o in split_organs(x.text)]
            end, ctx.is_order = i + 1, True
            break
        m = _HEADER_WORD.match(text)
        if m and (red or len(text) <= 40) and _organ_words(m.group("organs")):
            above = [x.text for x in stacked]
            if not all(looks_like_organ(x) for x in above):
                above = []
            organs = [*[o for x in above for o in split_organs(x)], *split_organs(m.group("organs"))]
            end, ctx.is_order = i + 1, text.endswith("令")
            break
        if red:
            end = i + 1
            continue
        if not looks_like_organ(text):
            break
        if i + 1 < len(lines) and is_doc_number_line(lines[i + 1].text):
            # A plain organ line right above the 文号 line is a header set without 文件 or colour.
            organs = [o for x in lines[start:i + 1] if looks_like_organ(x.text) for o in split_organs(x.text)]
            end = i + 1
            break
    if not organs and end:
        # A red header without 文件 (国务院办公厅 set alone in red): its organ lines name the issuer.
        organs = [o for x in lines[start:end] if x.red and looks_like_organ(x.text) for o in split_organs(x.text)]
    if organs:
        if ctx.doc.issuer is None:
            ctx.doc.issuer, ctx.doc.co_issuers = organs[0], organs[1:]
        ctx.notes["header_organs"] = " ".join(organs)
    ctx.head_end = end


def _organ_words(text: str) -> bool:
    return all(looks_like_organ(o) for o in split_organs(text)) if text.strip() else False


def doc_number_line(ctx: Context) -> None:
    """Reads the lines near the top. Writes ``doc_number`` (if empty) and ``doc_number_index``.

    Only a line that is mostly a 文号 counts (the 文号 line under the header, or the one under a
    title on web pages): a 文号 cited in a sentence belongs to another document. A decree's number
    (第12号 under ××令) is written out as ××令第12号.
    """
    lines = ctx.lines
    for i in range(min(len(lines), ctx.head_end + 15)):
        text = lines[i].text
        if is_doc_number_line(text):
            ctx.doc_number_index = i
            if ctx.doc.doc_number is None:
                parsed = parse_doc_number(re.sub(r"签发人[:：].*$", "", text))
                ctx.doc.doc_number = str(parsed) if parsed else None
            return
        m = re.fullmatch(r"[（(]?第\s*([0-9０-９]{1,5})\s*号[）)]?", text.replace(" ", ""))
        if m and ctx.is_order and i == ctx.head_end:
            ctx.doc_number_index = i
            header = lines[i - 1].text if i else ""
            if ctx.doc.doc_number is None and header.endswith("令"):
                ctx.doc.doc_number = normalize_doc_number(f"{header}第{m.group(1)}号")
            return


#: Titles whose 文种 is a letter: 函, 复函, and the 答复 a body sends to a deputy's suggestion or a
#: member's proposal, which goes out as a letter too. Letters are numbered in the 函 series (国办函, 京政函).
_LETTER_TITLE = re.compile(r"(?:函|答复)$")


def doubted_doc_number(ctx: Context) -> None:
    """Reads the 文号 line's doubtful OCR words and the title. Writes ``doc_number`` and a warning.

    The last character of a 机关代字 names the series (发, 函, 字, 办 …) and is the one glyph of a 文号 that
    no other part of the page repeats. When OCR could not read it (``Line.doubtful``: the word was that
    one character, read at a confidence near 0), the reading is a guess: in a letter, whose series the
    title's 文种 names, the character is 函; otherwise the number is kept and the clerk is told which
    character to check. Runs after ``title``; never touches a 文号 whose characters OCR was sure of,
    nor one that came from a labelled field or a text layer (their lines carry no doubts).
    """
    if ctx.doc_number_index is None or ctx.doc.doc_number is None:
        return
    line = ctx.lines[ctx.doc_number_index]
    parsed = parse_doc_number(ctx.doc.doc_number)
    if not line.doubtful or parsed is None or parsed.year is None or len(parsed.prefix) < 2:
        return
    series = parsed.prefix[-1]
    if series not in line.doubtful or series == "函":
        return
    if _LETTER_TITLE.search(ctx.doc.title or ""):
        read = ctx.doc.doc_number
        ctx.doc.doc_number = str(DocNumber(parsed.prefix[:-1] + "函", parsed.year, parsed.serial))
        ctx.doc.warnings.append(f"文号: OCR could not read the character after {parsed.prefix[:-1]} (read {read}); "
                                f"the title names a letter, so it is taken as 函 — check it against the scan")
    else:
        ctx.doc.warnings.append(f"文号 {ctx.doc.doc_number}: OCR could not read the character {series}; "
                                f"check it against the scan")
