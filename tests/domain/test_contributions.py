"""Contribution arithmetic: clamping to 60-300 % of the average wage, shares rounded half up to the fen, late fees
and interest. Every expected figure below was worked out by hand."""

from datetime import date

import pytest

from sscard.domain.contributions import (
    ContributionError,
    Rates,
    account_credits,
    assess,
    clamp_base,
    due_date,
    interest,
    late_fee,
    round_half_up,
    share,
)

# Hubei 2026 as seeded: average 7,300.00 yuan -> floor 4,380.00, ceiling 21,900.00; minimum wage 1,950.00.
RATES = Rates(year=2026, average_wage_fen=730_000, minimum_wage_fen=195_000)
ALL = ("pension", "medical", "unemployment", "work_injury")


@pytest.mark.parametrize(("wage", "base", "clamp"), [
    (650_000, 650_000, ""),          # inside the band: unchanged
    (438_000, 438_000, ""),          # exactly the floor
    (437_999, 438_000, "floor"),     # one fen under the floor
    (195_000, 438_000, "floor"),     # the minimum wage: raised to the floor
    (2_190_000, 2_190_000, ""),      # exactly the ceiling
    (2_190_001, 2_190_000, "ceiling"),
    (5_000_000, 2_190_000, "ceiling"),
])
def test_the_base_is_the_wage_clamped_to_60_to_300_percent_of_the_average(wage, base, clamp):
    assert clamp_base(wage, RATES) == (base, clamp)


@pytest.mark.parametrize(("wage", "code"), [(194_999, "below_minimum"), (0, "not_positive"), (-100, "not_positive")])
def test_a_wage_below_the_minimum_wage_or_not_positive_is_refused(wage, code):
    with pytest.raises(ContributionError) as caught:
        clamp_base(wage, RATES)
    assert caught.value.code == code


def test_a_refusal_below_the_minimum_names_both_amounts_in_yuan():
    with pytest.raises(ContributionError) as caught:
        clamp_base(150_000, RATES)
    assert caught.value.params == {"wage": "1500.00", "minimum": "1950.00"}


@pytest.mark.parametrize(("base", "bp", "expected"), [
    (650_000, 800, 52_000),    # 8 % of 6,500.00 = 520.00
    (438_001, 800, 35_040),    # 35,040.08 -> 35,040
    (438_007, 70, 3_066),      # 3,066.049 -> 3,066
    (438_050, 30, 1_314),      # 1,314.15 -> 1,314
    (438_050, 70, 3_066),      # 3,066.35 -> 3,066
    (10_050, 50, 50),          # 50.25 -> 50
    (10_100, 50, 51),          # 50.5 -> 51 (half up)
    (10_300, 50, 52),          # 51.5 -> 52 (half up, not to even)
])
def test_a_share_is_rounded_half_up_to_the_fen(base, bp, expected):
    assert share(base, bp) == expected


def test_round_half_up_of_negatives_goes_away_from_zero():
    assert (round_half_up(-5, 10), round_half_up(-4, 10), round_half_up(15, 10)) == (-1, 0, 2)


def test_an_assessment_of_every_type_for_industry_class_3():
    # Base 6,500.00: pension 16 % / 8 %, medical 8 % / 2 %, unemployment 0.7 % / 0.3 %, work injury (class 3) 0.7 %.
    result = assess(650_000, types=ALL, industry_class=3, rates=RATES)
    assert [(a.insurance_type, a.employer_fen, a.employee_fen) for a in result.amounts] == [
        ("pension", 104_000, 52_000),
        ("medical", 52_000, 13_000),
        ("unemployment", 4_550, 1_950),
        ("work_injury", 4_550, 0),
    ]
    assert (result.base_fen, result.clamp, result.employer_fen, result.employee_fen) == (
        650_000, "", 165_100, 66_950)


def test_an_assessment_covers_only_the_enrolled_types_and_uses_the_clamped_base():
    result = assess(300_000, types=("work_injury", "pension"), industry_class=8, rates=RATES)
    # Raised to the floor 4,380.00: pension 700.80 / 350.40; work injury class 8 (1.9 %) 83.22.
    assert [(a.insurance_type, a.employer_fen, a.employee_fen) for a in result.amounts] == [
        ("pension", 70_080, 35_040), ("work_injury", 8_322, 0)]
    assert result.clamp == "floor"


def test_paid_rows_credit_the_personal_accounts():
    with_transfer = Rates(year=2026, average_wage_fen=730_000, minimum_wage_fen=195_000, medical_transfer_bp=100)
    assert account_credits(insurance_type="pension", base_fen=650_000, employee_fen=52_000, rates=RATES) == {
        "pension": 52_000}
    assert account_credits(insurance_type="medical", base_fen=650_000, employee_fen=13_000, rates=RATES) == {
        "medical": 13_000}
    # 1 % of the base moved from the employer's medical share: 13,000 + 6,500.
    assert account_credits(insurance_type="medical", base_fen=650_000, employee_fen=13_000,
                           rates=with_transfer) == {"medical": 19_500}
    assert account_credits(insurance_type="unemployment", base_fen=650_000, employee_fen=1_950, rates=RATES) == {}


@pytest.mark.parametrize(("month", "due"), [
    (date(2026, 3, 1), date(2026, 4, 25)),
    (date(2026, 12, 1), date(2027, 1, 25)),
])
def test_a_month_is_due_on_the_25th_of_the_next_month(month, due):
    assert due_date(month, RATES) == due


@pytest.mark.parametrize(("paid_on", "fee"), [
    (date(2026, 4, 25), 0),          # on the due day
    (date(2026, 4, 20), 0),          # early
    (date(2026, 4, 26), 116),        # 1 day: 231,950 x 0.05 % = 115.975 -> 116
    (date(2026, 5, 25), 3_479),      # 30 days: 3,479.25 -> 3,479
])
def test_late_fees_are_five_ten_thousandths_a_day_after_the_due_date(paid_on, fee):
    assert late_fee(231_950, due=date(2026, 4, 25), paid_on=paid_on, bp_per_day=5) == fee


def test_interest_is_on_the_opening_balance():
    assert interest(1_000_000, 262) == 26_200        # 10,000.00 x 2.62 % = 262.00
    assert interest(123_457, 262) == 3_235           # 3,234.57 -> 3,235
    assert interest(0, 262) == 0
