"""Chinese numerals (一百二十三, 二〇一九, 两千零五, 廿) to integers.

Article labels (第一百二十三条), dates written out (二〇一九年一月十六日) and validity clauses (有效期五年)
all need this; it lives in one place so every parser agrees.
"""

from __future__ import annotations

from functools import lru_cache

_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}
_SPECIAL = {"廿": 20, "卅": 30}
_FULLWIDTH_DIGITS = {c: ord("0") + i for i, c in enumerate(range(0xFF10, 0xFF1A))}
CN_NUMERAL_CHARS = "".join([*_DIGITS, *_UNITS, *_SPECIAL])


@lru_cache(maxsize=4096)
def cn_to_int(text: str) -> int | None:
    """Value of a Chinese (or Arabic) numeral; None if ``text`` is not one.

    Handles positional forms (十二, 一百零五, 两千), digit-by-digit forms used for years (二〇一九)
    and plain Arabic digits, including full-width ones.
    """
    s = text.strip()
    if not s:
        return None
    ascii_digits = s.translate(_FULLWIDTH_DIGITS)
    if ascii_digits.isdigit():
        return int(ascii_digits)
    if any(c not in _DIGITS and c not in _UNITS and c not in _SPECIAL for c in s):
        return None
    if not any(c in _UNITS for c in s) and not any(c in _SPECIAL for c in s):
        # digit by digit: 二〇一九 -> 2019
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, current = 0, 0, 0
    for c in s:
        if c in _DIGITS:
            current = _DIGITS[c]
        elif c in _SPECIAL:
            current = _SPECIAL[c]
        else:
            unit = _UNITS[c]
            if unit == 10000:
                section = (section + current) * unit
                total += section
                section = 0
            else:
                section += (current or 1) * unit
            current = 0
    return total + section + current
