"""Working days on the official Chinese calendar: public holidays and make-up working days (调休).

Deadlines such as "policy interpretation within 3 working days" and "disclosure within 20 working days"
count working days, which depend on the State Council's yearly holiday arrangement. The
``chinese-calendar`` package carries those arrangements for the years it knows; for any other year the
calculator raises :class:`CalendarUnknown` and says so, never guessing from weekends alone.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from registry.errors import InvalidInput


class CalendarUnknown(InvalidInput):
    """The official holiday arrangement for that year is not known to this installation."""

    code = "calendar_unknown"


def known_years() -> range:
    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


def is_workday(day: date) -> bool:
    """True on an official working day (including 调休 Saturdays/Sundays)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        years = known_years()
        raise CalendarUnknown(
            f"the official calendar for {day.year} is not known (known: {years.start}–{years.stop - 1}); "
            "update the chinese-calendar package",
            details={"year": day.year, "known_from": years.start, "known_to": years.stop - 1},
        ) from exc


def add_workdays(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself does not count); n >= 0."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
