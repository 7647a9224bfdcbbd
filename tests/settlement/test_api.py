"""The settlement API end to end through the signed client: 1101, 2201, 2206, 2207, 2208, 3201, 3202, the
signature's refusals, msgid idempotency, and the error codes (each changes nothing)."""

from datetime import date, timedelta

from sscard.records import accounts
from sscard.records.ledger_models import AccountMovement, BenefitRecord
from sscard.settlement import services
from sscard.settlement.models import Message, PersonYear, Voucher

from .conftest import client_for, institution, insured

MEDICAL = AccountMovement.Account.MEDICAL


def balance(card):
    return accounts.current_balance(card.holder_id_number, MEDICAL)


def counts():
    return (Voucher.objects.count(), PersonYear.objects.filter(admissions__gt=0).count(),
            AccountMovement.objects.filter(kind="settlement").count(), BenefitRecord.objects.count())


def test_person_info_masked_with_balance_and_year(his):
    card, identity = insured(balance_fen=50_000)
    status, body = his.person(identity)
    assert status == 200, body
    assert body["may_settle"] is True and body["refusals"] == []
    assert body["balc"] == 50_000 and body["cap_left_fen"] == 24_000_000
    assert body["psn_no"] != card.holder_id_number and "*" in body["psn_no"]
    assert body["card_no"] == card.card_number


def test_worked_example_1_settled_then_cancelled(his):
    """docs/settlement.md worked example 1: inpatient tier 3, bill 10,000.00, eligible 9,000.00, balance
    500.00: fund 7,052.00, account 500.00, cash 2,448.00; the cancellation gives everything back."""
    card, identity = insured(balance_fen=50_000)
    status, reg = his.register(identity, "inpatient")
    assert status == 200, reg
    status, body = his.settle(identity, med_type="inpatient", total=1_000_000, eligible=900_000,
                              mdtrt_id=reg["mdtrt_id"])
    assert status == 200, body
    assert (body["fund_pay_sumamt"], body["acct_pay"], body["psn_cash_pay"], body["deductible_fen"]) == (
        705_200, 50_000, 244_800, 80_000)
    assert body["cap_left_fen"] == 24_000_000 - 705_200
    assert [step["rule"] for step in body["trace"]] == ["deductible", "ratio", "annual_cap", "account", "cash"]
    assert balance(card) == 0
    year = PersonYear.objects.get(id_number=card.holder_id_number)
    assert (year.admissions, year.deductible_used_fen, year.fund_paid_fen) == (1, 80_000, 705_200)
    assert BenefitRecord.objects.get(source_ref=body["setl_id"]).amount_fen == 705_200

    status, undone = his.cancel(body["setl_id"])
    assert status == 200, undone
    assert (undone["fund_pay_sumamt"], undone["acct_pay"]) == (-705_200, -50_000)
    assert balance(card) == 50_000
    year.refresh_from_db()
    assert (year.admissions, year.deductible_used_fen, year.fund_paid_fen) == (0, 0, 0)
    status, again = his.cancel(body["setl_id"])
    assert (status, again["code"]) == (409, "already_cancelled")
    assert balance(card) == 50_000


def test_second_admission_halved_deductible(his):
    card, identity = insured()
    his.settle(identity, med_type="inpatient", total=100_000, eligible=100_000)
    status, body = his.settle(identity, med_type="inpatient", total=100_000, eligible=100_000)
    assert status == 200
    # 2nd admission tier 3: 400.00 deductible; (1000 - 400) x 86 % = 516.00
    assert (body["deductible_fen"], body["fund_pay_sumamt"], body["psn_cash_pay"]) == (40_000, 51_600, 48_400)


def test_pre_settlement_writes_nothing(his):
    card, identity = insured(balance_fen=3_000)
    before = counts()
    status, body = his.pre_settle(identity, med_type="outpatient", total=12_000, eligible=10_000)
    assert status == 200, body
    # worked example 7: 100 x 55 % = 55.00; account 30.00; cash 35.00
    assert (body["setl_id"], body["fund_pay_sumamt"], body["acct_pay"], body["psn_cash_pay"]) == (
        "", 5_500, 3_000, 3_500)
    assert counts() == before and balance(card) == 3_000


