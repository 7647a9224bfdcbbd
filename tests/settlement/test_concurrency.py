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


@pytest.mark.django_db(transaction=True)
def test_concurrent_settlements_never_exceed_the_cap_nor_overdraw():
    reseed_settlement()
    hospital = institution()
    card, identity = insured(balance_fen=100_000)
    claim = {"med_type": "outpatient", "medfee_sumamt": 200_000, "inscp_scp_amt": 200_000, "acct_used_flag": True}

    def settle(i):
        msgid = f"conc-{i:04d}"
        return services.answer_once(hospital, msgid, "2207", lambda: services.settle(
            institution=hospital, msgid=msgid, identity=identity, claim=claim))

    results, errors = _run_threads(8, settle)
    assert not errors, errors
    assert [status for status, _ in results] == [200] * 8
    # Tier 3 outpatient in work: 55 % of 2,000.00 = 1,100.00 a visit, the ¥3,500 outpatient cap reached in the
    # fourth (200.00 left); the account's ¥1,000 pays 900.00 then 100.00.
    funds = sorted((body["fund_pay_sumamt"] for _, body in results), reverse=True)
    assert funds == [110_000, 110_000, 110_000, 20_000, 0, 0, 0, 0]
    assert sum(body["acct_pay"] for _, body in results) == 100_000
    assert accounts.current_balance(card.holder_id_number, MEDICAL) == 0
    year = PersonYear.objects.get(id_number=card.holder_id_number)
    assert year.outpatient_fund_paid_fen == year.fund_paid_fen == 350_000
    assert Voucher.objects.aggregate(f=Sum("fund_pay_sumamt"))["f"] == 350_000
    assert AccountMovement.objects.filter(kind="settlement").aggregate(a=Sum("amount_fen"))["a"] == -100_000


@pytest.mark.django_db(transaction=True)
def test_concurrent_settlements_of_a_year_begun_wait_for_each_other_in_the_cards_read():
    """The year's row exists, so each settlement locks it in the card's own read (PostgreSQL: `years.lock_beside`)
    and must see, after waiting, what the one before it committed."""
    reseed_settlement()
    hospital = institution()
    card, identity = insured(balance_fen=100_000)
    claim = {"med_type": "outpatient", "medfee_sumamt": 200_000, "inscp_scp_amt": 200_000, "acct_used_flag": True}

    def settle(i):
        msgid = f"begun-{i:04d}"
        return services.answer_once(hospital, msgid, "2207", lambda: services.settle(
            institution=hospital, msgid=msgid, identity=identity, claim=claim))

    assert settle(0)[1]["fund_pay_sumamt"] == 110_000  # the year begins: 1,100.00 by the fund, 900.00 the account
    results, errors = _run_threads(8, lambda i: settle(i + 1))
    assert not errors, errors
    assert [status for status, _ in results] == [200] * 8
    # As above, the first of them the second visit of the year: 1,100.00 twice more, then the 200.00 left of the
    # ¥3,500 cap, then nothing; the account's 100.00 left goes to the first of the eight.
    funds = sorted((body["fund_pay_sumamt"] for _, body in results), reverse=True)
    assert funds == [110_000, 110_000, 20_000, 0, 0, 0, 0, 0]
    assert sum(body["acct_pay"] for _, body in results) == 10_000
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
