"""Publication, effective and expiry dates stated in the text."""

from __future__ import annotations

import re

from ingest.dates import expiry_after, parse_date
from ingest.metadata.context import Context
from ingest.numerals import cn_to_int

_D = (r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
      r"[一二三四五六七八九十]{1,3}日|\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2})")
_PRINTED = re.compile(rf"({_D})\s*印发")
_PUBLISHED = re.compile(rf"({_D})\s*(?:发布|公布)(?!之日)")
_IMPLEMENTED = re.compile(rf"({_D})\s*实施")
_EFFECTIVE_DATE = re.compile(rf"自?\s*({_D})\s*(?:起|开始)\s*(?:施行|执行|实施|生效|试行)")
_EFFECTIVE_EVENT = re.compile(r"自(印发|发布|公布|颁布|签发|下发|发文|批准)之日起(?:施行|执行|实施|生效|试行)")
_OWN = re.compile(r"本(?:办法|规定|细则|决定|通知|意见|条例|法|规则|方案|标准|解释|制度|措施|实施意见|指引|规范|公告|通告"
                  r"|目录|名录|清单|修正案|规程|准则|指南|批复|章程)")
_YEARS = re.compile(r"有效期(?:为|限为|暂定为?|是)?\s*([\d一二三四五六七八九十两]{1,3})\s*年")
_UNTIL = re.compile(rf"有效期(?:至|到)\s*({_D})")
_RANGE = re.compile(rf"有效期(?:为|自)?\s*{_D}\s*(?:起)?\s*(?:至|到|—|-)\s*({_D})")


def publication(ctx: Context) -> None:
    """Reads the text. Writes ``publication_date`` when still empty.

    Sources in order: ``DATE 发布`` on a standard's cover (with ``DATE 实施`` as the effective date),
    the 印发 date of the 版记 at the end of an official document, and for a decree (令) its
    signature date, which is the date it was promulgated.
    """
    doc = ctx.doc
    head = "\n".join(line.text for line in ctx.lines[:40])
    if doc.publication_date is None:
        m = _PUBLISHED.search(head)
        if m:
            doc.publication_date = parse_date(m.group(1))
            implemented = _IMPLEMENTED.search(head)
            if implemented and doc.effective_date is None:
                doc.effective_date = parse_date(implemented.group(1))
    if doc.publication_date is None:
        tail = "\n".join(line.text for line in ctx.lines[-30:])
        printed = list(_PRINTED.finditer(tail))
        if printed:
            doc.publication_date = parse_date(printed[-1].group(1))
    if doc.publication_date is None and ctx.is_order:
        doc.publication_date = doc.written_date


def effective_and_validity(ctx: Context) -> None:
    """Reads the text (line breaks removed). Writes ``effective_date``, ``validity_years`` and
    ``expiry_date`` when still empty.

    The clause about the document itself (本办法自…起施行) wins over one quoted from elsewhere; a
    notice that issues a measure takes the measure's clause, which is the first such clause.
    自印发/签发之日 means the written date, 自发布/公布之日 the publication date (each falling back to
    the other). 有效期X年 runs from the effective date to the day before its X-th anniversary.
    """
    doc, flat = ctx.doc, ctx.flat
    clauses = sorted([*_EFFECTIVE_DATE.finditer(flat), *_EFFECTIVE_EVENT.finditer(flat)], key=lambda m: m.start())
    own = [m for m in clauses if _OWN.search(flat[max(0, m.start() - 30):m.start()])]
    chosen = (own or clauses)[0] if clauses else None
    if chosen is not None and doc.effective_date is None:
        if chosen.re is _EFFECTIVE_DATE:
            doc.effective_date = parse_date(chosen.group(1))
        elif chosen.group(1) in ("印发", "签发", "下发", "发文", "批准"):
            doc.effective_date = doc.written_date or doc.publication_date
        else:
            doc.effective_date = doc.publication_date or doc.written_date
    years = _YEARS.search(flat)
    if years and doc.validity_years is None:
        doc.validity_years = cn_to_int(years.group(1))
    if doc.expiry_date is None:
        until = _RANGE.search(flat) or _UNTIL.search(flat)
        if until:
            doc.expiry_date = parse_date(until.group(1))
        elif doc.validity_years and doc.effective_date:
            doc.expiry_date = expiry_after(doc.effective_date, doc.validity_years)
    if doc.effective_date and doc.expiry_date and doc.expiry_date < doc.effective_date:
        doc.warnings.append(f"expiry date {doc.expiry_date} is before the effective date {doc.effective_date}")
