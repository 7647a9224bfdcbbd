"""The retirement date's rules (pure): not in the future, not before the 45th birthday read from the ID number
(29 February: 1 March of a common year), not the current registration's date again; retired on a day when the
current registration's date is on or before it."""

from datetime import date

import pytest

from sscard.domain.idnumber import make_id_number, parse_id_number
from sscard.domain.retirement import RetirementRuleError, RetirementStatus, check_retirement

TODAY = date(2026, 12, 2)
LEAP = parse_id_number(make_id_number("420106", date(1964, 2, 29), 301), today=TODAY)  # 45 on 2009-03-01


@pytest.mark.parametrize(("day", "current", "code"), [
    (date(2026, 12, 3), None, "future"),
    (date(2009, 2, 28), None, "too_young"),
    (date(2009, 3, 1), None, None),
    (TODAY, None, None),
    (date(2024, 3, 1), date(2024, 3, 1), "same_date"),
    (date(2024, 4, 1), date(2024, 3, 1), None),
])
def test_the_date_rules(day, current, code):
    if code is None:
        check_retirement(LEAP, day, today=TODAY, current_from=current)
        return
    with pytest.raises(RetirementRuleError) as refused:
        check_retirement(LEAP, day, today=TODAY, current_from=current)
    assert refused.value.code == code


@pytest.mark.parametrize(("since", "day", "retired"), [
    (None, TODAY, False),
    (date(2024, 3, 1), date(2024, 2, 29), False),
    (date(2024, 3, 1), date(2024, 3, 1), True),
])
def test_retired_on_a_day(since, day, retired):
    assert RetirementStatus(day=day, since=since).retired is retired


@pytest.mark.parametrize(("retired_from", "day", "ever_medical", "insured"), [
    (date(2022, 6, 1), date(2026, 3, 1), True, True),    # retired, was in medical insurance: stays insured
    (date(2022, 6, 1), date(2022, 6, 1), True, True),    # from the day itself
    (date(2022, 6, 1), date(2022, 5, 31), True, False),  # the day before: not yet a retiree
    (date(2022, 6, 1), date(2026, 3, 1), False, False),  # never in medical insurance
    (None, date(2026, 3, 1), True, False),               # not retired
])
def test_a_retiree_stays_insured_in_medical_insurance(retired_from, day, ever_medical, insured):
    from sscard.domain.retirement import insured_as_retiree

    assert insured_as_retiree(retired_from=retired_from, day=day, ever_enrolled_medical=ever_medical) is insured
