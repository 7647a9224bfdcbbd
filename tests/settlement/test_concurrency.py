"""Concurrent settlements of one person (8 threads, real transactions): the person's year row is locked, so the
outpatient cap is never exceeded and the medical account never overdrawn; what the vouchers add up to is exactly
the year's totals and the account's movements. Run on PostgreSQL too (SSCARD_DATABASE_URL)."""

import pytest
from django.db.models import Sum

from sscard.records import accounts
from sscard.records.ledger_models import AccountMovement
from sscard.settlement import services
from sscard.settlement.models import PersonYear, Voucher
from tests.applications.test_concurrency import _run_threads

from .conftest import institution, insured, reseed_settlement

MEDICAL = AccountMovement.Account.MEDICAL


# Tier 3 outpatient in work, bills of 2,000.00: 55 % = 1,100.00 a visit by the fund, the ¥3,500 outpatient cap
# reached in the fourth visit (200.00 left); the account's ¥1,000 pays 900.00, then the 100.00 left.
# (settlements before the threads start, the fund's shares of the 8 concurrent ones, the account's share of them)
BEGUN = {
    "new year": (0, [110_000, 110_000, 110_000, 20_000, 0, 0, 0, 0], 100_000),
    # The year's row exists: on PostgreSQL each settlement locks it in the card's own read (`years.lock_beside`)
    # and must see, after its wait, what the one before it committed.
    "year begun": (1, [110_000, 110_000, 20_000, 0, 0, 0, 0, 0], 10_000),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("before, funds, acct", list(BEGUN.values()), ids=list(BEGUN))
def test_concurrent_settlements_never_exceed_the_cap_nor_overdraw(before, funds, acct):
    reseed_settlement()
    hospital = institution()
    card, identity = insured(balance_fen=100_000)
    claim = {"med_type": "outpatient", "medfee_sumamt": 200_000, "inscp_scp_amt": 200_000, "acct_used_flag": True}

    def settle(i):
        msgid = f"conc-{i:04d}"
        return services.answer_once(hospital, msgid, "2207", lambda: services.settle(
            institution=hospital, msgid=msgid, identity=identity, claim=claim))

    for i in range(before):
        assert settle(100 + i)[0] == 200
    results, errors = _run_threads(8, settle)
    assert not errors, errors
    assert [status for status, _ in results] == [200] * 8
    assert sorted((body["fund_pay_sumamt"] for _, body in results), reverse=True) == funds
    assert sum(body["acct_pay"] for _, body in results) == acct
    assert accounts.current_balance(card.holder_id_number, MEDICAL) == 0
    year = PersonYear.objects.get(id_number=card.holder_id_number)
    assert year.outpatient_fund_paid_fen == year.fund_paid_fen == 350_000
    assert Voucher.objects.aggregate(f=Sum("fund_pay_sumamt"))["f"] == 350_000
    assert AccountMovement.objects.filter(kind="settlement").aggregate(a=Sum("amount_fen"))["a"] == -100_000


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_of_one_settlement_give_back_once():
    reseed_settlement()
    hospital = institution()
    card, identity = insured(balance_fen=10_000)
    claim = {"med_type": "outpatient", "medfee_sumamt": 10_000, "inscp_scp_amt": 10_000, "acct_used_flag": True}
    status, settled = services.answer_once(hospital, "s-1", "2207", lambda: services.settle(
        institution=hospital, msgid="s-1", identity=identity, claim=claim))
    assert status == 200 and settled["acct_pay"] == 4_500

    def cancel(i):
        msgid = f"c-{i}"
        return services.answer_once(hospital, msgid, "2208", lambda: services.cancel(
            institution=hospital, msgid=msgid, setl_id=settled["setl_id"]))

    results, errors = _run_threads(6, cancel)
    assert not errors, errors
    assert sorted(status for status, _ in results) == [200, 409, 409, 409, 409, 409]
    assert accounts.current_balance(card.holder_id_number, MEDICAL) == 10_000
    assert PersonYear.objects.get(id_number=card.holder_id_number).fund_paid_fen == 0
