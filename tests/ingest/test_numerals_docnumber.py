"""Chinese numerals and 文号 variants: property tests over every value and bracket style."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.docnumber import find_doc_numbers, looks_like_doc_number, normalize_doc_number, parse_doc_number
from ingest.numerals import cn_to_int

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Positional Chinese numeral as legal texts write article numbers (一千二百六十, 一百零五, 十二)."""
    if n == 0:
        return "零"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
            out += ("" if (value == 10 and digit == 1 and not out) else DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numeral_round_trips(n: int) -> None:
    assert cn_to_int(to_chinese(n)) == n


@given(st.integers(min_value=1900, max_value=2099))
def test_digit_by_digit_years(n: int) -> None:
    assert cn_to_int("".join("〇一二三四五六七八九"[int(c)] for c in str(n))) == n


OPEN_CLOSE = [("〔", "〕"), ("[", "]"), ("（", "）"), ("(", ")"), ("【", "】"), ("［", "］")]


@given(
    st.text(alphabet="浙政办发国函示市财教卫", min_size=2, max_size=6),
    st.integers(min_value=1950, max_value=2099),
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(OPEN_CLOSE),
    st.booleans(),
    st.booleans(),
)
def test_every_bracket_variant_of_a_doc_number_normalises_alike(
    prefix: str, year: int, serial: int, brackets: tuple[str, str], di: bool, wide: bool
) -> None:
    number = f"{serial:03d}" if wide else str(serial)
    if wide:
        number = number.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    text = f"{prefix}{brackets[0]}{year}{brackets[1]}{'第' if di else ''}{number}号"
    assert normalize_doc_number(text) == f"{prefix}〔{year}〕{serial}号"
    assert looks_like_doc_number(text)
    parsed = parse_doc_number(f"根据{text}文件")
    assert parsed is not None and parsed.serial == serial and parsed.year == year


def test_find_doc_numbers_in_running_text() -> None:
    text = "《关于X的通知》（国办发〔2016〕82号）、《关于Y的意见》（国发[2010]5号）同时废止"
    assert find_doc_numbers(text) == ["国办发〔2016〕82号", "国发〔2010〕5号"]