def test_same_msgid_returns_the_first_answer(his):
    card, identity = insured(balance_fen=10_000)
    first = his.settle(identity, med_type="outpatient", total=10_000, eligible=10_000, msgid="visit-0001")
    second = his.settle(identity, med_type="outpatient", total=99_999, eligible=0, msgid="visit-0001")
    assert first == second and first[0] == 200
    assert Voucher.objects.count() == 1 and Message.objects.count() == 1


def test_refused_answer_is_kept_for_its_msgid(his):
    card, identity = insured()
    first = his.settle(identity, med_type="outpatient", total=100, eligible=200, msgid="bad-0001")
    assert (first[0], first[1]["code"]) == (400, "eligible_exceeds_total")
    second = his.settle(identity, med_type="outpatient", total=200, eligible=100, msgid="bad-0001")
    assert second == first and Voucher.objects.count() == 0


def test_signature_refusals_change_nothing(his):
    card, identity = insured(balance_fen=10_000)
    payload = {"msgid": "sig-1", "identity": identity, "med_type": "outpatient", "medfee_sumamt": 100,
               "inscp_scp_amt": 100}
    import json
    body = json.dumps(payload).encode()
    path = "/api/settlement/v1/2207"
    post = his.transport
    before = counts()

    assert post(path, body, {})[1]["code"] == "unsigned"
    headers = his.headers(path, body)
    assert post(path, body + b" ", headers)[1]["code"] == "bad_signature"  # body changed after signing
    assert post("/api/settlement/v1/2206", body, headers)[0] == 401  # signed for another path
    stale = his.headers(path, body, timestamp=int(his.clock()) - 301)
    assert post(path, body, stale)[1]["code"] == "stale_timestamp"
    wrong_key = {**headers, "X-Sscard-Key-Id": "kdoesnotexist0000"}
    assert post(path, body, wrong_key)[1]["code"] == "unknown_key"
    assert counts() == before

    fresh = his.headers(path, body, nonce="nonce-used-once-0001")
    assert post(path, body, fresh)[0] == 200
    status, replay = post(path, body, fresh)
    assert (status, replay["code"]) == (401, "replayed")
    assert Voucher.objects.count() == 1


def test_lapsed_or_suspended_institution_refused(db, his):
    lapsed = client_for(institution("H42010600002", days_left=-1))
    suspended = client_for(institution("H42010600003", state="suspended"))
    card, identity = insured()
    assert lapsed.person(identity)[1]["code"] == "agreement_lapsed"
    assert suspended.person(identity)[1]["code"] == "institution_suspended"


def test_person_refusals(his):
    lost, lost_identity = insured(state="temporarily_lost")
    status, body = his.settle(lost_identity, med_type="outpatient", total=100, eligible=100)
    assert (status, body["code"]) == (403, "card_not_active")
    uninsured, uninsured_identity = insured(medical=False)
    status, body = his.settle(uninsured_identity, med_type="outpatient", total=100, eligible=100)
    assert (status, body["code"]) == (403, "not_insured")
    status, body = his.settle({"card_no": "X00000000", "card_sn": "nope"}, med_type="outpatient", total=100,
                              eligible=100)
    assert (status, body["code"]) == (404, "card_not_found")
    status, body = his.settle({"ecard_token": "not-a-token"}, med_type="outpatient", total=100, eligible=100)
    assert (status, body["code"]) == (403, "ecard_invalid")
    status, body = his.person(lost_identity)
    assert status == 200 and body["refusals"] == ["card_not_active"] and body["may_settle"] is False
    assert Voucher.objects.count() == 0


def test_cancel_of_another_institutions_settlement_refused(his):
    other = client_for(institution("H42010600009"))
    card, identity = insured(balance_fen=10_000)
    status, body = his.settle(identity, med_type="outpatient", total=10_000, eligible=10_000)
    status, refused = other.cancel(body["setl_id"])
    assert (status, refused["code"]) == (403, "other_institution")
    assert (his.cancel("Sdoesnotexist")[1]["code"]) == "settlement_not_found"
    assert Voucher.objects.filter(kind="cancel").count() == 0 and balance(card) == 5_500  # 100 - 55 fund


def test_inpatient_at_pharmacy_refused(db, hospital):
    pharmacy = client_for(institution("P42010600001", tier="pharmacy"))
    card, identity = insured()
    status, body = pharmacy.settle(identity, med_type="inpatient", total=100, eligible=100)
    assert (status, body["code"]) == (400, "inpatient_at_pharmacy")
    status, body = pharmacy.register(identity, "inpatient")
    assert (status, body["code"]) == (400, "inpatient_at_pharmacy")


