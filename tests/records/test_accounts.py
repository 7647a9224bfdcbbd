"""Personal accounts: credits once, running balances, interest, reconciliation, benefit records, and the count of
contribution months with their gaps. Figures by hand:

  A, wage 6,500.00: pension account 8 % = 520.00; medical 2 % = 130.00 (+ 1 % transfer = 65.00 where configured)
  interest of 2026 on 520.00 at 2.62 % = 13.624 -> 13.62; on 130.00 at 1.50 % = 1.95
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from sscard.domain.contribution_months import Gap, contribution_months
from sscard.records import accounts, ledger, payments
from sscard.records.models import AccountBalance, AccountMovement, BenefitRecord
from sscard.reference.models import ContributionRate

from .conftest import approved_employer, new_citizen, new_officer
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db
PERSON = "34052119800101007X"


def test_a_credit_moves_the_balance_and_the_same_row_or_reference_credits_once():
    day = date(2026, 5, 5)
    first = accounts.credit(id_number=PERSON, account="pension", kind="contribution", day=day, amount_fen=52_000,
                            ledger_entry_id=41)
    again = accounts.credit(id_number=PERSON, account="pension", kind="contribution", day=day, amount_fen=52_000,
                            ledger_entry_id=41)
    accounts.credit(id_number=PERSON, account="pension", kind="interest", day=date(2026, 12, 31), amount_fen=1_362,
                    source_ref="interest:2026")
    twice = accounts.credit(id_number=PERSON, account="pension", kind="interest", day=date(2026, 12, 31),
                            amount_fen=1_362, source_ref="interest:2026")
    assert first is not None and again is None and twice is None
    assert AccountMovement.objects.count() == 2
    assert AccountBalance.objects.get(id_number=PERSON, account="pension").balance_fen == 53_362
    assert accounts.balance_on(PERSON, "pension", date(2026, 12, 30)) == 52_000
    assert accounts.balance_on(PERSON, "pension", date(2026, 12, 31)) == 53_362
    assert accounts.balance_on(PERSON, "medical", date(2026, 12, 31)) == 0


def test_a_paid_medical_row_credits_the_employee_share_plus_the_configured_transfer():
    ContributionRate.objects.filter(year=2026, city_code="4201").update(medical_transfer_bp=100)
    employer, person = approved_employer(), new_citizen("郑三")
    bill = confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)])
    # 2,320.50 (employer 1,651.00 + employee 669.50), paid before the due date
    payments.record_payment(staff=new_officer(), bill=bill, amount_fen=232_050, reference="T-1",
                            paid_on=date(2026, 4, 20), today=date(2026, 6, 1))
    assert dict(AccountBalance.objects.filter(id_number=person.id_number).values_list("account", "balance_fen")) == {
        "pension": 52_000, "medical": 19_500}


def paid_in(employer, person, month, paid_on, amount, reference):
    bill = confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)], month=month)
    payments.record_payment(staff=new_officer(), bill=bill, amount_fen=amount, reference=reference, paid_on=paid_on,
                            today=date(2026, 12, 31))


def test_interest_is_credited_on_31_december_on_the_balance_at_1_january_once(capsys):
    ContributionRate.objects.filter(year=2026, city_code="").update(medical_interest_bp=150)
    employer, person = approved_employer(), new_citizen("王五")
    # November 2025 (2025 Wuhan: the wage 6,500.00 is within the bounds; total 2,320.50), paid 2025-12-10
    paid_in(employer, person, date(2025, 11, 1), date(2025, 12, 10), 232_050, "T-2025")
    # March 2026, paid in 2026: earns from 2027
    paid_in(employer, person, date(2026, 3, 1), date(2026, 4, 20), 232_050, "T-2026")
    call_command("credit_interest", "--year", "2026")
    assert "2 interest credit(s) for 2026" in capsys.readouterr().out
    assert accounts.credit_interest(year=2026) == 0  # idempotent
    interest = AccountMovement.objects.filter(kind="interest").order_by("account")
    assert [(m.account, m.amount_fen, m.day, m.source_ref) for m in interest] == [
        ("medical", 195, date(2026, 12, 31), "interest:2026"), ("pension", 1_362, date(2026, 12, 31), "interest:2026")]
    assert accounts.balance_on(person.id_number, "pension", date(2026, 12, 31)) == 52_000 * 2 + 1_362


def run_reconcile(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile_accounts")
    return exit_.value.code, capsys.readouterr().out


def test_reconcile_accounts_is_quiet_when_everything_matches_and_reports_each_mismatch_masked(capsys):
    employer, person = approved_employer(), new_citizen("赵六")
    paid_in(employer, person, date(2026, 3, 1), date(2026, 4, 20), 232_050, "T-R")
    call_command("reconcile_accounts")
    assert "no mismatch" in capsys.readouterr().out

    # a running balance that is not the sum of its movements
    AccountBalance.objects.filter(id_number=person.id_number, account="pension").update(balance_fen=99_999)
    # a credit without a ledger row
    accounts.credit(id_number=PERSON, account="medical", kind="contribution", day=date(2026, 4, 20),
                    amount_fen=500, ledger_entry_id=987_654_321)
    # a paid ledger row without its credit
    other = new_citizen("孙七")
    with transaction.atomic():
        ledger.append([ledger.Row(id_number=other.id_number, employer_id=employer.pk, month=date(2026, 3, 1),
                                  insurance_type="pension", wage_fen=650_000, base_fen=650_000, clamp="",
                                  employer_fen=104_000, employee_fen=52_000, status="paid", version=1,
                                  created_at=timezone.now())])
    code, out = run_reconcile(capsys)
    assert code == 1
    assert person.id_number not in out and other.id_number not in out and PERSON not in out
    lines = out.strip().splitlines()
    assert lines[-1] == "3 mismatch(es)"
    assert any(line.startswith("balance ") and "pension: expected 52000 fen, found 99999 fen" in line
               for line in lines)
    assert any(line.startswith("missing_credit ") and "pension: expected 52000 fen, found 0 fen" in line
               for line in lines)
    assert any(line.startswith("credit_without_row 340521********007X medical") for line in lines)


def test_a_benefit_is_recorded_once_per_source():
    first = accounts.record_benefit(id_number=PERSON, benefit_type="medical", period_start=date(2026, 5, 2),
                                    period_end=date(2026, 5, 2), amount_fen=12_345, source_type="settlement",
                                    source_ref="S-1")
    again = accounts.record_benefit(id_number=PERSON, benefit_type="medical", period_start=date(2026, 5, 2),
                                    period_end=date(2026, 5, 2), amount_fen=12_345, source_type="settlement",
                                    source_ref="S-1")
    assert first.pk == again.pk and BenefitRecord.objects.count() == 1


@pytest.mark.parametrize("paid, until, count, gaps", [
    ([], None, 0, []),
    (["2025-01", "2025-02", "2025-03"], None, 3, []),
    (["2025-01", "2025-02", "2025-05", "2025-06", "2025-11"], None, 5, [("2025-03", "2025-04"), ("2025-07", "2025-10")]),
    (["2024-12", "2025-01", "2024-12"], None, 2, []),  # paid twice (two employers): counted once
    (["2025-11", "2026-02"], "2026-04", 2, [("2025-12", "2026-01"), ("2026-03", "2026-04")]),
])
def test_contribution_months_count_paid_months_and_list_the_gaps(paid, until, count, gaps):
    def month(text):
        return date(int(text[:4]), int(text[5:]), 1)

    result = contribution_months([month(m) for m in paid], until=month(until) if until else None)
    assert result.count == count
    assert list(result.gaps) == [Gap(month(a), month(b)) for a, b in gaps]
