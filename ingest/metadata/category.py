"""Category, registration number, articles and attachments."""

from __future__ import annotations

import re

from ingest.articles import split_articles
from ingest.docnumber import find_registration_number
from ingest.metadata.context import Context

DEFAULT_CATEGORY = "行政规范性文件"
_ATTACHMENT = re.compile(r"^附\s*件\s*(\d*)\s*[:：]?\s*(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[．.、,，]\s*(.+)$")


def registration_number(ctx: Context) -> None:
    """Reads the first and last lines. Writes ``registration_number`` (统一登记号) when still empty.

    It is printed at the top right of the first page or in the 版记; looking only there avoids
    taking a standard number cited in the body."""
    if ctx.doc.registration_number is not None:
        return
    near = [line.text for line in ctx.lines[:15]] + [line.text for line in ctx.lines[-15:]]
    for text in near:
        if len(text) <= 60 and ("登记号" in text or re.search(r"[A-Z]{2,8}\d{0,3}\s*[-—－]\s*\d{4}", text)):
            found = find_registration_number(text)
            if found:
                ctx.doc.registration_number = found
                return


def structure(ctx: Context) -> None:
    """Reads ``text``. Writes ``articles`` (第X条, with their chapters)."""
    ctx.doc.articles = split_articles(ctx.doc.text)


def attachments(ctx: Context) -> None:
    """Reads the lines after the body. Writes ``attachments``: the names in the 附件说明
    (``附件：1．…`` / ``2．…``), in order, as written."""
    lines = ctx.lines
    names: list[str] = []
    for i in range(ctx.title_end, len(lines)):
        m = _ATTACHMENT.match(lines[i].text)
        if not m or len(lines[i].text) > 80:
            continue
        rest = m.group(2).strip()
        if m.group(1) and not rest:
            continue  # an attachment's own heading (附件1), not the list of attachments
        if rest:
            numbered = _NUMBERED.match(rest)
            names.append((numbered.group(2) if numbered else rest).strip())
        for line in lines[i + 1:i + 20]:
            numbered = _NUMBERED.match(line.text)
            if not numbered or len(line.text) > 80:
                break
            names.append(numbered.group(2).strip())
        if names:
            break
    ctx.doc.attachments = [n.strip("。；;，,.．、 ") for n in names if n.strip("。；;，,.．、 ")]


_LAW = re.compile(r"^中华人民共和国.{1,40}法(（\d{4}年修正|修订）)?$|^全国人民代表大会常务委员会关于")


def category(ctx: Context) -> None:
    """Reads ``title``, ``issuer`` and the header. Writes ``category`` when still empty.

    行政规范性文件 is the default only when nothing says otherwise: laws, administrative
    regulations, rules (令), judicial interpretations, standards and interpretations are named."""
    doc = ctx.doc
    if doc.category:
        return
    title, issuer = doc.title or "", doc.issuer or ""
    if "解读" in title:
        doc.category = "政策解读"
    elif "全国人民代表大会" in issuer or _LAW.match(title):
        doc.category = "法律"
    elif issuer in ("最高人民法院", "最高人民检察院") and ("解释" in title or "规定" in title):
        doc.category = "司法解释"
    elif (ctx.is_order and issuer == "国务院") or (issuer == "国务院" and title.endswith("条例")):
        doc.category = "行政法规"
    elif ctx.is_order:
        doc.category = "规章"
    elif re.search(r"(国家|地方|行业)(生态环境|环境保护)?标准", " ".join(line.text for line in ctx.lines[:5])):
        doc.category = "标准"
    else:
        doc.category = DEFAULT_CATEGORY
