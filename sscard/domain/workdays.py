"""Working-day arithmetic on a holiday calendar.

A day is a working day when it is a Monday–Friday that is not a public holiday, or when it is a make-up
working day (调休上班, usually a weekend day). Holidays and make-up days come from a calendar that
administrators maintain; this module only counts.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

MAX_SPAN_DAYS = 3660  # refuse to walk for more than ten years: a calendar full of holidays is a data error


def is_working_day(day: date, holidays: Collection[date] = (), workdays: Collection[date] = ()) -> bool:
    if day in workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: date, n: int, holidays: Collection[date] = (),
                     workdays: Collection[date] = ()) -> date:
    """The date that is `n` working days after `start` (the start day itself is not counted).

    `n == 0` gives `start` itself. Negative `n` is an error.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day, counted, walked = start, 0, 0
    while counted < n:
        day += timedelta(days=1)
        walked += 1
        if walked > MAX_SPAN_DAYS:
            raise ValueError("no working days found in the calendar")
        if is_working_day(day, holidays, workdays):
            counted += 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date] = (),
                         workdays: Collection[date] = ()) -> int:
    """How many working days lie in (start, end]; 0 when end <= start."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays, workdays):
            count += 1
    return count
