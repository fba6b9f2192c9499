"""Working days follow the official calendar: holidays and make-up working days (调休) included, and a year
the calendar does not know is reported, never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from registry.rules.workdays import CalendarUnknown, add_workdays, is_workday, known_years, workdays_between


def test_national_day_week_is_not_working_and_makeup_saturday_is() -> None:
    assert not is_workday(date(2024, 10, 1))  # 国庆节
    assert not is_workday(date(2024, 10, 7))
    assert is_workday(date(2024, 10, 12))  # 调休: a Saturday worked


def test_three_working_days_across_a_holiday() -> None:
    # Published Thursday 2024-09-26: Fri 9-27, then Sunday 9-29 (调休, a working day), then Monday 9-30;
    # 10-1 to 10-7 is the National Day break.
    assert add_workdays(date(2024, 9, 26), 1) == date(2024, 9, 27)
    assert add_workdays(date(2024, 9, 26), 2) == date(2024, 9, 29)
    assert add_workdays(date(2024, 9, 26), 4) == date(2024, 10, 8)


def test_plain_week_counts_weekdays() -> None:
    assert add_workdays(date(2024, 3, 4), 5) == date(2024, 3, 11)
    assert workdays_between(date(2024, 3, 4), date(2024, 3, 11)) == 5
    assert workdays_between(date(2024, 3, 11), date(2024, 3, 4)) == 0


def test_unknown_year_is_said_not_guessed() -> None:
    last = known_years().stop - 1
    with pytest.raises(CalendarUnknown) as info:
        is_workday(date(last + 1, 3, 2))
    assert str(last + 1) in info.value.message
    assert info.value.details["known_to"] == last
