"""Designated institutions' pure rules: the code's shape, the agreement's states and whether it may settle."""

from datetime import date

import pytest

from sscard.domain.institutions import Refusal, code_problems, may_change, may_settle

FROM, TO = date(2026, 1, 1), date(2026, 12, 31)


@pytest.mark.parametrize(("code", "tier", "district", "problems"), [
    ("H42010600001", "3", "420106", []),
    ("H42010600001", "community", "420106", []),
    ("P42010200007", "pharmacy", "420102", []),
    ("P42010600001", "3", "420106", ["code_tier"]),        # a hospital with a pharmacy's letter
    ("H42010600001", "pharmacy", "420106", ["code_tier"]),
    ("H42010200001", "2", "420106", ["code_area"]),        # the area digits are another district
    ("P42010200001", "1", "420106", ["code_tier", "code_area"]),
    ("H4201060001", "3", "420106", ["bad_code"]),          # 10 digits
    ("X42010600001", "3", "420106", ["bad_code"]),
    ("h42010600001", "3", "420106", ["bad_code"]),
    ("", "3", "420106", ["bad_code"]),
])
def test_institution_codes(code, tier, district, problems):
    assert code_problems(code, tier=tier, district_code=district) == problems


@pytest.mark.parametrize(("current", "target", "allowed"), [
    ("pending", "approved", True), ("pending", "suspended", False), ("approved", "suspended", True),
    ("approved", "approved", False), ("suspended", "approved", True), ("suspended", "suspended", False),
    ("approved", "pending", False), ("suspended", "pending", False),
])
def test_agreement_transitions(current, target, allowed):
    assert may_change(current, target) is allowed


@pytest.mark.parametrize(("state", "today", "reasons"), [
    ("approved", date(2026, 1, 1), ()),                     # first day of the agreement
    ("approved", date(2026, 12, 31), ()),                   # its last day
    ("approved", date(2025, 12, 31), (Refusal.NOT_STARTED,)),
    ("approved", date(2027, 1, 1), (Refusal.LAPSED,)),
    ("pending", date(2026, 6, 1), (Refusal.NOT_APPROVED,)),
    ("suspended", date(2026, 6, 1), (Refusal.SUSPENDED,)),
    ("suspended", date(2027, 6, 1), (Refusal.SUSPENDED, Refusal.LAPSED)),
])
def test_may_settle_within_an_approved_agreement_only(state, today, reasons):
    assert may_settle(state, FROM, TO, today) == reasons
