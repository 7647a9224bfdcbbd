"""Industry classes and the month rules of enrolment (pure Python)."""

from datetime import date

import pytest

from sscard.domain.enrolment import (
    EnrolmentRuleError,
    check_end,
    check_start,
    format_month,
    parse_month,
    work_injury_rate_bp,
)

# The domain brief's work-injury rates by industry class, in per cent, written by hand.
RATES = {1: "0.2", 2: "0.4", 3: "0.7", 4: "0.9", 5: "1.1", 6: "1.3", 7: "1.6", 8: "1.9"}
TODAY = date(2026, 12, 1)
ALL = ["pension", "medical", "unemployment", "work_injury"]


@pytest.mark.parametrize(("industry_class", "percent"), RATES.items())
def test_the_work_injury_rate_of_each_industry_class(industry_class, percent):
    assert f"{work_injury_rate_bp(industry_class) / 100:.1f}" == percent


@pytest.mark.parametrize(("text", "month"), [("2026-03", date(2026, 3, 1)), (" 2026-12 ", date(2026, 12, 1)),
                                             ("1999-01", date(1999, 1, 1))])
def test_months_are_read_as_yyyy_mm(text, month):
    assert parse_month(text) == month
    assert format_month(month) == text.strip()


@pytest.mark.parametrize("text", ["", None, "2026-13", "2026-00", "2026-3", "202603", "03/2026", "1800-01"])
def test_a_month_not_written_as_yyyy_mm_is_refused(text):
    with pytest.raises(EnrolmentRuleError) as refused:
        parse_month(text)
    assert refused.value.code == "month_format"


# (start, types, last end month, expected: "ok" or the error code), written by hand for 1 December 2026
STARTS = [
    (date(2026, 12, 1), ALL, None, "ok"),
    (date(2026, 3, 1), ["pension"], None, "ok"),
    (date(2027, 1, 1), ALL, None, "future_month"),
    (date(2026, 3, 1), [], None, "no_types"),
    (date(2026, 3, 1), ["dental"], None, "no_types"),
    (date(2026, 3, 1), ALL, date(2026, 2, 1), "ok"),
    (date(2026, 3, 1), ALL, date(2026, 3, 1), "overlap"),
    (date(2026, 3, 1), ALL, date(2026, 6, 1), "overlap"),
]


@pytest.mark.parametrize(("start", "types", "last_end", "expected"), STARTS)
def test_the_start_of_an_enrolment(start, types, last_end, expected):
    if expected == "ok":
        check_start(start=start, today=TODAY, types=types, last_end=last_end)
    else:
        with pytest.raises(EnrolmentRuleError) as refused:
            check_start(start=start, today=TODAY, types=types, last_end=last_end)
        assert refused.value.code == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 3, 1), date(2026, 3, 1), "ok"),  # one month
    (date(2026, 3, 1), date(2026, 12, 1), "ok"),
    (date(2026, 3, 1), date(2026, 2, 1), "end_before_start"),
    (date(2026, 3, 1), date(2027, 1, 1), "future_month"),
])
def test_the_end_of_an_enrolment(start, end, expected):
    if expected == "ok":
        check_end(start=start, end=end, today=TODAY)
    else:
        with pytest.raises(EnrolmentRuleError) as refused:
            check_end(start=start, end=end, today=TODAY)
        assert refused.value.code == expected
