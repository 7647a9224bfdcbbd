"""Employer registration by its legal representative, review by a records officer of the area, the
representative told in their language, the file kept permanently."""

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from sscard.audit.models import AuditEvent
from sscard.notify.models import Message, PendingDelivery
from sscard.records import services
from sscard.records.models import Employer, EmployerMembership
from sscard.records.selectors import employers_visible_to

from .conftest import (
    approved_employer,
    citizen_client,
    fresh_code,
    new_citizen,
    new_officer,
    register,
    staff_client,
)

pytestmark = pytest.mark.django_db


def test_a_citizen_registers_an_officer_approves_and_the_representative_acts():
    citizen = new_citizen("王五")
    client = citizen_client(citizen)
    code = fresh_code()
    response = client.post(reverse("records:register"), {
        "credit_code": code.lower(), "name": "武昌示范有限公司", "address": "中北路 100 号", "district_code": "420106",
        "industry_class": "3", "representative_name": "王五", "representative_id_number": citizen.id_number})
    assert response.status_code == 302
    employer = Employer.objects.get(credit_code=code)
    assert (employer.state, employer.industry_class, employer.registered_by) == ("pending", 3, citizen)
    # not acting yet: the workspace shows the registration waiting for review
    page = client.get(reverse("records:workspace")).content.decode()
    assert "Waiting for review" in page and "Enrol an employee" not in page

    officer = new_officer(["district:420106"])
    officers_page = staff_client(officer).get(reverse("casework:records_employers"))
    assert "武昌示范有限公司" in officers_page.content.decode()
    detail = staff_client(officer).get(reverse("casework:records_employer", args=[employer.pk])).content.decode()
    assert citizen.id_number not in detail and citizen.masked_id_number in detail  # masked
    decided = staff_client(officer).post(reverse("casework:records_employer_decide", args=[employer.pk]),
                                         {"decision": "approve", "reason": ""})
    assert decided.status_code == 302
    employer.refresh_from_db()
    assert employer.state == "approved" and employer.decided_by == officer
    membership = EmployerMembership.objects.get(employer=employer)
    assert (membership.user, membership.role, membership.granted_by) == (citizen, "representative", officer)
    assert set(AuditEvent.objects.filter(subject_id=code).values_list("event_type", flat=True)) >= {
        "records.employer_registered", "records.employer_viewed", "records.employer_approved"}

    page = client.get(reverse("records:workspace")).content.decode()
    assert "Enrol an employee" in page and "Authorise an agent" in page and "Legal representative" in page


def test_the_representative_is_told_the_decision_in_their_language():
    citizen = new_citizen()
    citizen.preferred_language = "es"
    citizen.save()
    employer = register(citizen)
    services.decide_employer(staff=new_officer(), employer=employer, approve=False,
                             reason="Falta la licencia comercial")
    sms = PendingDelivery.objects.get(recipient=citizen.phone)
    assert sms.text == "El registro de 武昌示范有限公司 no se ha aprobado: Falta la licencia comercial"
    message = Message.objects.filter(user=citizen).latest("pk")
    with translation.override("zh-hans"):  # the in-site message follows the reader's language when read
        assert message.shown_subject == "单位登记未通过"
        assert message.shown_body == (f"武昌示范有限公司（统一社会信用代码 {employer.credit_code}）的单位登记未通过审核。"
                                      "理由：Falta la licencia comercial")
    with translation.override("es"):
        assert message.shown_subject == "Registro de empresa no aprobado"


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"representative_id_number": "other"}, "representative_id_number", "not_representative"),
    ({"representative_name": "李四"}, "representative_id_number", "not_representative"),
    ({"credit_code": "91420106MA4K12345B"}, "credit_code", "credit_code_check"),
    ({"credit_code": "9142010"}, "credit_code", "credit_code_length"),
    ({"district_code": "420100"}, "district_code", "district"),  # a city, not a district
    ({"representative_id_number": "420106199001011230"}, "representative_id_number", "id_number_checksum"),
])
def test_a_registration_breaking_a_rule_is_refused_next_to_its_field_and_saves_nothing(change, field, code):
    citizen = new_citizen("王五")
    other = new_citizen("李四")
    values = {"credit_code": fresh_code(), "name": "示范公司", "address": "中北路 1 号",
              "representative_name": "王五", "representative_id_number": citizen.id_number, "industry_class": 3,
              "district_code": "420106"}
    values.update({k: (other.id_number if v == "other" else v) for k, v in change.items()})
    with pytest.raises(services.RecordsError) as refused:
        services.register_employer(user=citizen, **values)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not Employer.objects.exists()


