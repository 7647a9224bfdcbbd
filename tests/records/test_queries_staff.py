"""Query and verification, the staff's side: a records officer reads a person's records through the area gate,
always with a reason (an audit event, refused look-ups too); a bulk export is requested, approved by another
staff member with the records supervisor role, and downloaded once by the requester."""

from datetime import date

import pytest
from django.urls import reverse

from sscard.audit.models import AuditEvent
from sscard.records.models import ExportRequest
from sscard.records.queries import staff as staff_services
from tests.casework.conftest import new_staff

from .conftest import approved_employer, new_citizen, new_officer, staff_client
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    employer = approved_employer(name="武昌导出有限公司")  # district 420106
    person = new_citizen("陈九")
    confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)], month=date(2026, 3, 1))
    return employer, person


def supervisor(areas=("district:420106",)):
    member = new_staff([], areas=list(areas))
    staff_services.make_records_supervisor(user=member)
    return member


def _lookup(officer, id_number, reason="Counter enquiry 12"):
    return staff_client(officer).post(reverse("casework:records_person"), {"id_number": id_number, "reason": reason})


def test_an_officer_of_the_area_reads_the_person_with_a_reason_and_it_is_audited(world):
    _employer, person = world
    officer = new_officer()
    response = _lookup(officer, person.id_number)
    assert response.status_code == 200
    read = response.context["read"]
    assert read.masked_name == "陈*" and read.record.year == 2026 and len(read.record.records.rows) == 4
    event = AuditEvent.objects.get(event_type="records.person_viewed", actor=officer)
    assert event.data["reason"] == "Counter enquiry 12" and person.id_number not in event.subject_id
    assert person.id_number not in response.content.decode()


@pytest.mark.parametrize(("reason", "areas", "status", "event"), [
    ("", ("district:420106",), 400, None),
    ("Counter enquiry 12", ("district:420102",), 404, "records.person_lookup_refused"),
])
def test_no_reason_or_another_area_shows_nothing(world, reason, areas, status, event):
    _employer, person = world
    officer = new_officer(areas)
    response = _lookup(officer, person.id_number, reason)
    assert response.status_code == status and response.context["read"] is None
    assert not AuditEvent.objects.filter(event_type="records.person_viewed").exists()
    assert AuditEvent.objects.filter(event_type="records.person_lookup_refused").exists() == bool(event)


def test_a_bulk_export_needs_another_supervisors_approval_and_downloads_once(world):
    employer, person = world
    officer, boss = new_officer(), supervisor()
    client = staff_client(officer)
    response = client.post(reverse("casework:records_exports"),
                           {"employer": employer.pk, "year": "2026", "reason": "Audit of employer 7"})
    assert response.status_code == 302
    export = ExportRequest.objects.get()
    assert export.state == "pending"
    # Not before approval; the officer cannot approve (no role); nobody approves their own request.
    client.post(reverse("casework:records_export_download", args=[export.pk]))
    client.post(reverse("casework:records_export_decide", args=[export.pk]), {"decision": "approve"})
    export.refresh_from_db()
    assert export.state == "pending"
    own = staff_services.request_export(staff=boss, employer_pk=employer.pk, year=2026, reason="My own export")
    with pytest.raises(staff_services.RecordsError) as refused:
        staff_services.decide_export(staff=boss, pk=own.pk, approve=True)
    assert refused.value.code == "own_request"
    # Another supervisor approves; the requester downloads once.
    staff_client(boss).post(reverse("casework:records_export_decide", args=[export.pk]),
                            {"decision": "approve", "note": "ok"})
    export.refresh_from_db()
    assert (export.state, export.decided_by, export.decision_note) == ("approved", boss, "ok")
    assert staff_client(boss).post(reverse("casework:records_export_download", args=[export.pk])).status_code == 302
    first = client.post(reverse("casework:records_export_download", args=[export.pk]))
    assert first.status_code == 200 and first["Content-Type"].startswith("text/csv")
    body = b"".join(first.streaming_content).decode("utf-8")
    lines = body[1:].split("\r\n")[:-1]
    assert lines[0] == "Employer,武昌导出有限公司,Year,2026,Month," and len(lines) == 2 + 4
    assert person.id_number not in body
    second = client.post(reverse("casework:records_export_download", args=[export.pk]))
    assert second.status_code == 302
    export.refresh_from_db()
    assert export.state == "downloaded" and export.downloaded_at is not None
    assert list(AuditEvent.objects.filter(subject_type="export_request", subject_id=str(export.pk))
                .order_by("seq").values_list("event_type", flat=True)) == [
        "records.export_requested", "records.export_approved", "records.export_downloaded"]


def test_a_supervisor_of_another_area_does_not_see_the_request_and_a_decline_is_final(world):
    employer, _person = world
    export = staff_services.request_export(staff=new_officer(), employer_pk=employer.pk, year=2026,
                                           reason="Audit of employer 8")
    with pytest.raises(staff_services.RecordsError) as refused:
        staff_services.decide_export(staff=supervisor(("district:420102",)), pk=export.pk, approve=True)
    assert refused.value.code == "not_found"
    staff_services.decide_export(staff=supervisor(), pk=export.pk, approve=False)
    with pytest.raises(staff_services.RecordsError) as again:
        staff_services.decide_export(staff=supervisor(), pk=export.pk, approve=True)
    assert again.value.code == "not_pending"


@pytest.mark.parametrize(("data", "field"), [
    ({"employer": "0", "year": "2026", "reason": "Audit of employer 9"}, "employer"),
    ({"employer": "EMP", "year": "1980", "reason": "Audit of employer 9"}, "year"),
    ({"employer": "EMP", "year": "2026", "reason": "no"}, "reason"),
])
def test_a_bad_export_request_is_refused_and_nothing_is_saved(world, data, field):
    employer, _person = world
    data = {key: str(employer.pk) if value == "EMP" else value for key, value in data.items()}
    response = staff_client(new_officer()).post(reverse("casework:records_exports"), data)
    assert response.status_code == 400 and not ExportRequest.objects.exists()
    form = response.context["form"]
    assert field in form.errors or form.non_field_errors()