def test_visit_of_another_person_refused(his):
    _, first = insured()
    _, second = insured()
    _, reg = his.register(first, "outpatient")
    status, body = his.settle(second, med_type="outpatient", total=100, eligible=100, mdtrt_id=reg["mdtrt_id"])
    assert (status, body["code"]) == (400, "visit_other_person")


def test_reconciliation_totals_and_detail(his, monkeypatch):
    card, identity = insured(balance_fen=100_000)
    today = date.today()
    s1 = his.settle(identity, med_type="outpatient", total=10_000, eligible=10_000)[1]
    s2 = his.settle(identity, med_type="outpatient", total=20_000, eligible=10_000)[1]
    his.cancel(s1["setl_id"])
    ours = {"settlements": 2, "cancellations": 1, "medfee_sumamt": 20_000,
            "fund_pay_sumamt": s2["fund_pay_sumamt"], "acct_pay": s2["acct_pay"], "psn_cash_pay": s2["psn_cash_pay"]}
    # today has not ended: refused
    status, body = his.totals(today.isoformat(), ours)
    assert (status, body["code"]) == (400, "future_day")
    assert his.detail(today.isoformat(), [])[1]["code"] == "future_day"
    monkeypatch.setattr(services, "today", lambda: today + timedelta(days=1))
    yesterday = today
    status, body = his.totals(yesterday.isoformat(), ours)
    assert status == 200 and body["matches"] is True, body
    status, body = his.totals(yesterday.isoformat(), {**ours, "acct_pay": 0})
    assert body["matches"] is False and body["differing"] == ["acct_pay"]

    lines = [{"setl_id": s2["setl_id"], "medfee_sumamt": 20_000, "fund_pay_sumamt": s2["fund_pay_sumamt"],
              "acct_pay": s2["acct_pay"] + 1, "psn_cash_pay": s2["psn_cash_pay"]},
             {"setl_id": "Snotours", "medfee_sumamt": 1, "fund_pay_sumamt": 0, "acct_pay": 0, "psn_cash_pay": 1}]
    status, body = his.detail(yesterday.isoformat(), lines)
    assert status == 200
    kinds = sorted((m["kind"], m["setl_id"]) for m in body["mismatches"])
    cancel_ids = list(Voucher.objects.filter(kind="cancel").values_list("setl_id", flat=True))
    assert kinds == sorted([("amounts", s2["setl_id"]), ("missing_here", "Snotours"),
                            ("missing_there", s1["setl_id"]), ("missing_there", cancel_ids[0])])


def test_key_rotation_two_active_keys_then_the_old_one_revoked(hospital, his):
    import pytest

    from sscard.settlement.client import HospitalClient
    from sscard.settlement.keys import KeyIssueError, issue_key, revoke_key

    card, identity = insured()
    key_id, secret = issue_key(institution=hospital, actor=None)
    rotated = HospitalClient(hospital.code, key_id, secret, his.transport)
    assert his.person(identity)[0] == 200 and rotated.person(identity)[0] == 200
    with pytest.raises(KeyIssueError):
        issue_key(institution=hospital, actor=None)  # two active already
    assert revoke_key(key_id=his.key_id, actor=None)
    assert his.person(identity)[1]["code"] == "unknown_key"
    assert rotated.person(identity)[0] == 200
    wrong = HospitalClient("H42010600099", key_id, secret, his.transport)  # another institution's code
    assert wrong.person(identity)[1]["code"] == "unknown_key"


def test_error_detail_in_the_requests_language(hospital, his):
    from django.test import Client

    from sscard.settlement.client import HospitalClient, django_transport

    chinese = HospitalClient(his.institution, his.key_id, his.secret,
                             django_transport(Client(HTTP_ACCEPT_LANGUAGE="zh-Hans")))
    status, body = chinese.settle({"card_no": "", "card_sn": ""}, med_type="outpatient", total=1, eligible=1)
    assert (status, body["code"], body["detail"]) == (400, "identity_required", "请提供卡号和卡识别码，或电子社保卡码。")


