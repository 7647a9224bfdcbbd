"""A retired person settles with the retired figures: the records say so (a retirement registered by a records
officer), 1101 answers `psn_type` retired, the split uses the retired ratio and outpatient cap, the voucher keeps
the status. Expected figures by hand from the seeded 2024-2026 policy (reference migration 0010): inpatient tier
3 retired 90 % (in work 86 %), deductible tier 3 800.00; outpatient tier 3 55 % both, annual outpatient cap
4,500.00 retired (3,500.00 in work)."""

from datetime import date, timedelta

from django.utils import timezone

from sscard.records.retirement.services import register_retirement
from sscard.settlement import patients
from sscard.settlement.models import Voucher
from tests.records.conftest import new_officer, older_citizen

from .conftest import insured


def retired(balance_fen=0, since=date(2022, 6, 1)):
    citizen = older_citizen()  # born 1962-05-20
    card, identity = insured(balance_fen=balance_fen, citizen=citizen)
    register_retirement(staff=new_officer(), id_number=citizen.id_number, retired_from=since,
                        reference="鄂人社退〔2022〕123号")
    return card, identity


def test_1101_says_retired_and_in_work_before_the_registration(his):
    citizen = older_citizen()
    card, identity = insured(citizen=citizen)
    assert his.person(identity)[1]["psn_type"] == "in_work"
    register_retirement(staff=new_officer(), id_number=citizen.id_number, retired_from=date(2022, 6, 1),
                        reference="Approval 123")
    status, body = his.person(identity)
    assert (status, body["psn_type"]) == (200, "retired")


def test_a_retired_inpatient_settles_with_the_retired_ratio(his):
    """Worked example 1 for a retired person: bill 10,000.00, eligible 9,000.00, balance 500.00, tier 3:
    deductible 800.00; (9,000 - 800) x 90 % = 7,380.00; account 500.00; cash 10,000 - 7,380 - 500 = 2,120.00."""
    card, identity = retired(balance_fen=50_000)
    status, body = his.settle(identity, med_type="inpatient", total=1_000_000, eligible=900_000)
    assert status == 200, body
    assert (body["fund_pay_sumamt"], body["acct_pay"], body["psn_cash_pay"], body["deductible_fen"]) == (
        738_000, 50_000, 212_000, 80_000)
    ratio = next(step for step in body["trace"] if step["rule"] == "ratio")
    assert 9000 in ratio["values"].values()
    assert Voucher.objects.get(setl_id=body["setl_id"]).status == "retired"


def test_the_retired_outpatient_cap_is_4500(his):
    """Outpatient tier 3, 10,000.00 all eligible: 55 % = 5,500.00, cut to the cap: 4,500.00 retired (an in-work
    person gets 3,500.00); cash the rest (no balance)."""
    _card, identity = retired()
    status, body = his.pre_settle(identity, med_type="outpatient", total=1_000_000, eligible=1_000_000)
    assert (status, body["fund_pay_sumamt"], body["psn_cash_pay"]) == (200, 450_000, 550_000)
    _card, worker = insured()
    status, body = his.pre_settle(worker, med_type="outpatient", total=1_000_000, eligible=1_000_000)
    assert (status, body["fund_pay_sumamt"], body["psn_cash_pay"]) == (200, 350_000, 650_000)


def test_person_status_follows_the_day(db):
    citizen = older_citizen()
    card, _identity = insured(citizen=citizen)
    today = timezone.localdate()
    register_retirement(staff=new_officer(), id_number=citizen.id_number, retired_from=today,
                        reference="Approval 123")
    identity = {"card_no": card.card_number, "card_sn": card.chip_id}
    assert patients.identify(day=today, **identity).status == "retired"
    assert patients.identify(day=today - timedelta(days=1), **identity).status == "in_work"


def test_a_retiree_whose_enrolment_ended_stays_insured_and_one_never_in_medical_insurance_is_not(his):
    """A retired person no longer works for the employer (the enrolment stopped at retirement) and still settles
    as insured, with the retired figures; a retiree who was never enrolled in medical insurance is refused as not
    insured, like anybody else."""
    from sscard.records.models import Enrolment

    card, identity = retired(balance_fen=10_000)
    assert Enrolment.objects.filter(id_number=card.holder_id_number).update(end_month=date(2022, 5, 1)) == 1
    status, body = his.person(identity)
    assert (status, body["may_settle"], body["psn_type"]) == (200, True, "retired")
    status, body = his.settle(identity, med_type="outpatient", total=10_000, eligible=10_000)
    assert status == 200, body
    assert (body["fund_pay_sumamt"], body["acct_pay"], body["psn_cash_pay"]) == (5_500, 4_500, 0)

    citizen = older_citizen("赵六")
    _card, never = insured(citizen=citizen, medical=False)
    register_retirement(staff=new_officer(), id_number=citizen.id_number, retired_from=date(2022, 6, 1),
                        reference="Approval 124")
    status, body = his.person(never)
    assert (status, body["may_settle"], body["psn_type"]) == (200, False, "retired")
    status, body = his.settle(never, med_type="outpatient", total=10_000, eligible=10_000)
    assert (status, body["code"]) == (403, "not_insured")
