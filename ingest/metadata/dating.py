"""Publication, effective and expiry dates stated in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

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
_ANCHOR = re.compile(r"(?:起|开始|[日天]后)\s*(?:施行|执行|实施|生效|试行)")
_EFFECTIVE_DATE = re.compile(rf"({_D})\s*(?:起|开始)\s*(?:施行|执行|实施|生效|试行)$")
_EFFECTIVE_EVENT = re.compile(r"自(印发|发布|公布|颁布|签发|下发|发文|批准)之日起"
                              r"(?:(?P<delay>[\d一二三四五六七八九十百]{1,4})[日天]后)?(?:施行|执行|实施|生效|试行)$")
_OWN = re.compile(r"本(?:办法|规定|细则|决定|通知|意见|条例|法|规则|方案|标准|解释|制度|措施|实施意见|指引|规范|公告|通告"
                  r"|目录|名录|清单|修正案|规程|准则|指南|批复|章程)")
#: A 本X subject right before a clause (本办法自…, 本决定的…自): whose clause it is.
_OWN_BEFORE = re.compile("(" + _OWN.pattern + r")(?:的)?\s*(?:自|从)?\s*$")
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


@dataclass(frozen=True, slots=True)
class Clause:
    """One 施行 clause: where it starts in the flat text, what it says, and the words it was read from.

    ``kind`` is ``date`` (自2019年3月1日起施行: ``value`` is the date text) or ``event``
    (自公布之日起施行: ``value`` is the event word, 公布); ``delay_days`` is the N of 自公布之日起N日后施行.
    ``subject`` is the 本办法-style word right before it (本办法), or ``""`` when it has none.
    """

    start: int
    kind: str
    value: str
    quote: str
    subject: str = ""
    delay_days: int = 0


def _effective_clauses(flat: str) -> list[Clause]:
    """Each 自…起施行 clause, in text order, except those that qualify a noun (…起施行的《某办法》,
    which dates another act).

    The clause is found by its ending (起施行) and then read backwards in a short window: scanning
    the whole text with the date alternatives first is many times slower on long laws."""
    out: list[Clause] = []
    for anchor in _ANCHOR.finditer(flat):
        if flat.startswith("的", anchor.end()):
            continue
        start = max(0, anchor.start() - 48)
        window = flat[start:anchor.end()]
        m = _EFFECTIVE_DATE.search(window)
        kind = "date"
        if not m:
            m, kind = _EFFECTIVE_EVENT.search(window), "event"
        if not m:
            continue
        at = start + m.start()
        if out and out[-1].start == at:
            continue
        before = flat[max(0, at - 30):at]
        subject = _OWN_BEFORE.search(before)
        delay = cn_to_int(m.group("delay")) if kind == "event" and m.group("delay") else 0
        quote = flat[at - len(before) + subject.start():anchor.end()] if subject else _quote(flat, at, anchor.end())
        out.append(Clause(at, kind, m.group(1), quote.strip(), subject.group(1) if subject else "", delay or 0))
    return out


def _quote(flat: str, start: int, end: int) -> str:
    """The clause as written, from its subject (本办法) or the start of its sentence."""
    head = max(flat.rfind(mark, max(0, start - 30), start) for mark in "。；;，,\n")
    return flat[head + 1 if head >= 0 else max(0, start - 30):end].strip()


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
    note = ctx.notes.get("adoption_note", "")
    published = _NOTE_PUBLISHED.search(note) if "公布" in note or "发布" in note else None
    if doc.publication_date is None and published:
        # （2006年3月27日…通过 2006年4月28日最高人民法院公告公布 自…起施行）: the note dates the publication.
        doc.publication_date = parse_date(published.group(1))
    if doc.publication_date is None:
        tail = "\n".join(line.text for line in ctx.lines[-30:])
        printed = _search_before(_PRINTED, _PRINTED_ANCHOR, tail, last=True) if "印发" in tail else None
        if printed:
            doc.publication_date = parse_date(printed.group(1))


_NOTE_PUBLISHED = re.compile(rf"({_D})[^（）()]{{0,24}}?(?:公告)?(?:公布|发布)")
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


#: Events whose date is the signing (成文) date, the others (公布, 发布, 颁布) the publication date.
_SIGNING_EVENTS = frozenset({"印发", "签发", "下发", "发文", "批准"})
#: Bodies whose acts are published some days after adoption, so the adoption date is not the 公布 date.
_PUBLISHED_LATER = frozenset({"最高人民法院", "最高人民检察院"})
#: What a 本X subject may stand for in the title's last word (本法 for 中华人民共和国X法, 本决定 for …决定).
_TYPE_OF_SUBJECT = {"实施意见": "意见", "法": "法"}


_QUALIFIER_AT_END = re.compile(r"[（(][^（）()]{1,8}[）)]$")


def choose_clause(clauses: list[Clause], title: str | None) -> Clause | None:
    """The 施行 clause that dates this document, by three rules in order (a clause in the note under
    a law's title is taken before all of them, by :func:`effective_and_validity`):

    1. a clause whose subject names the document's own type (本办法 in a title ending 办法, 本法 in a
       law, 本决定 in a decision) — the closing article of the document itself;
    2. otherwise the first clause with any 本X subject: a notice issuing a measure takes the
       measure's clause (本办法自…), and an attached decision's clause (本决定自公布之日起施行) counts;
    3. otherwise the first clause at all (自2019年1月1日起施行 without a subject).
    """
    if not clauses:
        return None
    if title:
        title = _QUALIFIER_AT_END.sub("", title)
        own_type = [c for c in clauses if c.subject and title.endswith(
            _TYPE_OF_SUBJECT.get(c.subject[1:], c.subject[1:]))]
        # 本法 also matches 办法 by its last character: only a law's title ends in a bare 法.
        own_type = [c for c in own_type if c.subject != "本法" or not title.endswith("办法")]
        if own_type:
            return own_type[0]
    with_subject = [c for c in clauses if c.subject]
    return (with_subject or clauses)[0]


def effective_and_validity(ctx: Context) -> None:
    """Reads the text (line breaks removed). Writes ``effective_date``, ``effective_date_basis``,
    ``validity_years`` and ``expiry_date`` when still empty.

    The clause is chosen by :func:`choose_clause`. A date in it is the effective date. 自印发/签发之日
    means the signing (成文) date, 自公布/发布/颁布之日 the publication date, each falling back to the
    other when the text gives only one (a decree is published on the day it is signed) — except for a
