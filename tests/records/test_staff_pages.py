"""The records officer's pages per area, in the shape of tests/casework/test_permissions.py's table: what an
officer of the employer's area and one of another area get on each page of the employer registry."""

import pytest
from django.db import transaction
from django.urls import reverse

from sscard.audit.models import AuditEvent
from sscard.records.models import Employer

from .conftest import new_citizen, new_officer, register, staff_client

pytestmark = pytest.mark.django_db

# Written by hand: (url name, method) -> (in the area, out of the area).
#   listed / unlisted: 200 and the employer is / is not on the page; done / refused: the decision was / was not made
EXPECTED = {
    ("casework:records_employers", "get"): ("listed", "unlisted"),
    ("casework:records_employer", "get"): (200, 404),
    ("casework:records_employer_decide", "post"): ("done", 404),
}
AREAS = {"in": ["district:420106"], "out": ["district:420102"], "city": ["city:420100"], "outlet": None}


def _answer(name, method, employer, officer):
    client = staff_client(officer)
    if name == "casework:records_employers":
        response = client.get(reverse(name))
        assert response.status_code == 200
        return "listed" if employer.name in response.content.decode() else "unlisted"
    if method == "get":
        return client.get(reverse(name, args=[employer.pk])).status_code
    response = client.post(reverse(name, args=[employer.pk]), {"decision": "approve", "reason": ""})
    if response.status_code == 404:
        return 404
    return "done" if Employer.objects.get(pk=employer.pk).state == "approved" else "refused"


@pytest.mark.parametrize(("name", "method"), list(EXPECTED))
def test_each_records_page_answers_an_officer_in_and_out_of_the_employers_area(name, method):
    employer = register(new_citizen("王五"), district="420106", name="武昌示范有限公司")
    got = {}
    for area in ("in", "out"):
        with transaction.atomic():
            got[area] = _answer(name, method, employer, new_officer(AREAS[area]))
            transaction.set_rollback(True)
    assert (got["in"], got["out"]) == EXPECTED[(name, method)]


def test_a_city_officer_and_an_outlet_officer_see_the_employers_of_their_city_and_outlet_district():
    from tests.casework.conftest import jiangan, wuchang

    wuchang_employer = register(new_citizen(), district="420106", name="武昌公司")
    jiangan_employer = register(new_citizen(), district="420102", name="江岸公司")
    page = staff_client(new_officer(["city:420100"])).get(reverse("casework:records_employers")).content.decode()
    assert "武昌公司" in page and "江岸公司" in page
    page = staff_client(new_officer([f"outlet:{jiangan().pk}"])).get(
        reverse("casework:records_employers")).content.decode()
    assert "江岸公司" in page and "武昌公司" not in page
    assert wuchang().district_code == wuchang_employer.district_code and jiangan_employer.pk


def test_reading_an_employer_file_is_audited_and_the_officer_lands_on_the_registry():
    employer = register(new_citizen("王五"))
    officer = new_officer()
    client = staff_client(officer)
    assert client.get(reverse("accounts:staff_home")).url == reverse("casework:records_employers")
    assert client.get(reverse("casework:queue")).status_code == 403  # no casework role
    client.get(reverse("casework:records_employer", args=[employer.pk]))
    event = AuditEvent.objects.filter(event_type="records.employer_viewed").latest("seq")
    assert (event.actor_id, event.subject_id) == (officer.pk, employer.credit_code)


def test_a_rejection_without_a_reason_is_refused_next_to_the_reason():
    employer = register(new_citizen("王五"))
    response = staff_client(new_officer()).post(reverse("casework:records_employer_decide", args=[employer.pk]),
                                                {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Give the reason."]
    assert Employer.objects.get(pk=employer.pk).state == "pending"
