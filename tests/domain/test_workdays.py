"""Working days: weekends and holidays are skipped, make-up working days count."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscard.domain.workdays import add_working_days, is_working_day, working_days_between


def test_plain_week_skips_the_weekend():
    friday = date(2026, 3, 6)
    assert add_working_days(friday, 1) == date(2026, 3, 9)
    assert add_working_days(friday, 5) == date(2026, 3, 13)
    assert add_working_days(friday, 0) == friday


def test_holidays_are_skipped_and_make_up_days_count():
    # National Day 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are make-up days.
    holidays = {date(2026, 10, d) for d in range(1, 8)}
    workdays = {date(2026, 9, 20), date(2026, 10, 10)}
    assert not is_working_day(date(2026, 10, 1), holidays, workdays)
    assert is_working_day(date(2026, 10, 10), holidays, workdays)
    assert is_working_day(date(2026, 9, 20), holidays, workdays)
    # From Wednesday 30 September: next working day is Thursday 8 October, then Friday 9, Saturday 10.
    assert add_working_days(date(2026, 9, 30), 1, holidays, workdays) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3, holidays, workdays) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 4, holidays, workdays) == date(2026, 10, 12)


def test_thirty_working_days_over_spring_festival_2026():
    holidays = {date(2026, 2, 15) + timedelta(days=i) for i in range(9)}
    workdays = {date(2026, 2, 14), date(2026, 2, 28)}
    assert add_working_days(date(2026, 2, 2), 30, holidays, workdays) == date(2026, 3, 20)  # 4+5+1 (Sat 14) +4+1 (Sat 28) +5+5+5


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)), st.integers(0, 60),
       st.sets(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 6, 1)), max_size=40))
def test_result_is_a_working_day_with_exactly_n_working_days_in_between(start, n, holidays):
    end = add_working_days(start, n, holidays)
    assert working_days_between(start, end, holidays) == n
    if n:
        assert is_working_day(end, holidays)