judicial interpretation, whose 公告 comes days after its adoption, so its adoption date is never taken
for the publication date; N日后施行 adds
    N days. The warnings quote the clause used, so staff can check the reasoning. 有效期X年 runs from
    the effective date to the day before its X-th anniversary.
    """
    doc, flat = ctx.doc, ctx.flat
    note = ctx.notes.get("adoption_note", "")
    # The note under the title describes this text as published (…公布 自2006年5月9日起施行): a
    # clause there outranks every clause of the body, which may date the original act.
    chosen = choose_clause(_effective_clauses(note), None) if "施行" in note or "实施" in note else None
    chosen = chosen or choose_clause(_effective_clauses(flat), doc.title)
    if chosen is not None and doc.effective_date is None:
        if chosen.kind == "date":
            doc.effective_date = parse_date(chosen.value)
            reason = f"effective date from the clause 「{chosen.quote}」"
        else:
            signing = chosen.value in _SIGNING_EVENTS
            first, second = (doc.written_date, doc.publication_date) if signing else \
                (doc.publication_date, doc.written_date)
            if not signing and ctx.notes.get("adopted_by") in _PUBLISHED_LATER:
                second = None  # a judicial interpretation is published by 公告 days after its adoption
            base = first or second
            named = ("signing", "publication") if signing else ("publication", "signing")
            used = named[0] if first else named[1]
            if base is not None:
                doc.effective_date = base + timedelta(days=chosen.delay_days)
                later = f" plus {chosen.delay_days} days" if chosen.delay_days else ""
                reason = f"effective date is the {used} date{later}, by the clause 「{chosen.quote}」"
            else:
                reason = f"the clause 「{chosen.quote}」 dates the effect by the {named[0]} date, which was not found"
        doc.effective_date_basis = chosen.quote
        doc.warnings.append(reason)
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
