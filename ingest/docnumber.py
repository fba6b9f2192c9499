"""文号 (document numbers) and 统一登记号 (registration numbers): parsing and normalisation.

A 文号 is written in many ways: 浙政办发〔2016〕85号, 浙政办发[2016]85号, 浙政办发（2016）85号,
浙政办发【2016】第85号, full-width digits, stray spaces. ``normalize_doc_number`` maps all of them to one
canonical form (〔〕 brackets, half-width digits, no spaces, no 第) so that any variant finds the same
document. A 文号 is not unique (reuse, typos): it is an index, never a key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_OPEN = "〔[（(【［〖｛{"
_CLOSE = "〕]）)】］〗｝}"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPEN, "〔"), **dict.fromkeys(_CLOSE, "〕")})
_SPACES = re.compile(r"[\s\u3000\u00a0]+")

DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fffA-Za-z]{1,20}?)\s*"
    r"[〔\[（(【［〖]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]）)】］〗]\s*"
    r"第?\s*(?P<serial>\d{1,5})\s*号"
)
ORDER_RE = re.compile(r"(?P<prefix>[\u4e00-\u9fff]{1,20}令)\s*第?\s*(?P<serial>\d{1,5})\s*号")


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A parsed 文号: issuing-organ code (机关代字), year and serial number."""

    prefix: str
    year: int | None
    serial: int

    def __str__(self) -> str:
        if self.year is None:
            return f"{self.prefix}第{self.serial}号"
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


def _fold(text: str) -> str:
    # NFKC turns full-width digits and letters into ASCII but leaves 〔〕 and 【】 alone.
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def parse_doc_number(text: str) -> DocNumber | None:
    """Parse the first 文号 found in ``text``; None when there is none."""
    folded = _fold(text)
    m = DOC_NUMBER_RE.search(folded)
    if m:
        return DocNumber(m["prefix"], int(m["year"]), int(m["serial"]))
    m = ORDER_RE.search(folded)
    if m:
        return DocNumber(m["prefix"], None, int(m["serial"]))
    return None


def normalize_doc_number(text: str) -> str:
    """Canonical form of a 文号 for storage and lookup.

    Parsable numbers come back as ``prefix〔year〕serial号`` (leading zeros dropped, 第 removed);
    anything else is returned folded (NFKC, no spaces, brackets unified) so lookups still agree.
    """
    parsed = parse_doc_number(text)
    if parsed is not None:
        return str(parsed)
    return _fold(text).translate(_BRACKETS)


def find_doc_numbers(text: str) -> list[str]:
    """All 文号 in ``text``, normalised, in order of appearance, without repeats."""
    folded = _fold(text)
    seen: dict[str, None] = {}
    for m in DOC_NUMBER_RE.finditer(folded):
        seen.setdefault(str(DocNumber(m["prefix"], int(m["year"]), int(m["serial"]))), None)
    return list(seen)


_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d_—–-]+")
REGISTRATION_RE = re.compile(r"\b([A-Z]{2,8}\d{0,3})\s*[-\u2010-\u2015\u2212\uff0d—–]\s*((?:19|20)\d{2})\s*"
                             r"[-\u2010-\u2015\u2212\uff0d—–]\s*(\d{1,6})\b")


def normalize_registration_number(text: str) -> str:
    """Canonical 统一登记号: upper case, ASCII hyphens, no spaces (ZJSP01-2016-0012, HFGS-2017-9)."""
    folded = _fold(text).upper()
    return _DASHES.sub("-", folded).strip("-")


def find_registration_number(text: str) -> str | None:
    """The first 统一登记号 in ``text`` (normalised), or None."""
    m = REGISTRATION_RE.search(unicodedata.normalize("NFKC", text).upper())
    if not m:
        return None
    return f"{m[1]}-{m[2]}-{m[3]}"


def doc_number_share(text: str) -> float:
    """Share of a line taken up by a 文号 (1.0 for a line that is only a 文号); 签发人 is ignored."""
    if "号" not in text or len(text) > 80:
        return 0.0  # cheap exit: this runs on every line near the top of every document
    folded = _fold(re.sub(r"签发人[:：].*$", "", text))
    if not folded:
        return 0.0
    m = DOC_NUMBER_RE.search(folded) or ORDER_RE.search(folded)
    if not m:
        return 0.0
    return (m.end() - m.start()) / len(folded)


def is_doc_number_line(text: str) -> bool:
    """True when a 文号 takes up most of a line: the 文号 line of a header, not one cited in a sentence."""
    return doc_number_share(text) > 0.6


def looks_like_doc_number(text: str) -> bool:
    """True when the whole of ``text`` is a single 文号 (used to route lookups)."""
    folded = _fold(text)
    m = DOC_NUMBER_RE.fullmatch(folded) or ORDER_RE.fullmatch(folded)
    return m is not None
