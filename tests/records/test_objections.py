"""Objections to months of a record: submitted by the person or the employer with evidence, claimed and decided
by a records officer of the employer's area (corrected by a new ledger version, or rejected with a reason), the
person and the employer told either way, the history kept.

Figures by hand (Wuhan 2026, as in test_corrections): March 2026 wage 6,500.00 -> pension 1,040.00 / 520.00,
the bill (four types) 2,320.50; corrected to 8,000.00 -> pension 1,280.00 / 640.00: the pension account +120.00.
Deadlines: 15 working days from Monday 2026-03-02 is Monday 2026-03-23; with a holiday on Friday 2026-03-06,
Tuesday 2026-03-24.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from sscard.audit.models import AuditEvent
from sscard.notify.models import Message
from sscard.records import payments
from sscard.records.models import AccountBalance, AccountMovement, LedgerEntry
from sscard.records.objections import services as objections
from sscard.records.objections.models import Objection
from sscard.records.services import RecordsError
from sscard.reference.models import Holiday

from .conftest import approved_employer, citizen_client, new_citizen, new_officer, staff_client
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def png(size=(400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(out, "PNG")
    return out.getvalue()


def upload(content=PDF, name="payslip.pdf"):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def paid():
    """A person's paid March 2026 (the four types), the employer, the officer of its area."""
    employer, person = approved_employer(), new_citizen("冯八")
    officer = new_officer()
    bill = confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)])
    payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference="OBJ-1",
                            paid_on=date(2026, 4, 20), today=date(2026, 6, 1))
    return person, employer, officer


def current(person, insurance_type="pension"):
    return (LedgerEntry.objects.filter(id_number=person.id_number, insurance_type=insurance_type)
            .order_by("-version").first())


def test_a_person_objects_the_officer_corrects_and_the_person_sees_the_new_version(paid):
    person, employer, officer = paid
    entry = current(person)
    objection = objections.submit(user=person, entry_ids=[entry.pk], reason="My wage in March was 8,000.00",
                                  files=[upload(), upload(png(), "slip.png")])
    assert (objection.state, objection.raised_as, objection.id_number, objection.employer_id) == (
        "submitted", "person", person.id_number, employer.pk)
    assert [(e.media_type, e.filename) for e in objection.evidence.order_by("pk")] == [
        ("application/pdf", "payslip.pdf"), ("image/jpeg", "slip.jpg")]

    objections.claim(staff=officer, objection=objection)
    line = objection.lines.get()
    decided = objections.correct(staff=officer, objection=objection, wages={line.pk: 800_000},
                                 note="Payslip checked: 8,000.00")
    assert decided.state == "corrected"
    new = current(person)
    line.refresh_from_db()
    assert (new.version, new.wage_fen, new.employer_fen, new.employee_fen, new.operator_id) == (
        3, 800_000, 128_000, 64_000, officer.pk)
    assert new.reason == f"{decided.number}: Payslip checked: 8,000.00"
    assert line.corrected_entry_id == new.pk
    assert AccountMovement.objects.get(kind="correction").amount_fen == 12_000
    assert AccountBalance.objects.get(id_number=person.id_number, account="pension").balance_fen == 64_000
    from django.core.management import call_command

    call_command("reconcile_accounts")  # exits 1 on any mismatch between balances, movements and the ledger
    assert [(h.from_state, h.to_state) for h in decided.history.all()] == [
        ("", "submitted"), ("submitted", "claimed"), ("claimed", "corrected")]
    # The person and the employer's representative are told (message and SMS, in their language).
    told = Message.objects.filter(link=f"/records/objections/{objection.pk}/")
    assert set(told.values_list("user_id", flat=True)) == {person.pk, employer.registered_by_id}
    assert set(told.values_list("subject", flat=True)) == {"您的异议：记录已更正"}  # their language: Chinese
    assert set(AuditEvent.objects.filter(subject_type="objection").values_list("event_type", flat=True)) == {
        "records.objection_submitted", "records.objection_claimed", "records.objection_corrected"}
    # The person's page shows the corrected version beside the one objected to.
    page = citizen_client(person).get(reverse("records:objection", args=[objection.pk])).content.decode()
    assert "Corrected" in page and "8000.00" in page.replace(",", "")


