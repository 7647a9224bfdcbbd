"""Retirement in the records: when may a retirement be registered, and is a person retired on a day.

Pure Python. A retirement is approved elsewhere (the human resources and social security bureau's approval of
the person's retirement); the records keep the date the person is retired from, the approval's reference and
who registered it. A correction is a new registration: the latest one is the person's retirement.

Plausibility of the date (a typing mistake in the year is the likely error):
- not in the future: the records hold what was approved, not what is planned;
- not before the person's 45th birthday, the birth date read from the ID number: 45 is the lowest statutory
  retirement age in China (women in arduous or hazardous jobs; men 55 there, and 50 / 45 for retirement on
  grounds of total incapacity), so an earlier date is a mistake, not an approval;
- not the same date as the person's current registration (registering it again changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sscard.domain.idnumber import IdNumberInfo

MIN_RETIREMENT_AGE = 45


def gettext_noop(s: str) -> str:
    return s


MESSAGES = {
    "future": gettext_noop("The retirement date cannot be in the future: register a retirement once it is approved."),
    "too_young": gettext_noop("The person would be under %(age)d on this date (born %(birth)s): check the year."),
    "same_date": gettext_noop("This person is already registered as retired from this date."),
}


class RetirementRuleError(ValueError):
    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.message = MESSAGES[code]
        self.params = params or {}


def check_retirement(person: IdNumberInfo, retired_from: date, *, today: date,
                     current_from: date | None) -> None:
    """Refuses an implausible retirement date (see the module's doc); `current_from` is the date of the person's
    current registration, if any."""
    if retired_from > today:
        raise RetirementRuleError("future")
    if retired_from < _birthday(person.birth_date, MIN_RETIREMENT_AGE):
        raise RetirementRuleError("too_young", {"age": MIN_RETIREMENT_AGE, "birth": person.birth_date.isoformat()})
    if current_from is not None and current_from == retired_from:
        raise RetirementRuleError("same_date")


def _birthday(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # born on 29 February: the birthday of a common year is 1 March
        return date(birth.year + age, 3, 1)


@dataclass(frozen=True)
class RetirementStatus:
    """A person's standing on a day: retired (since `since`) or in work (`since` is None, or a date after the day:
    a retirement registered from a later date)."""

    day: date
    since: date | None

    @property
    def retired(self) -> bool:
        return self.since is not None and self.since <= self.day


def insured_as_retiree(*, retired_from: date | None, day: date, ever_enrolled_medical: bool) -> bool:
    """A retired person stays insured in employee medical insurance without paying (docs/records.md,
    "Retirement"): retired on `day` and enrolled in medical insurance at some time. (Whether the years paid reach
    the local minimum is checked when the retirement is approved, before it is registered here.)"""
    return ever_enrolled_medical and RetirementStatus(day=day, since=retired_from).retired
