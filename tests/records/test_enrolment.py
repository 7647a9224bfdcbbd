"""Enrolment (参保登记): the employer enrols and stops employees; one employer at a time; rows are history;
the person sees their enrolments in their space."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone, translation

from sscard.records import services
from sscard.records.models import Enrolment

from .conftest import MARCH_2026, approved_employer, citizen_client, new_citizen

pytestmark = pytest.mark.django_db
ALL = ["pension", "medical", "unemployment", "work_injury"]


def next_month() -> date:
    today = timezone.localdate()
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def enrol(employer, person, start=MARCH_2026, types=ALL, user=None):
    return services.enrol(user=user or employer.registered_by, employer=employer, id_number=person.id_number,
                          name=person.real_name, start_month=start, types=types)


def test_the_employer_enrols_an_employee_from_the_workspace():
    employer = approved_employer()
    person = new_citizen("钱七")
    response = citizen_client(employer.registered_by).post(reverse("records:workspace"), {
        "action": "enrol", "enrol-id_number": person.id_number, "enrol-name": "钱七",
        "enrol-start_month": "2026-03", "enrol-types": ["pension", "medical", "work_injury"]})
    assert response.status_code == 302
    row = Enrolment.objects.get(id_number=person.id_number)
    assert (row.employer, row.start_month, row.end_month, row.types) == (
        employer, MARCH_2026, None, ["pension", "medical", "work_injury"])


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"enrol-id_number": "360426199101010072"}, "id_number",
     "The last character of the ID number does not match the others: please check for a typing mistake."),
    ({"enrol-start_month": "2026-13"}, "start_month", "Enter the month as YYYY-MM, for example 2026-03."),
    ({"enrol-start_month": "future"}, "start_month", "The month cannot be in the future."),
    ({"enrol-types": []}, "types", "This field is required."),
])
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_enrolled(data, field, message):
    employer = approved_employer()
    person = new_citizen("钱七")
    form = {"action": "enrol", "enrol-id_number": person.id_number, "enrol-name": "钱七",
            "enrol-start_month": "2026-03", "enrol-types": ["pension"]}
    form.update(data)
    if form["enrol-start_month"] == "future":
        form["enrol-start_month"] = f"{next_month():%Y-%m}"
    response = citizen_client(employer.registered_by).post(reverse("records:workspace"), form)
    assert response.status_code == 200  # the page again, the message next to the field
    assert response.context["enrol_form"].errors[field] == [message]
    assert not Enrolment.objects.exists()


def test_a_person_is_enrolled_with_one_employer_at_a_time_and_the_refusal_names_nobody():
    first = approved_employer(name="甲公司")
    second = approved_employer(name="乙公司")
    person = new_citizen("钱七")
    enrol(first, person)
    with pytest.raises(services.RecordsError) as refused:
        enrol(second, person)
    assert refused.value.code == "enrolled_elsewhere"
    for language in ("en", "zh-hans", "es"):
        with translation.override(language):
            text = refused.value.translated()
            assert "甲公司" not in text and first.credit_code not in text
    with translation.override("zh-hans"):
        assert refused.value.translated() == ("此人正在其他单位参加职工保险。同一时间只能在一个单位参保，"
                                              "请原单位先办理减员。")
    with pytest.raises(services.RecordsError) as refused:
        enrol(first, person)
    assert refused.value.code == "enrolled_here"
    assert Enrolment.objects.filter(id_number=person.id_number).count() == 1


def test_stopping_keeps_the_row_and_a_new_enrolment_is_a_new_row():
    first = approved_employer(name="甲公司")
    second = approved_employer(name="乙公司")
    person = new_citizen("钱七")
    row = enrol(first, person, start=date(2025, 1, 1))
    with pytest.raises(services.RecordsError) as refused:
        services.stop_enrolment(user=first.registered_by, employer=first, enrolment=row, end_month=date(2024, 12, 1))
    assert refused.value.code == "end_before_start"
    with pytest.raises(services.RecordsError) as refused:
        services.stop_enrolment(user=first.registered_by, employer=first, enrolment=row, end_month=next_month())
    assert refused.value.code == "future_month"
    with pytest.raises(services.RecordsError) as refused:  # another employer cannot stop it
        services.stop_enrolment(user=second.registered_by, employer=second, enrolment=row,
                                end_month=date(2026, 2, 1))
    assert refused.value.code == "not_enrolled"
    response = citizen_client(first.registered_by).post(reverse("records:workspace"), {
        "action": "stop", "enrolment": row.pk, "stop-end_month": "2026-02"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.end_month == date(2026, 2, 1) and row.stopped_by == first.registered_by
    # the new employer cannot start inside the months already covered, but from the next month on
    with pytest.raises(services.RecordsError) as refused:
        enrol(second, person, start=date(2026, 2, 1))
    assert refused.value.code == "overlap"
    again = enrol(second, person, start=MARCH_2026, types=["pension"])
    back = services.stop_enrolment(user=second.registered_by, employer=second, enrolment=again,
                                   end_month=this_month())
    assert back.end_month == this_month()
    assert list(Enrolment.objects.filter(id_number=person.id_number).order_by("start_month").values_list(
        "employer__name", "start_month", "end_month")) == [
        ("甲公司", date(2025, 1, 1), date(2026, 2, 1)), ("乙公司", MARCH_2026, this_month())]


def test_the_person_sees_current_and_past_enrolments_in_their_space():
    first = approved_employer(name="甲公司")
    second = approved_employer(name="乙公司")
    person = new_citizen("钱七")
    row = enrol(first, person, start=date(2025, 1, 1))
    services.stop_enrolment(user=first.registered_by, employer=first, enrolment=row, end_month=date(2026, 2, 1))
    enrol(second, person, start=MARCH_2026, types=["pension", "medical"])
    page = citizen_client(person).get(reverse("records:mine")).content.decode()
    assert page.index("乙公司") < page.index("甲公司")  # the current one first
    assert "2026-03" in page and "enrolled now" in page and "2025-01" in page and "2026-02" in page
    assert "Pension, Medical (incl. maternity)" in page
    nobody = citizen_client(new_citizen()).get(reverse("records:mine")).content.decode()
    assert "No employer has enrolled you in employee insurance." in nobody and "甲公司" not in nobody


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits; seeded data restored after
def test_two_employers_enrolling_the_same_person_at_the_same_moment_create_one_row():
    from .conftest import reseed_records

    reseed_records()
    employers = [approved_employer(name="甲公司"), approved_employer(name="乙公司")]
    person = new_citizen("钱七")
    barrier = threading.Barrier(2)
    outcomes = []

    def act(employer):
        try:
            barrier.wait()
            enrol(employer, person)
            outcomes.append("enrolled")
        except services.RecordsError as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - a lock timeout of the test database counts as refused
            outcomes.append(type(error).__name__)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=(e,)) for e in employers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Enrolment.objects.filter(id_number=person.id_number).count() == 1
    assert outcomes.count("enrolled") == 1
    assert [o for o in outcomes if o != "enrolled"] == ["enrolled_elsewhere"]


def test_the_database_itself_refuses_a_second_open_enrolment():
    from django.db import IntegrityError, transaction

    first, second = approved_employer(), approved_employer()
    person = new_citizen("钱七")
    row = enrol(first, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(employer=second, id_number=person.id_number, name="钱七", start_month=MARCH_2026,
                                 pension=True, created_by=second.registered_by, created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():  # and an enrolment without any insurance type
        Enrolment.objects.filter(pk=row.pk).update(pension=False, medical=False, unemployment=False,
                                                   work_injury=False)