def test_an_employer_objects_and_the_officer_rejects_with_a_reason(paid):
    person, employer, officer = paid
    entry = current(person, "medical")
    objection = objections.submit(user=employer.registered_by, employer=employer, entry_ids=[entry.pk],
                                  reason="Declared twice", files=[upload()])
    assert objection.raised_as == "employer"
    objections.claim(staff=officer, objection=objection)
    with pytest.raises(RecordsError) as refused:
        objections.reject(staff=officer, objection=objection, note="  ")
    assert refused.value.code == "reason"
    decided = objections.reject(staff=officer, objection=objection, note="The declaration shows one line only")
    assert (decided.state, decided.decision_note) == ("rejected", "The declaration shows one line only")
    assert current(person, "medical").pk == entry.pk  # the record is unchanged
    told = Message.objects.filter(link=f"/records/objections/{objection.pk}/")
    assert set(told.values_list("user_id", flat=True)) == {person.pk, employer.registered_by_id}
    assert set(told.values_list("subject", flat=True)) == {"您的异议：记录不予更正"}


@pytest.mark.parametrize("content, name, code_message", [
    (b"", "empty.pdf", "Choose a file with your evidence (a PDF or a picture)."),
    (b"MZ\x90\x00 not a document", "payslip.pdf", "The file is not a PDF, JPEG or PNG (its content was checked, "
                                                  "not its name)."),
    (b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n%%EOF", "x.pdf",
     "The PDF contains active content (scripts, actions or embedded files). Print it to a plain PDF, or send a "
     "picture of the document."),
    (b"%PDF-1.4\n1 0 obj", "cut.pdf", "The file could not be read: it is damaged or incomplete."),
    ("bomb", "big.png", "The picture has too many pixels to be processed safely."),
])
def test_evidence_is_checked_by_content_and_a_refused_file_writes_nothing(paid, content, name, code_message):
    person, _employer, _officer = paid
    if content == "bomb":
        out = io.BytesIO()
        Image.new("1", (13_000, 1_000)).save(out, "PNG")  # 13 million pixels: more than a PNG may have
        content = out.getvalue()
    with pytest.raises(RecordsError) as refused:
        objections.submit(user=person, entry_ids=[current(person).pk], reason="Wrong",
                          files=[upload(content, name)] if content else [upload(b"", name)])
    assert (refused.value.field, refused.value.translated()) == ("evidence", code_message)
    assert Objection.objects.count() == 0


def test_rows_not_the_persons_or_not_current_are_refused(paid):
    person, _employer, officer = paid
    other = new_citizen("陈九")
    with pytest.raises(RecordsError) as refused:
        objections.submit(user=other, entry_ids=[current(person).pk], reason="x", files=[upload()])
    assert refused.value.code == "line"
    old = LedgerEntry.objects.get(id_number=person.id_number, insurance_type="pension", version=1)
    with pytest.raises(RecordsError) as refused:
        objections.submit(user=person, entry_ids=[old.pk], reason="x", files=[upload()])
    assert refused.value.code == "line"
    with pytest.raises(RecordsError) as refused:
        objections.submit(user=person, entry_ids=[], reason="x", files=[upload()])
    assert refused.value.code == "no_lines"
    objections.submit(user=person, entry_ids=[current(person).pk], reason="x", files=[upload()])
    with pytest.raises(RecordsError) as refused:  # the same month already being checked
        objections.submit(user=person, entry_ids=[current(person).pk], reason="x", files=[upload()])
    assert refused.value.code == "open"


def test_only_the_officer_of_the_area_who_claimed_it_decides(paid):
    person, _employer, officer = paid
    objection = objections.submit(user=person, entry_ids=[current(person).pk], reason="x", files=[upload()])
    elsewhere = new_officer(["district:420102"])
    with pytest.raises(RecordsError) as refused:
        objections.claim(staff=elsewhere, objection=objection)
    assert refused.value.code == "area"
    with pytest.raises(RecordsError) as refused:  # not claimed yet
        objections.reject(staff=officer, objection=objection, note="no")
    assert refused.value.code == "state"
    objections.claim(staff=officer, objection=objection)
    with pytest.raises(RecordsError) as refused:
        objections.claim(staff=new_officer(), objection=objection)
    assert refused.value.code == "state"
    with pytest.raises(RecordsError) as refused:
        objections.reject(staff=new_officer(), objection=objection, note="no")
    assert refused.value.code == "not_yours"