def test_the_refusals_read_in_english_chinese_and_spanish():
    citizen = new_citizen("王五")
    with pytest.raises(services.RecordsError) as refused:
        services.register_employer(user=citizen, credit_code="91420106MA4K12345B", name="x", address="y",
                                   representative_name="王五", representative_id_number=citizen.id_number,
                                   industry_class=1, district_code="420106")
    answers = {}
    for language in ("en", "zh-hans", "es"):
        with translation.override(language):
            answers[language] = refused.value.translated()
    assert answers["en"].startswith("The last character of the unified social credit code does not match")
    assert answers["zh-hans"].startswith("统一社会信用代码")
    assert answers["es"].startswith("El último carácter del código unificado de crédito social")


def test_a_credit_code_is_registered_once_but_a_rejected_registration_may_be_made_again():
    citizen = new_citizen()
    first = register(citizen)
    with pytest.raises(services.RecordsError) as refused:
        register(citizen, code=first.credit_code)
    assert refused.value.code == "already_registered"
    services.decide_employer(staff=new_officer(), employer=first, approve=False, reason="Wrong address")
    again = register(citizen, code=first.credit_code)
    assert again.state == "pending" and Employer.objects.filter(credit_code=first.credit_code).count() == 2


def test_a_rejection_needs_a_reason_and_a_decided_registration_is_not_decided_again():
    employer = register(new_citizen())
    officer = new_officer()
    with pytest.raises(services.RecordsError) as refused:
        services.decide_employer(staff=officer, employer=employer, approve=False, reason=" ")
    assert refused.value.code == "reason"
    services.decide_employer(staff=officer, employer=employer, approve=True)
    with pytest.raises(services.RecordsError) as refused:
        services.decide_employer(staff=new_officer(), employer=employer, approve=False, reason="late")
    assert refused.value.code == "decided"
    assert EmployerMembership.objects.filter(employer=employer).count() == 1


def test_staff_see_and_decide_only_the_employers_of_their_areas():
    wuchang = register(new_citizen(), district="420106")
    jiangan = register(new_citizen(), district="420102")
    elsewhere = register(new_citizen(), district="420111")
    district, city, jiangan_officer = (new_officer(["district:420106"]), new_officer(["city:420100"]),
                                       new_officer(["district:420102"]))
    nowhere = new_officer([])
    assert set(employers_visible_to(district)) == {wuchang}
    assert set(employers_visible_to(city)) == {wuchang, jiangan, elsewhere}
    assert set(employers_visible_to(jiangan_officer)) == {jiangan}
    assert list(employers_visible_to(nowhere)) == []
    with pytest.raises(services.RecordsError) as refused:
        services.decide_employer(staff=district, employer=jiangan, approve=True)
    assert refused.value.code == "area"
    jiangan.refresh_from_db()
    assert jiangan.state == "pending"
    assert staff_client(district).get(reverse("casework:records_employer", args=[jiangan.pk])).status_code == 404


@pytest.mark.parametrize(("roles", "answer"), [
    # (casework roles, what the employer registry answers): only the records role reads it
    (["reviewer"], 403), (["supervisor"], 403), (["auditor"], 403), ([], 403), ("officer", 200)])
def test_only_records_officers_open_the_employer_registry(roles, answer):
    from .conftest import new_staff

    staff = new_officer() if roles == "officer" else new_staff(roles)
    assert staff_client(staff).get(reverse("casework:records_employers")).status_code == answer


def test_the_employer_file_is_kept_permanently():
    employer = approved_employer()
    for model in (Employer, EmployerMembership):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_delete_permission(None, employer)
        assert not model_admin.has_change_permission(None, employer)
    with pytest.raises(ProtectedError):
        employer.delete()
    with pytest.raises(ProtectedError):
        employer.registered_by.delete()
    assert Employer.objects.filter(pk=employer.pk).exists()


def test_the_workspace_lists_a_rejected_registration_with_its_reason_and_anonymous_visitors_log_in_first():
    citizen = new_citizen()
    employer = register(citizen, name="驳回示范公司")
    services.decide_employer(staff=new_officer(), employer=employer, approve=False, reason="营业执照不清晰")
    page = citizen_client(citizen).get(reverse("records:workspace")).content.decode()
    assert "驳回示范公司" in page and "Rejected" in page and "营业执照不清晰" in page
    assert "Enrol an employee" not in page
    from django.test import Client

    for name in ("records:workspace", "records:mine", "records:register"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "/accounts/login" in response.url
