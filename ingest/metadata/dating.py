"""Publication, effective and expiry dates stated in the text."""

from __future__ import annotations

import re

from ingest.dates import expiry_after, parse_date
from ingest.metadata.context import Context
from ingest.numerals import cn_to_int

_D = (r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
      r"[一二三四五六七八九十]{1,3}日|\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2})")
_PRINTED = re.compile(rf"({_D})\s*印发$")
_PRINTED_ANCHOR = re.compile(r"印发")
_PUBLISHED = re.compile(rf"({_D})\s*(?:发布|公布)$")
_PUBLISHED_ANCHOR = re.compile(r"(?:发布|公布)(?!之日)")
_IMPLEMENTED = re.compile(rf"({_D})\s*实施")
_ANCHOR = re.compile(r"(?:起|开始)\s*(?:施行|执行|实施|生效|试行)")
_EFFECTIVE_DATE = re.compile(rf"({_D})\s*(?:起|开始)\s*(?:施行|执行|实施|生效|试行)$")
_EFFECTIVE_EVENT = re.compile(r"自(印发|发布|公布|颁布|签发|下发|发文|批准)之日起(?:施行|执行|实施|生效|试行)$")
_OWN = re.compile(r"本(?:办法|规定|细则|决定|通知|意见|条例|法|规则|方案|标准|解释|制度|措施|实施意见|指引|规范|公告|通告"
                  r"|目录|名录|清单|修正案|规程|准则|指南|批复|章程)")
_YEARS = re.compile(r"有效期(?:为|限为|暂定为?|是)?\s*([\d一二三四五六七八九十两]{1,3})\s*年")
_UNTIL = re.compile(rf"有效期(?:至|到)\s*({_D})")
_RANGE = re.compile(rf"有效期(?:为|自)?\s*{_D}\s*(?:起)?\s*(?:至|到|—|-)\s*({_D})")


def _search_before(pattern: re.Pattern[str], anchor: re.Pattern[str], text: str, *,
                   last: bool = False) -> re.Match[str] | None:
    """``pattern`` (which ends with ``$``) matched in the 40 characters up to each ``anchor``.

    Searching from a cheap literal anchor backwards is far faster than letting a pattern that starts
    with date alternatives scan every position of a long text."""
    found: re.Match[str] | None = None
    for a in anchor.finditer(text):
        m = pattern.search(text[max(0, a.start() - 40):a.end()])
        if m:
            found = m
            if not last:
                return m
    return found


def _effective_clauses(flat: str) -> list[tuple[int, str, str]]:
    """``(position, "date" | "event", date text or event word)`` of each 自…起施行 clause.

    The clause is found by its ending (起施行) and then read backwards in a short window: scanning
    the whole text with the date alternatives first is many times slower on long laws."""
    out: list[tuple[int, str, str]] = []
    for anchor in _ANCHOR.finditer(flat):
        start = max(0, anchor.start() - 40)
        window = flat[start:anchor.end()]
        m = _EFFECTIVE_DATE.search(window)
        if m:
            out.append((start + m.start(), "date", m.group(1)))
            continue
        m = _EFFECTIVE_EVENT.search(window)
        if m:
            out.append((start + m.start(), "event", m.group(1)))
    return out


def publication(ctx: Context) -> None:
    """Reads the text. Writes ``publication_date`` when still empty.

    Sources in order: ``DATE 发布`` on a standard's cover (with ``DATE 实施`` as the effective date),
    the 印发 date of the 版记 at the end of an official document, and for a decree (令) its
    signature date, which is the date it was promulgated.
    """
    doc = ctx.doc
    if doc.publication_date is None and ctx.is_order:
        doc.publication_date = doc.written_date
    for line in ctx.lines[:40]:
        # Only a short cover line (2011-04-02 发布 2011-10-01 实施); a sentence saying that some
        # other act was 公布 on a date says nothing about this one.
        if doc.publication_date is not None or len(line.text) > 40 or not ("发布" in line.text or "公布" in line.text):
            continue
        m = _search_before(_PUBLISHED, _PUBLISHED_ANCHOR, line.text)
        if m:
            doc.publication_date = parse_date(m.group(1))
            implemented = _IMPLEMENTED.search(line.text)
            if implemented and doc.effective_date is None:
                doc.effective_date = parse_date(implemented.group(1))
    if doc.publication_date is None:
        tail = "\n".join(line.text for line in ctx.lines[-30:])
        printed = _search_before(_PRINTED, _PRINTED_ANCHOR, tail, last=True) if "印发" in tail else None
        if printed:
            doc.publication_date = parse_date(printed.group(1))