def test_in_arrears_refused_until_paid(his):
    from django.utils import timezone

    from sscard.records.ledger_models import LedgerEntry
    from sscard.records.models import Enrolment

    card, identity = insured(balance_fen=1_000)
    employer_id = Enrolment.objects.get(id_number=card.holder_id_number).employer_id
    row = {"id_number": card.holder_id_number, "employer_id": employer_id, "month": date(2026, 3, 1),
           "insurance_type": "medical", "wage_fen": 650_000, "base_fen": 650_000, "employer_fen": 52_000,
           "employee_fen": 13_000, "created_at": timezone.now()}
    LedgerEntry.objects.create(**row, status="assessed", version=1)
    LedgerEntry.objects.create(**row, status="arrears", version=2)
    status, body = his.settle(identity, med_type="outpatient", total=100, eligible=100)
    assert (status, body["code"]) == (403, "in_arrears") and Voucher.objects.count() == 0
    LedgerEntry.objects.create(**row, status="paid", version=3)  # paid late: the latest version is paid
    status, body = his.settle(identity, med_type="outpatient", total=100, eligible=100)
    assert status == 200, body


def test_statements_of_a_settlement(his, django_assert_max_num_queries):
    """A settlement of a person whose year has begun: the card with the standing, the year and the balance locked
    together, then seven writes: the year saved, the account's movement and balance, the benefit, the voucher, the
    access event and the msgid answer. On PostgreSQL the card's read locks the year too (`years.lock_beside`) and
    the seven writes are one statement (`core.rows.together`); on SQLite each is its own; all inside the savepoint
    of the test's transaction."""
    from django.db import connection

    card, identity = insured(balance_fen=10_000)
    assert his.settle(identity, med_type="outpatient", total=1_000, eligible=1_000)[0] == 200  # the year begins
    with django_assert_max_num_queries(11) as captured:
        assert his.settle(identity, med_type="outpatient", total=1_000, eligible=1_000)[0] == 200
    statements = [q["sql"] for q in captured.captured_queries]
    writes = ["UPDATE settlement_personyear", 'INSERT INTO "records_accountmovement"', "UPDATE records_accountbalance",
              'INSERT INTO "records_benefitrecord"', 'INSERT INTO "settlement_voucher"', 'INSERT INTO "audit_accessevent"',
              'INSERT INTO "settlement_message"']
    if connection.vendor == "postgresql":
        assert [sql.split()[0] for sql in statements] == ["SAVEPOINT", "SELECT", "WITH", "RELEASE"]
        assert '"cards_card"' in statements[1] and "settlement_personyear" in statements[1]
        assert statements[1].endswith("FOR UPDATE) l ON TRUE")
        assert all(write in statements[2] for write in writes), statements[2]
    else:
        assert [sql.split()[0] for sql in statements] == [
            "SAVEPOINT", "SELECT", "SELECT", "UPDATE", "INSERT", "UPDATE", "INSERT", "INSERT", "INSERT", "INSERT",
            "RELEASE"]
        assert all(write in statement for write, statement in zip(writes, statements[3:10], strict=True))


def test_each_settlement_and_cancellation_is_one_access_event(his):
    from sscard.audit.models import AccessEvent

    card, identity = insured(balance_fen=10_000)
    status, settled = his.settle(identity, med_type="outpatient", total=1_000, eligible=1_000, msgid="ev-1")
    his.settle(identity, med_type="outpatient", total=1_000, eligible=1_000, msgid="ev-1")  # the same msgid
    his.settle(identity, med_type="outpatient", total=100, eligible=200)  # refused: nothing settled
    his.cancel(settled["setl_id"], msgid="ev-2")
    his.cancel(settled["setl_id"], msgid="ev-3")  # already cancelled
    events = list(AccessEvent.objects.filter(event_type__startswith="settlement.").order_by("id")
                  .values_list("event_type", "subject_id", "data"))
    assert [(kind, subject) for kind, subject, _data in events] == [
        ("settlement.settled", settled["setl_id"]), ("settlement.cancelled", settled["setl_id"])]
    assert events[0][2] == {"institution": "H42010600001", "cancel_id": ""}


def test_a_suspension_stops_the_institution_at_once_in_this_process(hospital, his):
    card, identity = insured()
    assert his.person(identity)[0] == 200  # the key and the institution are now kept in this process
    hospital.state = "suspended"
    hospital.save(update_fields=["state"])
    assert his.person(identity)[1]["code"] == "institution_suspended"
