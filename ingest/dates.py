"""Chinese dates, parsed once for everyone.

Official documents write dates as 2019年1月16日, 二〇一九年一月十六日 (older GB/T 9704), 2019-01-16,
2019.1.16, 2019/01/16, and text extracted from PDFs often spaces them out (2022 - 06 - 01). Every
parser in normreg goes through :func:`find_dates` so that they all agree. A date that does not exist
(2019年13月45日) or lies outside 1900–2100 is not a date: it is skipped, never clamped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.numerals import cn_to_int

MIN_YEAR, MAX_YEAR = 1900, 2100
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_CN_DIGIT = "〇○零ＯO0一二三四五六七八九"  # O and 0 stand in for 〇 in OCR output and hasty typing
_CN_SMALL = "一二三四五六七八九十廿卅"
_SP = r"[ \t\u3000\u00a0]*"

_PATTERNS = [
    re.compile(rf"(?<!\d)(\d{{4}}){_SP}年{_SP}(\d{{1,2}}){_SP}月{_SP}(\d{{1,2}}){_SP}[日号]"),
    re.compile(rf"([{_CN_DIGIT}]{{4}}){_SP}年{_SP}([{_CN_SMALL}]{{1,3}}){_SP}月{_SP}([{_CN_SMALL}]{{1,3}}){_SP}[日号]"),
    re.compile(rf"(?<![\d.])(\d{{4}}){_SP}([-./／]){_SP}(\d{{1,2}}){_SP}\2{_SP}(\d{{1,2}})(?![\d.]*\d)"),
]


_MAYBE_DATE = re.compile(rf"[\d０-９]{{4}}|[{_CN_DIGIT}]{{4}}")
_WIDE_DIGIT = re.compile(r"[０-９]")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text: its value and where it was written (``text[start:end]``)."""

    value: date
    start: int
    end: int


def _to_date(y: str, m: str, d: str) -> date | None:
    year, month, day = cn_to_int(y), cn_to_int(m), cn_to_int(d)
    if year is None or month is None or day is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in ``text``, in order of position; overlapping spellings count once."""
    if not _MAYBE_DATE.search(text):
        return []
    folded = text.translate(_FULLWIDTH) if _WIDE_DIGIT.search(text) else text
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            groups = m.groups()
            y, mo, d = (groups[0], groups[2], groups[3]) if len(groups) == 4 else groups
            value = _to_date(y, mo, d)
            if value is not None:
                found.append(FoundDate(value, m.start(), m.end()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str | None) -> date | None:
    """The first valid date in ``text``; None when there is none (or it is absurd)."""
    if not text:
        return None
    dates = find_dates(text)
    return dates[0].value if dates else None


def is_date_line(line: str) -> bool:
    """True when a line holds nothing but a date (the date under a signature block)."""
    if len(line) > 40:
        return False
    stripped = re.sub(r"\s+", "", line).strip("()（）")
    dates = find_dates(stripped)
    return len(dates) == 1 and dates[0].start == 0 and dates[0].end == len(stripped)


def add_years(start: date, years: int) -> date:
    """Same calendar day ``years`` later; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def expiry_after(effective: date, years: int) -> date:
    """Last day of a validity period of ``years`` starting on ``effective`` (有效期X年).

    A five-year period starting 2019-03-01 covers 2019-03-01 … 2024-02-29: the end is the day
    before the anniversary, so the document is 失效 on the anniversary itself.
    """
    return add_years(effective, years) - timedelta(days=1)
