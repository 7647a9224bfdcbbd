"""Medical settlement rules: eligibility, the split between pooled fund, personal account and cash, the deductible
and the caps, and cancellations giving back exactly what their settlement took. The worked examples' expected
figures were computed by hand from domain.md's defaults (docs/settlement.md shows the working)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard.domain.settlement import (
    Claim,
    Effect,
    Ineligible,
    Kind,
    SettlementError,
    SettlementPolicy,
    Status,
    Tier,
    YearState,
    apply,
    cancel,
    describe,
    eligibility,
    pre_settle,
    round_half_up,
    settle,
)

POLICY = SettlementPolicy(year=2026)
IN, OUT = Kind.INPATIENT, Kind.OUTPATIENT
WORK, RETIRED = Status.IN_WORK, Status.RETIRED

# (kind, tier, status, total, eligible, acct flag, year state before (balance, admissions, fund paid, outpatient
#  fund paid), expected (fund, acct, cash, deductible borne, annual cap left, outpatient cap left))
WORKED = [
    # 1. Tier 3, in work, first admission: deductible 800.00; (9,000 - 800) x 86 % = 7,052.00; account 500.00.
    (IN, Tier.TIER3, WORK, 1_000_000, 900_000, True, (50_000, 0, 0, 0),
     (705_200, 50_000, 244_800, 80_000, 23_294_800, None)),
    # 2. Tier 2, retired, second admission: 600.00 halved = 300.00; (2,000 - 300) x 92 % = 1,564.00; no account.
    (IN, Tier.TIER2, RETIRED, 200_000, 200_000, False, (100_000, 1, 0, 0),
     (156_400, 0, 43_600, 30_000, 23_843_600, None)),
    # 3. Tier 1, first admission, eligible 300.00 below the 400.00 deductible: the fund pays nothing.
    (IN, Tier.TIER1, WORK, 35_000, 30_000, True, (100_000, 0, 0, 0),
     (0, 35_000, 0, 30_000, 24_000_000, None)),
    # 4. The annual cap: 1,000.00 left; tier 3 second admission (400.00) -> 9,600 x 86 % = 8,256.00, cut to 1,000.
    (IN, Tier.TIER3, WORK, 1_000_000, 1_000_000, True, (0, 1, 23_900_000, 0),
     (100_000, 0, 900_000, 40_000, 0, None)),
    # 5. Community, retired, first admission: 200.00; (1,000 - 200) x 96 % = 768.00.
    (IN, Tier.COMMUNITY, RETIRED, 100_000, 100_000, True, (10_000, 0, 0, 0),
     (76_800, 10_000, 13_200, 20_000, 23_923_200, None)),
    # 6. Third admission is halved too: tier 3 retired, 400.00; (5,000 - 400) x 90 % = 4,140.00.
    (IN, Tier.TIER3, RETIRED, 600_000, 500_000, True, (1_000_000, 2, 1_000_000, 0),
     (414_000, 186_000, 0, 40_000, 22_586_000, None)),
    # 7. Outpatient tier 3, in work: no deductible, 100.00 x 55 % = 55.00; account 30.00 of the 65.00 rest.
    (OUT, Tier.TIER3, WORK, 12_000, 10_000, True, (3_000, 0, 0, 0),
     (5_500, 3_000, 3_500, 0, 23_994_500, 344_500)),
    # 8. Outpatient community, retired, 20.00 of the 4,500.00 outpatient cap left: 85.00 cut to 20.00.
    (OUT, Tier.COMMUNITY, RETIRED, 10_000, 10_000, True, (100_000, 0, 448_000, 448_000),
     (2_000, 8_000, 0, 0, 23_550_000, 0)),
    # 9. Rounding half up: tier 2 outpatient, 0.10 x 65 % = 0.065 -> 0.07.
    (OUT, Tier.TIER2, WORK, 10, 10, False, (0, 0, 0, 0), (7, 0, 3, 0, 23_999_993, 349_993)),
    # 10. Rounding down below the half: 3.33 x 65 % = 2.1645 -> 2.16.
    (OUT, Tier.TIER2, WORK, 333, 333, False, (0, 0, 0, 0), (216, 0, 117, 0, 23_999_784, 349_784)),
    # 11. A pharmacy: no pooled outpatient payment; the account pays all it can.
    (OUT, Tier.PHARMACY, WORK, 8_800, 8_800, True, (5_000, 0, 0, 0), (0, 5_000, 3_800, 0, 24_000_000, 350_000)),
    # 12. Outpatient at a tier 1 hospital when the annual cap is spent: nothing from the fund.
    (OUT, Tier.TIER1, WORK, 20_000, 20_000, True, (0, 3, 24_000_000, 100_000),
     (0, 0, 20_000, 0, 0, 250_000)),
    # 13. Only the eligible part earns the ratio: tier 2 in work, first admission, bill 3,000.00 of which 1,000.00
    # eligible: (1,000 - 600) x 88 % = 352.00.
    (IN, Tier.TIER2, WORK, 300_000, 100_000, True, (500_000, 0, 0, 0),
     (35_200, 264_800, 0, 60_000, 23_964_800, None)),
]


@pytest.mark.parametrize(("kind", "tier", "status", "total", "eligible", "flag", "before", "expected"), WORKED)
def test_worked_examples_from_the_default_figures(kind, tier, status, total, eligible, flag, before, expected):
    balance, admissions, fund_paid, outpatient_paid = before
    state = YearState(year=2026, account_balance_fen=balance, admissions=admissions, fund_paid_fen=fund_paid,
                      outpatient_fund_paid_fen=outpatient_paid)
    result, after = settle(POLICY, state, Claim(kind, tier, status, total, eligible, flag))
    fund, acct, cash, deductible, cap_left, outpatient_left = expected
    assert (result.fund_pay_sumamt, result.acct_pay, result.psn_cash_pay, result.deductible_fen,
            result.cap_left_fen, result.outpatient_cap_left_fen) == expected
    assert result.medfee_sumamt == total
    assert after.account_balance_fen == balance - acct
    assert after.fund_paid_fen == fund_paid + fund
    assert after.admissions == admissions + (1 if kind == IN else 0)
    assert after.outpatient_fund_paid_fen == outpatient_paid + (fund if kind == OUT else 0)


def test_the_trace_names_each_rule_applied_with_its_figures():
    state = YearState(year=2026, account_balance_fen=50_000, admissions=1)
    result = pre_settle(POLICY, state, Claim(IN, Tier.TIER3, WORK, 1_000_000, 900_000, True))
    assert [(s.rule, s.values) for s in result.trace] == [
        ("deductible", {"tier": "3", "admission": 2, "deductible_fen": 80_000 // 2, "borne_fen": 40_000}),
        ("ratio", {"base_fen": 860_000, "ratio_bp": 8600, "status": "in_work", "fund_fen": 739_600}),
        ("annual_cap", {"cap_fen": 24_000_000, "left_fen": 24_000_000, "fund_fen": 739_600}),
        ("account", {"used": True, "balance_fen": 50_000, "rest_fen": 260_400, "acct_fen": 50_000}),
        ("cash", {"cash_fen": 210_400}),
    ]


def test_the_trace_reads_as_sentences_with_amounts_in_yuan():
    state = YearState(year=2026, account_balance_fen=3_000)
    inpatient = pre_settle(POLICY, YearState(2026, admissions=1),
                           Claim(IN, Tier.TIER3, WORK, 1_000_000, 900_000, False))
    outpatient = pre_settle(POLICY, state, Claim(OUT, Tier.TIER3, WORK, 12_000, 10_000, True))
    assert [describe(step) for step in inpatient.trace] == [
        ("Deductible of admission %(admission)s of the year: %(deductible)s yuan; borne by the patient: %(borne)s "
         "yuan.", {"admission": 2, "deductible": "400.00", "borne": "400.00"}),
        ("Pooled fund ratio %(ratio)s%% of %(base)s yuan: %(fund)s yuan (rounded half up to the fen).",
         {"ratio": "86.00", "base": "8600.00", "fund": "7396.00"}),
        ("Annual pooled-fund cap %(cap)s yuan, %(left)s yuan left: the fund pays %(fund)s yuan.",
         {"cap": "240000.00", "left": "240000.00", "fund": "7396.00"}),
        ("The personal account is not used (the patient did not agree).", {}),
        ("The patient pays %(cash)s yuan.", {"cash": "2604.00"}),
    ]
    message, params = describe(outpatient.trace[2])
    assert message % params == "General outpatient cap 3500.00 yuan, 3500.00 yuan left: the fund pays 55.00 yuan."
    message, params = describe(outpatient.trace[3])
    assert message % params == "The personal account (balance 30.00 yuan) pays 30.00 yuan of the 65.00 yuan left."


def test_pre_settlement_and_settlement_give_the_same_split_and_pre_settlement_changes_nothing():
    state = YearState(year=2026, account_balance_fen=50_000)
    claim = Claim(OUT, Tier.TIER2, WORK, 40_000, 30_000, True)
    before = pre_settle(POLICY, state, claim)
    result, after = settle(POLICY, state, claim)
    assert before == result
    assert state == YearState(year=2026, account_balance_fen=50_000)
    assert after != state


def test_a_halved_deductible_of_an_odd_fen_rounds_half_up():
    policy = SettlementPolicy(year=2026, inpatient_deductible_fen={
        Tier.TIER3: 80_001, Tier.TIER2: 60_000, Tier.TIER1: 40_000, Tier.COMMUNITY: 20_003})
    assert policy.deductible_fen(Tier.TIER3, 1) == 80_001
    assert policy.deductible_fen(Tier.TIER3, 2) == 40_001  # 400.005 -> 400.01
    assert policy.deductible_fen(Tier.COMMUNITY, 5) == 10_002  # 100.015 -> 100.02


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    (0, 100, 0), (49, 100, 0), (50, 100, 1), (149, 100, 1), (150, 100, 2), (65, 10, 7), (21_645, 10_000, 2),
])
def test_round_half_up(numerator, denominator, expected):
    assert round_half_up(numerator, denominator) == expected


@pytest.mark.parametrize(("claim", "state", "code"), [
    (Claim(OUT, Tier.TIER3, WORK, -1, 0), YearState(2026), "negative_amount"),
    (Claim(OUT, Tier.TIER3, WORK, 100, -1), YearState(2026), "negative_amount"),
    (Claim(OUT, Tier.TIER3, WORK, 100, 101), YearState(2026), "eligible_exceeds_total"),
    (Claim(IN, Tier.PHARMACY, WORK, 100, 100), YearState(2026), "inpatient_at_pharmacy"),
    (Claim(OUT, Tier.TIER3, WORK, 100, 100), YearState(2025), "wrong_year"),
    (Claim(OUT, "4", WORK, 100, 100), YearState(2026), "unknown_code"),
    (Claim("emergency", Tier.TIER3, WORK, 100, 100), YearState(2026), "unknown_code"),
    (Claim(OUT, Tier.TIER3, "student", 100, 100), YearState(2026), "unknown_code"),
    (Claim(OUT, Tier.TIER3, WORK, 100.5, 100), YearState(2026), "not_fen"),
    (Claim(OUT, Tier.TIER3, WORK, 100, True), YearState(2026), "not_fen"),
])
def test_claims_that_do_not_add_up_are_refused(claim, state, code):
    with pytest.raises(SettlementError) as caught:
        pre_settle(POLICY, state, claim)
    assert caught.value.code == code
    assert caught.value.message


def test_cancelling_a_settlement_the_year_does_not_hold_is_refused():
    result, _after = settle(POLICY, YearState(2026, account_balance_fen=1_000),
                            Claim(IN, Tier.TIER3, WORK, 200_000, 200_000))
    with pytest.raises(SettlementError) as caught:
        cancel(YearState(2026), result)  # nothing settled in this year: an admission cannot go below zero
    assert caught.value.code == "not_applied"
    with pytest.raises(SettlementError) as caught:
        cancel(YearState(2027), result)
    assert caught.value.code == "wrong_year"


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"insured": True, "paid_up": True, "card_state": "active"}, ()),
    ({"insured": True, "paid_up": True, "card_state": "active", "by_ecard": True}, ()),
    ({"insured": False, "paid_up": True, "card_state": "active"}, (Ineligible.NOT_INSURED,)),
    ({"insured": False, "paid_up": False, "card_state": "active"}, (Ineligible.NOT_INSURED,)),
    ({"insured": True, "paid_up": False, "card_state": "active"}, (Ineligible.IN_ARREARS,)),
    ({"insured": True, "paid_up": True, "card_state": "temporarily_lost"}, (Ineligible.CARD_NOT_ACTIVE,)),
    ({"insured": True, "paid_up": True, "card_state": "formally_lost"}, (Ineligible.CARD_NOT_ACTIVE,)),
    ({"insured": True, "paid_up": True, "card_state": "cancelled"}, (Ineligible.CARD_NOT_ACTIVE,)),
    ({"insured": True, "paid_up": True, "card_state": "sealed"}, (Ineligible.CARD_NOT_ACTIVE,)),
    ({"insured": True, "paid_up": True, "card_state": "expired"}, (Ineligible.CARD_NOT_ACTIVE,)),
    ({"insured": True, "paid_up": True, "card_state": "active", "by_ecard": True, "ecard_failure": "expired"},
     (Ineligible.ECARD_INVALID,)),
    # the e-card shares the card's state: a lost card's e-card is refused even with a well-signed code
    ({"insured": True, "paid_up": True, "card_state": "formally_lost", "by_ecard": True},
     (Ineligible.CARD_NOT_ACTIVE,)),
    ({"insured": True, "paid_up": False, "card_state": "cancelled", "by_ecard": True,
      "ecard_failure": "bad_signature"},
     (Ineligible.IN_ARREARS, Ineligible.CARD_NOT_ACTIVE, Ineligible.ECARD_INVALID)),
])
def test_eligibility_lists_every_reason(kwargs, expected):
    assert eligibility(**kwargs) == expected


def test_a_policy_refuses_figures_out_of_range():
    with pytest.raises(ValueError):
        SettlementPolicy(year=2026, repeat_admission_pct=101)
    with pytest.raises(ValueError):
        SettlementPolicy(year=2026, annual_fund_cap_fen=-1)


# --- properties ------------------------------------------------------------------------------------------------

money = st.integers(min_value=0, max_value=5_000_000)
bp = st.integers(min_value=0, max_value=10_000)


@st.composite
def policies(draw):
    def by_tier(tiers, values):
        return {t: draw(values) for t in tiers}

    hospitals = (Tier.TIER3, Tier.TIER2, Tier.TIER1, Tier.COMMUNITY)
    return SettlementPolicy(
        year=2026,
        inpatient_deductible_fen=by_tier(hospitals, st.integers(0, 200_000)),
        repeat_admission_pct=draw(st.integers(0, 100)),
        inpatient_ratio_bp={s: by_tier(hospitals, bp) for s in Status},
        annual_fund_cap_fen=draw(st.integers(0, 3_000_000)),
        outpatient_ratio_bp={s: by_tier(tuple(Tier), bp) for s in Status},
        outpatient_cap_fen={s: draw(st.integers(0, 500_000)) for s in Status},
    )


@st.composite
def claims(draw, status=None):
    kind = draw(st.sampled_from(Kind))
    tiers = [t for t in Tier if not (kind == IN and t == Tier.PHARMACY)]
    total = draw(money)
    eligible = draw(st.integers(0, total))
    return Claim(kind, draw(st.sampled_from(tiers)), status or draw(st.sampled_from(Status)), total, eligible,
                 draw(st.booleans()))


@given(policies(), claims(), money, st.integers(0, 5), st.integers(0, 3_000_000), st.integers(0, 500_000))
def test_fund_account_and_cash_add_up_to_the_total_and_none_is_negative(policy, claim, balance, admissions,
                                                                        fund_paid, outpatient_paid):
    state = YearState(2026, account_balance_fen=balance, admissions=admissions, fund_paid_fen=fund_paid,
                      outpatient_fund_paid_fen=min(outpatient_paid, fund_paid))
    r = pre_settle(policy, state, claim)
    assert r.fund_pay_sumamt + r.acct_pay + r.psn_cash_pay == claim.medfee_sumamt
    assert min(r.fund_pay_sumamt, r.acct_pay, r.psn_cash_pay, r.deductible_fen, r.cap_left_fen) >= 0
    assert r.acct_pay <= balance and (claim.acct_used_flag or r.acct_pay == 0)
    # the fund never pays more than the ratio of what is above the deductible, nor more than the eligible amount
    ratio = (policy.inpatient_ratio_bp if claim.kind == IN else policy.outpatient_ratio_bp)[claim.status][claim.tier]
    assert r.fund_pay_sumamt <= round_half_up((claim.eligible_fen - r.deductible_fen) * ratio, 10_000)
    assert r.fund_pay_sumamt <= claim.eligible_fen
    if claim.kind == IN:
        assert r.deductible_fen == min(claim.eligible_fen, policy.deductible_fen(claim.tier, admissions + 1))
    else:
        assert r.deductible_fen == 0
    # the account is used as far as it can be: cash is left only when the account is spent or not to be used
    assert r.psn_cash_pay == 0 or not claim.acct_used_flag or r.acct_pay == balance


def _sum_of(initial: YearState, effects) -> YearState:
    state = initial
    for effect in effects:
        state = apply(state, effect)
    return state


@settings(max_examples=200)
@given(policies(), st.sampled_from(Status), money,
       st.lists(st.one_of(st.tuples(st.just("settle"), claims()), st.tuples(st.just("cancel"), st.integers(0, 50))),
                max_size=30))
def test_caps_and_deductibles_hold_across_any_sequence_of_settlements_and_cancellations(policy, status, balance,
                                                                                       operations):
    initial = YearState(2026, account_balance_fen=balance)
    state, live = initial, []  # live: the settlements not cancelled, in order
    for op, arg in operations:
        if op == "settle":
            claim = Claim(arg.kind, arg.tier, status, arg.medfee_sumamt, arg.eligible_fen, arg.acct_used_flag)
            before = state
            result, state = settle(policy, state, claim)
            assert cancel(state, result) == before  # a cancellation restores exactly what it took
            if claim.kind == IN:
                # the admission's number counts the year's live admissions
                assert result.trace[0].values["admission"] == before.admissions + 1
            live.append(result)
        elif live:
            result = live.pop(arg % len(live))
            state = cancel(state, result)
        # the year is the sum of its live settlements' effects, whatever was cancelled in between and in what order
        assert state == _sum_of(initial, [r.effect for r in live])
        assert state.fund_paid_fen <= policy.annual_fund_cap_fen
        assert state.outpatient_fund_paid_fen <= policy.outpatient_cap_fen[status]
        assert state.account_balance_fen >= 0
        assert state.admissions == sum(1 for r in live if r.effect.admissions)
        full = max(policy.inpatient_deductible_fen.values())
        assert state.deductible_used_fen <= state.admissions * full
        assert state.account_balance_fen + sum(r.acct_pay for r in live) == balance
    # cancelling everything gives the year back as it began
    for result in reversed(live):
        state = cancel(state, result)
    assert state == initial


@given(policies(), claims(), money)
def test_cancelling_from_an_empty_year_what_it_never_held_is_refused(policy, claim, balance):
    result, _ = settle(policy, YearState(2026, account_balance_fen=balance), claim)
    effect = result.effect
    if effect == Effect(acct_fen=effect.acct_fen):  # took nothing from the year's totals: nothing to detect
        return
    with pytest.raises(SettlementError):
        cancel(YearState(2026, account_balance_fen=balance), result)
