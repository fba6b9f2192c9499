"""Chinese dates are parsed one way everywhere; impossible dates are refused, never clamped."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.dates import expiry_after, find_dates, is_date_line, parse_date

CN = "〇一二三四五六七八九"


def cn_year(n: int) -> str:
    return "".join(CN[int(c)] for c in str(n))


def cn_small(n: int) -> str:
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


STYLES = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{cn_year(d.year)}年{cn_small(d.month)}月{cn_small(d.day)}日",
    lambda d: f"{d.year} - {d.month:02d} - {d.day:02d}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年1月16日", date(2019, 1, 16)),
        ("二〇一九年一月十六日", date(2019, 1, 16)),
        ("二〇二〇年十二月三十一日", date(2020, 12, 31)),
        ("2022 - 06 - 01", date(2022, 6, 1)),
        ("2019-01-16", date(2019, 1, 16)),
        ("2019.1.16", date(2019, 1, 16)),
        ("2019/01/16", date(2019, 1, 16)),
        ("２０１９年１月１６日", date(2019, 1, 16)),
        ("本办法自2019年3月1日起施行。", date(2019, 3, 1)),
    ],
)
def test_parse_date_reads_every_official_spelling(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2019年13月45日", "0900年1月1日", "2019年2月30日", "第2019号", "", "GB 8702—2014"])
def test_parse_date_refuses_absurd_or_missing_dates(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_returns_positions_in_order() -> None:
    text = "2011-04-02 发布 2011-10-01 实施"
    found = find_dates(text)
    assert [f.value for f in found] == [date(2011, 4, 2), date(2011, 10, 1)]
    assert text[found[1].start:found[1].end] == "2011-10-01"


def test_is_date_line_only_for_a_date_alone() -> None:
    assert is_date_line("2019年1月16日")
    assert is_date_line("  二〇一九年一月十六日 ")
    assert not is_date_line("本办法自2019年1月16日起施行。")


def test_expiry_is_the_day_before_the_anniversary() -> None:
    assert expiry_after(date(2019, 3, 1), 5) == date(2024, 2, 29)
    assert expiry_after(date(2020, 2, 29), 1) == date(2021, 2, 27)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(STYLES))
def test_any_date_in_any_style_parses_back(value: date, style: object) -> None:
    assert callable(style)
    assert parse_date(f"于{style(value)}印发") == value


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=13, max_value=99),
       st.integers(min_value=1, max_value=99))
def test_month_over_twelve_is_never_a_date(year: int, month: int, day: int) -> None:
    assert parse_date(f"{year}年{month}月{day}日") is None


@given(st.text(max_size=200))
def test_parse_date_never_raises(text: str) -> None:
    result = parse_date(text)
    assert result is None or 1900 <= result.year <= 2100
