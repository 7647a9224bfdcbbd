"""Corrections of the ledger by a records officer: a new version with operator and reason, re-assessed; a paid
row's account difference posted as a correction movement; nothing updated in place.

Figures by hand (Wuhan 2026, floor 4,380.00, ceiling 21,900.00):
  wage 6,500.00 -> pension 1,040.00 / 520.00; corrected to 8,000.00 -> pension 1,280.00 / 640.00: account +120.00
  corrected to 3,000.00 -> base 4,380.00 (floor): pension 700.80 / 350.40: account 520.00 -> 350.40, -169.60
"""

from datetime import date

import pytest
from django.utils import translation

from sscard.audit.models import AuditEvent
from sscard.records import corrections, payments
from sscard.records.models import AccountBalance, AccountMovement, LedgerEntry
from sscard.records.services import RecordsError

from .conftest import approved_employer, new_citizen, new_officer, new_staff
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def person_bill():
    employer, person = approved_employer(), new_citizen("冯八")
    return person, confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)])


def pension_row(person):
    return (LedgerEntry.objects.filter(id_number=person.id_number, insurance_type="pension")
            .order_by("-version").first())


def test_a_paid_row_is_corrected_by_a_new_version_and_the_account_difference_is_posted(person_bill):
    person, bill = person_bill
    officer = new_officer()
    payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference="C-1",
                            paid_on=date(2026, 4, 20), today=date(2026, 6, 1))
    paid = pension_row(person)
    corrected = corrections.correct_entry(staff=officer, entry=paid, wage_fen=800_000,
                                          reason="Objection 2026-17: wage was 8,000.00")
    assert (corrected.version, corrected.status, corrected.wage_fen, corrected.base_fen, corrected.employer_fen,
            corrected.employee_fen, corrected.operator_id, corrected.reason) == (
        3, "paid", 800_000, 800_000, 128_000, 64_000, officer.pk, "Objection 2026-17: wage was 8,000.00")
    versions = LedgerEntry.objects.filter(id_number=person.id_number, insurance_type="pension").order_by("version")
    assert [(e.version, e.status, e.employee_fen) for e in versions] == [
        (1, "assessed", 52_000), (2, "paid", 52_000), (3, "paid", 64_000)]
    movement = AccountMovement.objects.get(kind="correction")
    assert (movement.account, movement.amount_fen, movement.ledger_entry_id) == ("pension", 12_000, corrected.pk)
    assert AccountBalance.objects.get(id_number=person.id_number, account="pension").balance_fen == 64_000
    assert AuditEvent.objects.filter(event_type="records.ledger_corrected").count() == 1

    lowered = corrections.correct_entry(staff=officer, entry=corrected, wage_fen=300_000, reason="Second check")
    assert (lowered.base_fen, lowered.clamp, lowered.employee_fen) == (438_000, "floor", 35_040)
    assert AccountBalance.objects.get(id_number=person.id_number, account="pension").balance_fen == 35_040
    from django.core.management import call_command

    call_command("reconcile_accounts")  # the corrections keep the accounts and the ledger in step


def test_an_unpaid_row_is_refused_the_employer_amends_its_declaration_instead(person_bill):
    person, bill = person_bill
    for month_state in ("assessed", "arrears"):
        if month_state == "arrears":
            payments.mark_arrears(today=date(2026, 4, 26))
        entry = pension_row(person)
        assert entry.status == month_state
        with pytest.raises(RecordsError) as refused:
            corrections.correct_entry(staff=new_officer(), entry=entry, wage_fen=800_000, reason="Declared wrong")
        assert (refused.value.code, refused.value.translated()) == (
            "not_paid", "This month is not paid: the agency corrects paid months only. An unpaid month (assessed "
                        "or in arrears) is corrected by the employer's amended declaration.")
    with translation.override("zh-hans"):
        assert "用人单位" in refused.value.translated()
    with translation.override("es"):
        assert "declaración" in refused.value.translated()
    assert LedgerEntry.objects.filter(id_number=person.id_number, insurance_type="pension").count() == 2
    assert AccountMovement.objects.count() == 0