_OWN_AT_END = re.compile(_OWN.pattern + r"(?:的)?$")


def _own_clause(pattern: re.Pattern[str], flat: str) -> re.Match[str] | None:
    """The first validity clause that speaks of the document itself.

    有效期 must follow 本办法 (or the like) directly — "本办法有效期5年" — or open a clause of a sentence
    about this document — "本办法自2019年3月1日起施行，有效期3年". A noun right before it means the period of
    something else: "护士执业注册有效期为5年", "居民身份证的有效期为十年".
    """
    for m in pattern.finditer(flat):
        before = flat[max(0, m.start() - 60):m.start()].rstrip()
        if _OWN_AT_END.search(before):
            return m
        sentence = re.split(r"[。；;]", before)[-1]
        opens_clause = not before or before.endswith(("，", ",", "。", "；", ";", "：", ":"))
        if opens_clause and (_OWN.search(sentence) or "施行" in sentence or "印发之日" in sentence
                             or sentence.strip("，,") == ""):
            return m
    return None


def effective_and_validity(ctx: Context) -> None:
    """Reads the text (line breaks removed). Writes ``effective_date``, ``validity_years`` and
    ``expiry_date`` when still empty.

    The clause about the document itself (本办法自…起施行) wins over one quoted from elsewhere; a
    notice that issues a measure takes the measure's clause, which is the first such clause.
    自印发/签发之日 means the written date, 自发布/公布之日 the publication date (each falling back to
    the other). 有效期X年 runs from the effective date to the day before its X-th anniversary.
    """
    doc, flat = ctx.doc, ctx.flat
    clauses = _effective_clauses(flat)
    own = [c for c in clauses if _OWN.search(flat[max(0, c[0] - 30):c[0]])]
    chosen = (own or clauses)[0] if clauses else None
    if chosen is not None and doc.effective_date is None:
        _start, kind, value = chosen
        if kind == "date":
            doc.effective_date = parse_date(value)
        elif value in ("印发", "签发", "下发", "发文", "批准"):
            doc.effective_date = doc.written_date or doc.publication_date
        else:
            doc.effective_date = doc.publication_date or doc.written_date
    amended_on = parse_date(ctx.notes.get("amended_on"))
    if amended_on and (doc.effective_date is None or doc.effective_date < amended_on):
        # A consolidated text (修正文本) is the version made by its last amendment; its own
        # 施行 clause dates the original act, which is kept as a warning for staff.
        if doc.effective_date:
            doc.warnings.append(f"the original act took effect on {doc.effective_date}; this text is as amended "
                                f"on {amended_on}")
        doc.effective_date = amended_on
    # Only a period about this document counts: "本办法…有效期5年" or one beside its 施行 clause, never
    # "居民身份证的有效期为十年" inside an article about something else.
    years = _own_clause(_YEARS, flat) if "有效期" in flat else None
    if years and doc.validity_years is None:
        doc.validity_years = cn_to_int(years.group(1))
    if doc.expiry_date is None and "有效期" in flat:
        until = _own_clause(_RANGE, flat) or _own_clause(_UNTIL, flat)
        if until:
            doc.expiry_date = parse_date(until.group(1))
    if doc.expiry_date is None and doc.validity_years and doc.effective_date:
        doc.expiry_date = expiry_after(doc.effective_date, doc.validity_years)
    if doc.effective_date and doc.expiry_date and doc.expiry_date < doc.effective_date:
        doc.warnings.append(f"expiry date {doc.expiry_date} is before the effective date {doc.effective_date}")
