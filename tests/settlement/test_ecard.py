"""Identified by the e-card's QR token: a valid token settles; expired, forged and a lost card's tokens are
refused with their codes and change nothing."""

import time

import pytest

from sscard.cards import ecards, loss
from sscard.domain import ecard
from sscard.records import accounts
from sscard.records.models import Enrolment
from sscard.settlement.models import Voucher
from tests.cards.conftest import site_keys  # noqa: F401
from tests.cards.ecard_helpers import issued

from .conftest import insured

OTHER_KEY = ecard.private_key_from_seed(bytes([7]) * 32)


@pytest.fixture
def live(his, site_keys, django_capture_on_commit_callbacks):  # noqa: F811
    card, _ = insured(balance_fen=10_000)
    return issued(card, django_capture_on_commit_callbacks)


def _token(live, keys, *, now, key=None, kid=None):
    claims = ecard.make_claims(card=live.ecard_id, issuer="sscard", now=now, lifetime_s=60, holder="张*")
    return ecard.sign(claims, key or keys.private_key, kid or keys.kid)


def test_the_holders_token_identifies_and_settles(his, live):
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    status, person = his.person({"ecard_token": token})
    assert status == 200 and person["may_settle"] and person["card_no"] == live.card.card_number
    status, body = his.settle({"ecard_token": token}, med_type="outpatient", total=10_000, eligible=10_000)
    assert status == 200 and (body["fund_pay_sumamt"], body["acct_pay"]) == (5_500, 4_500)
    assert accounts.current_balance(live.card.holder_id_number, "medical") == 5_500


@pytest.mark.parametrize(("make", "code"), [
    (lambda live, keys, now: _token(live, keys, now=now - 120), "ecard_invalid"),  # expired
    (lambda live, keys, now: _token(live, keys, now=now, key=OTHER_KEY), "ecard_invalid"),  # forged
    (lambda live, keys, now: "SSC1:NOT A TOKEN", "ecard_invalid"),
])
def test_refused_tokens(his, live, site_keys, make, code):  # noqa: F811
    status, body = his.settle({"ecard_token": make(live, site_keys, int(time.time()))}, med_type="outpatient",
                              total=100, eligible=100)
    assert (status, body["code"]) == (403, code)
    assert Voucher.objects.count() == 0


def test_a_lost_cards_token_is_refused_as_card_not_active(his, live, site_keys):  # noqa: F811
    token = _token(live, site_keys, now=int(time.time()))
    loss.report_temporary_loss(user=live.card.holder, card=live.card)
    status, person = his.person({"ecard_token": token})
    assert status == 200 and person["refusals"] == ["card_not_active", "ecard_invalid"]
    status, body = his.settle({"ecard_token": token}, med_type="outpatient", total=100, eligible=100)
    assert (status, body["code"]) == (403, "card_not_active") and Voucher.objects.count() == 0


def test_not_insured_refused_by_ecard_too(his, live):
    Enrolment.objects.filter(id_number=live.card.holder_id_number).update(medical=False)
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    status, body = his.settle({"ecard_token": token}, med_type="outpatient", total=100, eligible=100)
    assert (status, body["code"]) == (403, "not_insured")


def test_a_token_settles_once(his, live):
    """2207 consumes the token it was identified by: the same token again is `ecard_used` and settles nothing."""
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    assert his.settle({"ecard_token": token}, med_type="outpatient", total=1_000, eligible=1_000)[0] == 200
    status, body = his.settle({"ecard_token": token}, med_type="outpatient", total=1_000, eligible=1_000)
    assert (status, body["code"]) == (403, "ecard_used")
    assert Voucher.objects.count() == 1
    assert accounts.current_balance(live.card.holder_id_number, "medical") == 10_000 - 450
    fresh = ecards.current_token(user=live.card.holder, card=live.card).token
    assert his.settle({"ecard_token": fresh}, med_type="outpatient", total=1_000, eligible=1_000)[0] == 200


def test_person_info_registration_and_pre_settlement_only_verify_the_token(his, live):
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    identity = {"ecard_token": token}
    assert his.person(identity)[1]["may_settle"] is True
    status, visit = his.register(identity, "outpatient")
    assert status == 200
    assert his.pre_settle(identity, med_type="outpatient", total=1_000, eligible=1_000,
                          mdtrt_id=visit["mdtrt_id"])[0] == 200
    status, body = his.settle(identity, med_type="outpatient", total=1_000, eligible=1_000,
                              mdtrt_id=visit["mdtrt_id"])
    assert (status, body["fund_pay_sumamt"]) == (200, 550)
    assert his.person(identity)[1]["may_settle"] is True  # 1101 still reads the person with it
    assert his.settle(identity, med_type="outpatient", total=1_000, eligible=1_000)[1]["code"] == "ecard_used"


def test_a_refused_settlement_leaves_the_token_unused(his, live):
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    status, body = his.settle({"ecard_token": token}, med_type="outpatient", total=100, eligible=200)
    assert (status, body["code"]) == (400, "eligible_exceeds_total")
    assert his.settle({"ecard_token": token}, med_type="outpatient", total=200, eligible=100)[0] == 200


def test_the_same_msgid_with_its_token_is_the_first_answer_not_a_second_use(his, live):
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    first = his.settle({"ecard_token": token}, med_type="outpatient", total=1_000, eligible=1_000, msgid="e-0001")
    again = his.settle({"ecard_token": token}, med_type="outpatient", total=1_000, eligible=1_000, msgid="e-0001")
    assert first[0] == 200 and again == first and Voucher.objects.count() == 1


def test_a_token_without_a_token_id_cannot_settle(his, live, site_keys):  # noqa: F811
    token = _token(live, site_keys, now=int(time.time()))  # validly signed, but no `cti`: never issued by the site
    assert his.person({"ecard_token": token})[1]["may_settle"] is True
    status, body = his.settle({"ecard_token": token}, med_type="outpatient", total=100, eligible=100)
    assert (status, body["code"]) == (403, "ecard_invalid") and Voucher.objects.count() == 0