def test_a_correction_needs_the_permission_a_reason_the_area_the_current_version_and_a_valid_wage(person_bill):
    person, bill = person_bill
    payments.record_payment(staff=new_officer(), bill=bill, amount_fen=232_050, reference="C-2",
                            paid_on=date(2026, 4, 20), today=date(2026, 6, 1))
    entry = pension_row(person)
    cases = [
        (dict(staff=new_staff([]), wage_fen=800_000, reason="x"), "permission"),
        (dict(staff=new_officer(), wage_fen=800_000, reason="  "), "reason"),
        (dict(staff=new_officer(["district:420102"]), wage_fen=800_000, reason="x"), "area"),
        (dict(staff=new_officer(), wage_fen=100_000, reason="x"), "below_minimum"),
    ]
    for kwargs, code in cases:
        with pytest.raises(RecordsError) as refused:
            corrections.correct_entry(entry=entry, **kwargs)
        assert refused.value.code == code
    corrections.correct_entry(staff=new_officer(), entry=entry, wage_fen=800_000, reason="first")
    with pytest.raises(RecordsError) as refused:
        corrections.correct_entry(staff=new_officer(), entry=entry, wage_fen=900_000, reason="stale")
    assert refused.value.translated() == ("This row is not the current version of the record: correct version 3.")
    assert LedgerEntry.objects.filter(id_number=person.id_number, insurance_type="pension").count() == 3


# --- The officer's page of an employer's month ----------------------------------------------------------------

def month_url(employer, name="casework:records_employer_month"):
    from django.urls import reverse

    return reverse(name, kwargs={"pk": employer.pk, "month": "2026-03"})


def test_the_month_page_lists_masked_records_and_corrects_a_paid_row_with_its_reason(person_bill):
    from .conftest import staff_client

    person, bill = person_bill
    officer = new_officer()
    client = staff_client(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    text = client.get(month_url(bill.employer)).content.decode()
    assert person.id_number not in text and person.id_number[-4:] in text and person.real_name not in text
    assert "By amended declaration" in text and "Correct the record" not in text  # assessed: the employer amends
    assert AuditEvent.objects.filter(event_type="records.month_viewed", actor=officer).count() == 1

    payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference="C-3",
                            paid_on=date(2026, 4, 20), today=date(2026, 6, 1))
    paid = pension_row(person)
    prefix = f"e{paid.pk}"
    response = client.post(month_url(bill.employer, "casework:records_employer_month_correct"),
                           {"entry": paid.pk, f"{prefix}-wage_fen": "8000.00", f"{prefix}-reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(month_url(bill.employer, "casework:records_employer_month_correct"),
                           {"entry": paid.pk, f"{prefix}-wage_fen": "8000.00",
                            f"{prefix}-reason": "Objection 2026-31"}, follow=True)
    text = response.content.decode()
    assert "The record is corrected: version 3." in text and "Objection 2026-31" in text
    corrected = pension_row(person)
    assert (corrected.version, corrected.employee_fen, corrected.reason) == (3, 64_000, "Objection 2026-31")
    assert AccountBalance.objects.get(id_number=person.id_number, account="pension").balance_fen == 64_000
    assert AuditEvent.objects.filter(event_type="records.month_viewed", actor=officer).count() == 3


def test_the_month_page_keeps_to_the_officers_areas_and_the_correction_to_its_permission(person_bill):
    from django.contrib.auth.models import Permission

    from .conftest import staff_client

    person, bill = person_bill
    payments.record_payment(staff=new_officer(), bill=bill, amount_fen=232_050, reference="C-4",
                            paid_on=date(2026, 4, 20), today=date(2026, 6, 1))
    paid = pension_row(person)
    form = {"entry": paid.pk, f"e{paid.pk}-wage_fen": "8000.00", f"e{paid.pk}-reason": "x"}
    elsewhere = staff_client(new_officer(["district:420102"]))
    assert elsewhere.get(month_url(bill.employer)).status_code == 404
    assert elsewhere.post(month_url(bill.employer, "casework:records_employer_month_correct"), form
                          ).status_code == 404
    reader = new_staff([], areas=["district:420106"])
    reader.user_permissions.add(Permission.objects.get(codename="view_records"))
    client = staff_client(reader)
    assert "Correct the record" not in client.get(month_url(bill.employer)).content.decode()
    assert client.post(month_url(bill.employer, "casework:records_employer_month_correct"), form).status_code == 403
    assert staff_client(new_staff([])).get(month_url(bill.employer)).status_code == 403
    assert pension_row(person).version == 2


def test_the_declarations_list_and_the_employer_file_link_each_month_to_its_records(person_bill):
    from .conftest import staff_client

    _person, bill = person_bill
    client = staff_client(new_officer())
    assert month_url(bill.employer) in client.get(reverse_declarations()).content.decode()
    from django.urls import reverse

    page = client.get(reverse("casework:records_employer", args=[bill.employer.pk])).content.decode()
    assert month_url(bill.employer) in page  # the employer's file lists its months too


def reverse_declarations():
    from django.urls import reverse

    return reverse("casework:records_declarations")
