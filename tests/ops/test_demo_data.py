from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from sscard.accounts.models import User


@pytest.fixture(autouse=True)
def fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.MEDIA_ROOT = tmp_path / "private"  # the demo card's photo


@pytest.mark.django_db
def test_demo_data_loads_once_and_prints_the_accounts(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    count = User.objects.count()
    assert count == 9  # three citizens, five back office roles, a records officer
    assert "13800138000" in first and "reviewer" in first
    call_command("load_demo")
    assert User.objects.count() == count
    assert "already loaded" in capsys.readouterr().out
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.is_staff and reviewer.has_perm("casework.review_case")
    assert not User.objects.get(username="auditor").has_perm("casework.review_case")
    assert User.objects.get(username="records").has_perm("records.review_employer")
    from sscard.records.models import Employer, Enrolment

    employer = Employer.objects.get()
    assert employer.state == "approved" and employer.registered_by.real_name == "张三"
    assert sorted(Enrolment.objects.values_list("name", "start_month", "end_month")) == [
        ("张三", date(2024, 7, 1), None), ("李四", date(2025, 1, 1), None),
        ("王五", date(2000, 1, 1), date(2020, 5, 1))]


@pytest.mark.django_db
def test_the_demo_retiree_is_retired_and_insured_and_sees_it(capsys, client):
    """王五 worked for the demo employer until May 2020 and is retired from 2020-06-01: his space says so, and he
    is insured in medical insurance as a retiree (no enrolment covers this month)."""
    from sscard.domain.retirement import insured_as_retiree
    from sscard.records.models import Enrolment
    from sscard.records.retirement.models import Retirement

    call_command("load_demo")
    assert "retiree  王五" in capsys.readouterr().out
    wang = User.objects.get(real_name="王五")
    assert list(Retirement.objects.values_list("id_number", "retired_from")) == [(wang.id_number, date(2020, 6, 1))]
    # his one enrolment (medical insurance included) ended in May 2020: insured today as a retiree
    assert list(Enrolment.objects.filter(id_number=wang.id_number).values_list("end_month", "medical")) == [
        (date(2020, 5, 1), True)]
    assert insured_as_retiree(retired_from=date(2020, 6, 1), day=date.today(), ever_enrolled_medical=True)
    call_command("load_demo")
    assert Retirement.objects.count() == 1
    client.force_login(wang)
    page = client.get(reverse("records:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Retired since 2020-06-01" in page


@pytest.mark.django_db
def test_the_demo_records_show_every_feature_and_load_once(capsys, client):
    from django.utils import timezone

    from sscard.records.models import AccountMovement, BenefitRecord, Bill, Declaration, LedgerEntry, Voucher

    call_command("load_demo")
    rows = LedgerEntry.objects.count()
    today = timezone.localdate()
    # 2024-07 .. last month: one declaration a month (2025-03 twice: an amendment), each confirmed.
    months = (today.year - 2024) * 12 + today.month - 7
    assert Declaration.objects.count() == months + 1
    assert list(Declaration.objects.filter(month=date(2025, 3, 1)).order_by("version").values_list(
        "version", "state")) == [(1, "superseded"), (2, "confirmed")]
    assert set(Declaration.objects.filter(month__in=[date(2025, 1, 1), date(2025, 2, 1)]).values_list(
        "voucher__filename", flat=True)) == {"申报-202501.csv", "申报-202502.xlsx"}
    assert Voucher.objects.filter(kind="payment").count() == 1
    states = list(Bill.objects.exclude(state="superseded").order_by("month").values_list("state", flat=True))
    assert states.count("arrears") == 1 and "paid" in states and set(states) <= {"paid", "arrears", "open"}
    assert LedgerEntry.objects.filter(reason__startswith="演示：异议 2025-0612").count() == 1
    assert AccountMovement.objects.filter(kind="interest").exists()
    # 张三's outpatient visit at the tier-3 demo hospital: bill 356.00, 300.00 inside the scope; the fund pays
    # 55 % of it (165.00), his medical account the remaining 191.00, nothing in cash.
    from sscard.settlement.models import Voucher

    assert list(Voucher.objects.values_list("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "psn_cash_pay")) == [
        (35_600, 16_500, 19_100, 0)]
    assert list(BenefitRecord.objects.values_list("source_type", "amount_fen")) == [("settlement", 16_500)]

    call_command("load_demo")
    assert LedgerEntry.objects.count() == rows  # nothing added the second time

    zhang = User.objects.get(real_name="张三")
    client.force_login(zhang)
    page = client.get(reverse("records:mine") + "?year=2025", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2025-06" in page and "2025-01" in page and "演示：异议 2025-0612" in page
    from sscard.records.person_selectors import person_records

    assert person_records(zhang.id_number).balances["pension"] > 0


@pytest.mark.django_db
def test_the_demo_art74_shows_statements_objections_questions_and_an_authorisation(capsys, client):
    from sscard.records.consultation.models import Question
    from sscard.records.models import LedgerEntry, Objection, Statement
    from sscard.records.query_models import RecordAuthorisation

    call_command("load_demo")
    out = capsys.readouterr().out
    assert "authorisation code of 张三" in out
    zhang, li = User.objects.get(real_name="张三"), User.objects.get(real_name="李四")
    assert set(Statement.objects.filter(year=2025).values_list("id_number", flat=True)) == {zhang.id_number,
                                                                                          li.id_number}
    assert sorted(Objection.objects.values_list("state", flat=True)) == ["corrected", "submitted"]
    corrected = LedgerEntry.objects.filter(id_number=zhang.id_number, month=date(2025, 8, 1),
                                           insurance_type="pension").order_by("-version").first()
    assert (corrected.version, corrected.wage_fen) == (3, 1_280_000)  # assessed 1, paid 2, corrected 3
    assert sorted(Question.objects.values_list("rating", flat=True), key=str) == [5, None]
    assert RecordAuthorisation.objects.filter(person=zhang).count() == 1

    call_command("load_demo")
    assert Objection.objects.count() == 2 and Question.objects.count() == 2  # nothing added the second time
    client.force_login(zhang)
    page = client.get(reverse("records:statements"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2025" in page


@pytest.mark.django_db
def test_the_first_demo_citizen_has_a_card_in_use_with_a_pin_and_a_history(capsys, client):
    from sscard.applications.models import Application
    from sscard.cards import pin
    from sscard.cards.models import Card, CardPin

    call_command("load_demo")
    assert "D00000001 of 张三: active, PIN 258036" in capsys.readouterr().out
    card = Card.objects.get()
    assert (card.card_number, card.state, card.holder.real_name) == ("D00000001", "active", "张三")
    assert card.application.state == "collected" and card.delivered_at is not None
    # Hand-written: enabled at the counter, reported lost online, the report withdrawn online.
    assert [(c.to_state, c.channel) for c in card.changes.order_by("pk")] == [
        ("active", "counter"), ("temporarily_lost", "online"), ("active", "online")]
    assert not CardPin.objects.get(card=card).is_initial
    pin.verify_pin(card=card, pin="258036")  # raises when wrong
    call_command("load_demo")
    assert Card.objects.count() == 1 and Application.objects.count() == 1

    client.force_login(card.holder)
    page = client.get(reverse("cards:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "D00000001" in page and "Report the card lost" in page and "Temporarily reported lost" in page
