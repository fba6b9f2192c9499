"""Article numbers a citation names: 《X》第十二条至第十五条、第二十条 → 第十二条 … 第十五条, 第二十条.

The references stage keeps the whole sentence a basis is stated in as its evidence; this module reads,
from that sentence, the articles cited right after a given 《title》, so a review task can say which
provisions of a changed law a document relies on. Pure text in, labels out: labels are written the way
the laws number their articles (第N条 in Chinese numerals, 第N条之M), ranges expanded, duplicates dropped,
in the order cited. Paragraphs and items (第二款, 第三项) narrow an article and are not listed apart.
"""

from __future__ import annotations

import re

from ingest.numerals import CN_NUMERAL_CHARS, cn_to_int

_NUM = rf"[{CN_NUMERAL_CHARS}\d０-９]+"
_ITEM = re.compile(rf"\s*第({_NUM})条(?:之({_NUM}))?(?:第{_NUM}款)?(?:第{_NUM}项)?")
_RANGE = re.compile(r"\s*(?:至|到|—|－|-|～|~)")
_SEP = re.compile(r"\s*(?:、|，|,|以及|和|及|与|或者|或)")
_DOC_NUMBER = re.compile(r"\s*[（(][^（）()]{0,60}[）)]")
MAX_RANGE = 500  # a range wider than this is a typo, not a citation: keep its two ends only

_CN_DIGITS = "零一二三四五六七八九"


def int_to_cn(n: int) -> str:
    """A positive integer as article numbers write it: 10 → 十, 21 → 二十一, 105 → 一百零五, 1260 → 一千二百六十."""
    if n <= 0:
        return str(n)
    parts: list[str] = []
    units = ((1000, "千"), (100, "百"), (10, "十"))
    rest = n
    zero = False
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            parts.append(("" if (value == 10 and not parts and digit == 1) else _CN_DIGITS[digit]) + name)
        elif parts:
            zero = True
    if rest:
        if zero:
            parts.append("零")
        parts.append(_CN_DIGITS[rest])
    if n >= 10000:
        return str(n)
    return "".join(parts)


def _label(number: int, sub: int | None) -> str:
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(sub)}" if sub else "")


def article_list(text: str) -> list[str]:
    """The article labels ``text`` opens with (第三条、第五条至第七条…); stops at the first other word."""
    out: list[str] = []
    pos = 0
    m = _ITEM.match(text, pos)
    while m:
        number = cn_to_int(m.group(1))
        sub = cn_to_int(m.group(2)) if m.group(2) else None
        if number is None:
            break
        pos = m.end()
        r = _RANGE.match(text, pos)
        end = _ITEM.match(text, r.end()) if r else None
        last = cn_to_int(end.group(1)) if end else None
        if end is not None and last is not None and last > number:
            span = range(number, last + 1) if last - number <= MAX_RANGE else (number, last)
            out += [_label(k, None) for k in span]
            if end.group(2):
                out.append(_label(last, cn_to_int(end.group(2))))
            pos = end.end()
        else:
            out.append(_label(number, sub))
        s = _SEP.match(text, pos)
        m = _ITEM.match(text, s.end()) if s else None
    return list(dict.fromkeys(out))


def cited_articles(sentence: str, title: str) -> list[str]:
    """Articles cited right after each 《title》 in ``sentence`` (its 文号 in brackets may come between)."""
    out: list[str] = []
    mark = f"《{title}》"
    start = sentence.find(mark)
    while start >= 0:
        pos = start + len(mark)
        number = _DOC_NUMBER.match(sentence, pos)
        if number and not _ITEM.match(sentence, pos):
            pos = number.end()
        out += article_list(sentence[pos:pos + 400])
        start = sentence.find(mark, pos)
    return list(dict.fromkeys(out))


__all__ = ["article_list", "cited_articles", "int_to_cn"]
