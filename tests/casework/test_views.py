"""The workbench pages: who gets in, what each one shows."""

import pytest
from django.urls import reverse

from sscard.casework import services
from sscard.domain.casestates import State

from .conftest import new_application, staff_client

pytestmark = pytest.mark.django_db


def test_the_staff_home_leads_to_the_workbench(reviewer, client):
    assert client.get(reverse("casework:queue")).status_code == 302  # not logged in
    c = staff_client(reviewer)
    assert c.get("/accounts/staff/").url == reverse("casework:queue")


def test_citizens_and_staff_without_a_role_are_kept_out(application, client):
    client.force_login(application.applicant)
    assert client.get(reverse("casework:queue")).status_code == 302
    from sscard.accounts.services import create_staff

    plain = create_staff(username="norole", password="Strong-pass-2026", real_name="x")
    assert staff_client(plain).get(reverse("casework:queue")).status_code == 403


def test_the_queue_filters_by_stage_area_overdue_and_assignment(reviewer):
    mine = new_application()
    other = new_application(state=State.UNDER_REVIEW)
    far = new_application(district="420102")
    services.claim(staff=reviewer, application=mine)
    c = staff_client(reviewer)
    page = c.get(reverse("casework:queue")).content.decode()
    assert mine.display_code in page and other.display_code in page and far.display_code not in page
    assert mine.subject_name not in page  # names are masked
    page = c.get(reverse("casework:queue"), {"mine": "on"}).content.decode()
    assert mine.display_code in page and other.display_code not in page
    page = c.get(reverse("casework:queue"), {"stage": "submitted"}).content.decode()
    assert other.display_code not in page
    page = c.get(reverse("casework:queue"), {"overdue": "on"}).content.decode()
    assert mine.display_code not in page
    page = c.get(reverse("casework:queue"), {"area": "district:420106"}).content.decode()
    assert other.display_code in page


def test_a_case_outside_the_area_is_not_found(reviewer):
    far = new_application(district="420102")
    c = staff_client(reviewer)
    assert c.get(reverse("casework:case", args=[far.office_code])).status_code == 404
    assert c.get(reverse("casework:case_photo", args=[far.office_code])).status_code == 404
    response = c.post(reverse("casework:case_action", args=[far.office_code, "claim"]),
                      {"claim-expected_state": "submitted"})
    assert response.status_code == 404


def test_return_form_errors_are_shown_next_to_the_fields(reviewer, application):
    services.claim(staff=reviewer, application=application)
    c = staff_client(reviewer)
    response = c.post(reverse("casework:case_action", args=[application.office_code, "return"]),
                      {"return-expected_state": "under_review", "return-r_photo_quality": "on"})
    assert response.status_code == 200
    assert "Write a note for the reason" in response.content.decode()


def test_each_role_reaches_its_pages(reviewer, production, clerk, supervisor):
    pages = {
        "casework:bank": {production, supervisor}, "casework:production": {production, supervisor},
        "casework:post": {production, supervisor}, "casework:outlet": {clerk, supervisor},
        "casework:dashboard": {supervisor},
    }
    for name, allowed in pages.items():
        for member in (reviewer, production, clerk, supervisor):
            status = staff_client(member).get(reverse(name)).status_code
            assert status == (200 if member in allowed else 403), (name, member)


def test_the_photo_is_shown_to_staff_of_the_area(reviewer, application):
    response = staff_client(reviewer).get(reverse("casework:case_photo", args=[application.office_code]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_create_staff_member_accepts_roles_and_areas():
    from sscard.reference.models import Outlet

    outlet = Outlet.objects.first()
    member = services.create_staff_member(username="demo-clerk", password="Strong-pass-2026", real_name="王",
                                          roles=["clerk", "reviewer"],
                                          areas=[f"outlet:{outlet.pk}", ("district", "420106"), "city:420100"])
    assert member.is_staff and member.has_perm("casework.outlet_counter")
    assert sorted(a.key for a in member.staff_areas.all()) == sorted(
        [f"outlet:{outlet.pk}", "district:420106", "city:420100"])
    with pytest.raises(ValueError):
        services.create_staff_member(username="x", password="Strong-pass-2026", real_name="x", roles=["boss"])
    with pytest.raises(ValueError):
        services.create_staff_member(username="y", password="Strong-pass-2026", real_name="y", roles=[],
                                     areas=["province:42"])


def _events_since(seq):
    from sscard.audit.models import AuditEvent

    return [(e.event_type, e.actor_id, e.subject_type, e.subject_id)
            for e in AuditEvent.objects.filter(seq__gt=seq).order_by("seq")]


def _last_seq():
    from sscard.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def test_each_staff_view_of_a_case_photo_is_audited(reviewer, application):
    c = staff_client(reviewer)
    url = reverse("casework:case_photo", args=[application.office_code])
    start = _last_seq()
    assert c.get(url).status_code == 200
    assert c.get(url).status_code == 200
    assert _events_since(start) == [
        ("casework.photo_viewed", reviewer.pk, "card_application", application.office_code),
        ("casework.photo_viewed", reviewer.pk, "card_application", application.office_code)]
    far = new_application(district="420102")
    start = _last_seq()
    assert c.get(reverse("casework:case_photo", args=[far.office_code])).status_code == 404
    assert _events_since(start) == []  # nothing was read


def test_each_showing_of_the_case_page_is_audited(reviewer, application):
    c = staff_client(reviewer)
    start = _last_seq()
    assert c.get(reverse("casework:case", args=[application.office_code])).status_code == 200
    viewed = ("casework.case_viewed", reviewer.pk, "card_application", application.office_code)
    assert _events_since(start) == [viewed]
    # the page shown again with a form error is read again
    services.claim(staff=reviewer, application=application)
    start = _last_seq()
    response = c.post(reverse("casework:case_action", args=[application.office_code, "return"]),
                      {"return-expected_state": "under_review", "return-r_photo_quality": "on"})
    assert response.status_code == 200
    assert _events_since(start) == [viewed]
