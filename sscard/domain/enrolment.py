"""Employers' industry classes and the rules of enrolment (参保登记), in pure Python.

Months are the first day of the month (`date(2026, 3, 1)` is March 2026). An enrolment runs from its start month
to its end month, both included; an open enrolment has no end month. A person is enrolled in employee insurance
with one employer at a time: a new enrolment starts after every earlier one ended.
"""

from __future__ import annotations

import re
from datetime import date

from sscard.domain.idnumber import gettext_noop

# Work-injury rate of each industry class (1 = lowest risk ... 8 = highest), in basis points of the base
# (0.2 % = 20 / 10,000). Money and rates stay integers: the ledger computes in fen.
INDUSTRY_CLASSES = (1, 2, 3, 4, 5, 6, 7, 8)
WORK_INJURY_RATE_BP = {1: 20, 2: 40, 3: 70, 4: 90, 5: 110, 6: 130, 7: 160, 8: 190}

# The insurance types of employee insurance an enrolment covers (maternity is merged into medical in Hubei).
INSURANCE_TYPES = ("pension", "medical", "unemployment", "work_injury")

MESSAGES = {
    "month_format": gettext_noop("Enter the month as YYYY-MM, for example 2026-03."),
    "future_month": gettext_noop("The month cannot be in the future."),
    "end_before_start": gettext_noop("The end month cannot be before the start month."),
    "no_types": gettext_noop("Choose at least one insurance type."),
    "overlap": gettext_noop("The start month must come after the end of the person's earlier enrolment "
                            "(%(month)s)."),
}

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")


class EnrolmentRuleError(ValueError):
    def __init__(self, code: str, params: dict | None = None):
        self.code = code
        self.message = MESSAGES[code]
        self.params = params or {}
        super().__init__(self.message)


def work_injury_rate_bp(industry_class: int) -> int:
    """The work-injury rate of an industry class in basis points (class 3 -> 70, i.e. 0.7 %)."""
    return WORK_INJURY_RATE_BP[industry_class]


def month_of(day: date) -> date:
    return day.replace(day=1)


def parse_month(text: str | None) -> date:
    """`"2026-03"` -> `date(2026, 3, 1)`."""
    match = _MONTH_RE.fullmatch((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise EnrolmentRuleError("month_format")
    return date(int(match.group(1)), int(match.group(2)), 1)


def format_month(month: date | None) -> str:
    return f"{month.year:04d}-{month.month:02d}" if month else ""


def check_start(*, start: date, today: date, types, last_end: date | None) -> None:
    """A new enrolment: a month not in the future, at least one insurance type, after the last end month."""
    if month_of(start) > month_of(today):
        raise EnrolmentRuleError("future_month")
    if not [t for t in types if t in INSURANCE_TYPES]:
        raise EnrolmentRuleError("no_types")
    if last_end is not None and month_of(start) <= last_end:
        raise EnrolmentRuleError("overlap", {"month": format_month(last_end)})


def check_end(*, start: date, end: date, today: date) -> None:
    """Stopping an enrolment: the end month (the last month covered) is neither in the future nor before
    the start month."""
    if month_of(end) > month_of(today):
        raise EnrolmentRuleError("future_month")
    if month_of(end) < month_of(start):
        raise EnrolmentRuleError("end_before_start")
