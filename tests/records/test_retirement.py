"""Retirement in the records: a records officer of the person's area registers it (permission, area gate, a
reference, a plausible date; an audit event); the rows are append-only and the latest is the person's
retirement; one indexed query says whether a person is retired on a day; the person sees it on "My social
insurance", the officer on the person's records page."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from sscard.audit.models import AuditEvent
from sscard.records import services
from sscard.records.retirement import selectors
from sscard.records.retirement.models import Retirement
from sscard.records.retirement.services import register_retirement
from sscard.records.services import RecordsError
from tests.casework.conftest import new_staff

from .conftest import approved_employer, citizen_client, new_officer, older_citizen, staff_client

pytestmark = pytest.mark.django_db


def enrolled(person, district="420106"):
    employer = approved_employer(district=district)
    services.enrol(user=employer.registered_by, employer=employer, id_number=person.id_number,
                   name=person.real_name, start_month=date(2020, 1, 1), types=["pension", "medical"])
    return employer


@pytest.fixture
def person():
    citizen = older_citizen()  # born 1962-05-20: 45 on 2007-05-20
    enrolled(citizen)
    return citizen


def _refused(**kwargs):
    with pytest.raises(RecordsError) as refused:
        register_retirement(**kwargs)
    return refused.value


def test_an_officer_registers_a_retirement_and_it_is_audited(person):
    officer = new_officer()
    row = register_retirement(staff=officer, id_number=person.id_number, retired_from=date(2022, 6, 1),
                              reference="鄂人社退〔2022〕123号")
    assert (row.id_number, row.retired_from, row.registered_by) == (person.id_number, date(2022, 6, 1), officer)
    event = AuditEvent.objects.get(event_type="records.retirement_registered")
    assert event.actor == officer and event.data["retired_from"] == "2022-06-01"
    assert event.data["reference"] == "鄂人社退〔2022〕123号"
    assert person.id_number not in event.subject_id  # masked by the audit log


@pytest.mark.parametrize(("day", "code"), [
    (timezone.localdate() + timedelta(days=1), "future"),
    (date(2007, 5, 19), "too_young"),  # the day before the 45th birthday
])
def test_an_implausible_date_is_refused_and_nothing_is_written(person, day, code):
    error = _refused(staff=new_officer(), id_number=person.id_number, retired_from=day, reference="Approval 77")
    assert (error.code, error.field) == (code, "retired_from")
    assert not Retirement.objects.exists()
    assert not AuditEvent.objects.filter(event_type="records.retirement_registered").exists()


def test_the_45th_birthday_and_today_are_accepted(person):
    officer = new_officer()
    register_retirement(staff=officer, id_number=person.id_number, retired_from=date(2007, 5, 20),
                        reference="Approval 1")
    register_retirement(staff=officer, id_number=person.id_number, retired_from=timezone.localdate(),
                        reference="Correction: approval 2")
    assert Retirement.objects.count() == 2


def test_the_same_date_twice_is_refused_a_correction_is_a_new_row(person):
    officer = new_officer()
    register_retirement(staff=officer, id_number=person.id_number, retired_from=date(2022, 6, 1),
                        reference="Approval 123")
    error = _refused(staff=officer, id_number=person.id_number, retired_from=date(2022, 6, 1),
                     reference="Approval 123")
    assert error.code == "same_date"
    register_retirement(staff=officer, id_number=person.id_number, retired_from=date(2022, 7, 1),
                        reference="Correction: the approval says July")
    assert list(Retirement.objects.order_by("id").values_list("retired_from", flat=True)) == [
        date(2022, 6, 1), date(2022, 7, 1)]
    assert selectors.retirement_status(person.id_number, date(2022, 6, 15)).retired is False
    assert selectors.retirement_status(person.id_number, date(2022, 7, 1)).since == date(2022, 7, 1)


def test_without_the_permission_out_of_the_area_or_with_bad_input_nothing_is_registered(person):
    day = date(2022, 6, 1)
    plain = new_staff([], areas=["district:420106"])
    assert _refused(staff=plain, id_number=person.id_number, retired_from=day, reference="Approval 9").code == (
        "not_allowed")
    other_area = new_officer(("district:420102",))
    assert _refused(staff=other_area, id_number=person.id_number, retired_from=day,
                    reference="Approval 9").code == "not_found"
    assert AuditEvent.objects.filter(event_type="records.person_lookup_refused").count() == 1
    officer = new_officer()
    assert _refused(staff=officer, id_number="360426199101010072", retired_from=day,
                    reference="Approval 9").field == "id_number"  # bad check character
    assert _refused(staff=officer, id_number=person.id_number, retired_from=day, reference=" abc ").field == (
        "reference")
    assert not Retirement.objects.exists()


def test_the_rows_are_append_only_in_the_database(person):
    row = register_retirement(staff=new_officer(), id_number=person.id_number, retired_from=date(2022, 6, 1),
                              reference="Approval 123")
    for sql in ("UPDATE records_retirement SET retired_from = '2020-01-01' WHERE id = %s",
                "DELETE FROM records_retirement WHERE id = %s"):
        with pytest.raises(DatabaseError, match="refused"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
    assert Retirement.objects.get().retired_from == date(2022, 6, 1)


def test_the_selector_is_one_query(person, django_assert_num_queries):
    register_retirement(staff=new_officer(), id_number=person.id_number, retired_from=date(2022, 6, 1),
                        reference="Approval 123")
    cases = [(person.id_number, date(2022, 5, 31), False), (person.id_number, date(2022, 6, 1), True),
             (person.id_number, date(2026, 1, 1), True), ("420106199003070101", date(2026, 1, 1), False)]
    for id_number, day, retired in cases:
        with django_assert_num_queries(1):
            assert selectors.retirement_status(id_number, day).retired is retired


def test_the_selector_uses_the_person_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's (SQLite: one small table)")
    query = Retirement.objects.filter(id_number="420106196205203011").order_by("-id").values("retired_from")[:1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "records_retirement_person" in plan


def test_the_person_sees_retired_since_in_their_language(person):
    client = citizen_client(person)
    assert "Retired since" not in client.get(reverse("records:mine")).content.decode()
    register_retirement(staff=new_officer(), id_number=person.id_number, retired_from=date(2022, 6, 1),
                        reference="Approval 123")
    assert "Retired since 2022-06-01" in client.get(reverse("records:mine")).content.decode()
    assert "2022-06-01 起退休" in client.get(reverse("records:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Jubilación desde 2022-06-01" in client.get(reverse("records:mine"),
                                                     HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_the_officer_registers_on_the_person_page(person):
    officer = new_officer()
    client = staff_client(officer)
    page = client.get(reverse("casework:records_person"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Register a retirement" in page
    url = reverse("casework:records_person_retirement")
    response = client.post(url, {"retire-id_number": person.id_number, "retire-retired_from": "2099-01-01",
                                 "retire-reference": "Approval 123"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode() and not Retirement.objects.exists()
    response = client.post(url, {"retire-id_number": person.id_number, "retire-retired_from": "2022-06-01",
                                 "retire-reference": "Approval 123"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "is retired from 2022-06-01" in page
    assert person.id_number not in page
    assert Retirement.objects.get().retired_from == date(2022, 6, 1)
    read = client.post(reverse("casework:records_person"), {"id_number": person.id_number,
                                                            "reason": "Counter enquiry 12"},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Retired since 2022-06-01" in read


def test_staff_without_the_permission_get_no_form_and_are_refused(person):
    plain = new_staff([], areas=["district:420106"])
    assert staff_client(plain).post(reverse("casework:records_person_retirement"), {}).status_code == 403


def test_the_admin_shows_the_row_masked_and_view_only(person):
    row = register_retirement(staff=new_officer(), id_number=person.id_number, retired_from=date(2022, 6, 1),
                              reference="Approval 123")
    from django.contrib import admin

    model_admin = admin.site._registry[Retirement]
    assert not model_admin.has_change_permission(None, row) and not model_admin.has_delete_permission(None, row)
    assert not model_admin.has_add_permission(None)
    assert row.masked_id_number in str(row) and person.id_number not in str(row)