@pytest.mark.parametrize("holidays, expected", [
    ((), date(2026, 3, 23)),
    ((date(2026, 3, 6),), date(2026, 3, 24)),
])
def test_the_deadline_is_counted_in_working_days_on_the_holiday_calendar(holidays, expected):
    for day in holidays:
        Holiday.objects.create(date=day, name="test holiday")
    assert objections.deadline_from(date(2026, 3, 2)) == expected


def test_the_queue_marks_overdue_objections_and_hides_other_areas(paid, monkeypatch):
    person, _employer, officer = paid
    objection = objections.submit(user=person, entry_ids=[current(person).pk], reason="x", files=[upload()])
    Objection.objects.filter(pk=objection.pk).update(deadline=date(2026, 1, 5))
    page = staff_client(officer).get(reverse("casework:records_objections")).content.decode()
    assert f'data-test="objection-{objection.pk}" class="overdue"' in page
    other = staff_client(new_officer(["district:420102"])).get(reverse("casework:records_objections"))
    assert objection.number not in other.content.decode()
    assert staff_client(new_officer(["district:420102"])).get(
        reverse("casework:records_objection", args=[objection.pk])).status_code == 404


def test_the_pages_submit_claim_and_correct(paid):
    person, _employer, officer = paid
    entry = current(person)
    client = citizen_client(person)
    form = client.get(reverse("records:objection_new") + "?year=2026").content.decode()
    assert f'value="{entry.pk}"' in form
    response = client.post(reverse("records:objection_new"), {
        "year": "2026", "entries": [str(entry.pk)], "reason": "Wage 8,000.00", "evidence": upload()})
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("records:objection",
                                                                            args=[objection.pk])
    staff = staff_client(officer)
    assert staff.get(reverse("casework:records_objection", args=[objection.pk])).status_code == 200
    assert AuditEvent.objects.filter(event_type="records.objection_viewed").count() == 1
    evidence = objection.evidence.get()
    download = staff.get(reverse("casework:records_objection_evidence", args=[objection.pk, evidence.pk]))
    assert (download.status_code, bytes(download.content), download["X-Content-Type-Options"]) == (200, PDF,
                                                                                                   "nosniff")
    staff.post(reverse("casework:records_objection_claim", args=[objection.pk]))
    line = objection.lines.get()
    refused = staff.post(reverse("casework:records_objection_decide", args=[objection.pk]),
                         {"decision": "correct", f"wage_{line.pk}": "8000.00", "note": ""})
    assert refused.status_code == 400 and "Give the reason." in refused.content.decode()
    staff.post(reverse("casework:records_objection_decide", args=[objection.pk]),
               {"decision": "correct", f"wage_{line.pk}": "8000.00", "note": "Payslip"})
    assert Objection.objects.get().state == "corrected"
    assert current(person).wage_fen == 800_000


def test_the_objection_is_submitted_on_the_day_the_deadline_counts_from(paid, monkeypatch):
    person, _employer, _officer = paid
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    objection = objections.submit(user=person, entry_ids=[current(person).pk], reason="x", files=[upload()])
    assert objection.deadline == date(2026, 3, 23)


def test_the_employer_page_lists_its_employees_rows_masked(paid):
    person, employer, _officer = paid
    page = citizen_client(employer.registered_by).get(reverse("records:employer_objection_new") + "?year=2026")
    text = page.content.decode()
    assert page.status_code == 200 and f'value="{current(person).pk}"' in text
    assert person.id_number not in text and f"{person.id_number[:6]}********{person.id_number[-4:]}" in text
    # A citizen acting for no employer is sent to the workspace.
    response = citizen_client(new_citizen()).get(reverse("records:employer_objection_new"))
    assert response.status_code == 302 and response["Location"] == reverse("records:workspace")
