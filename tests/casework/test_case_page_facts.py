"""The case page shows every field the citizen entered: regions by name, coded values in the staff member's
language, personal data masked and revealable in full with a reason (each reveal audited)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from sscard.audit.models import AuditEvent

from .conftest import new_application

DETAIL = "中北路 100 号 1 栋 101 室"   # the residential detail the fixtures enter
POST_DETAIL = "珞喻路 1 号"


def client_for(user, language):
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


def text_of(response) -> str:
    """The page's text, tags removed (a revealed value is wrapped in its own element)."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def case_page(user, application, language="en"):
    response = client_for(user, language).get(reverse("casework:case", args=[application.office_code]))
    assert response.status_code == 200
    return text_of(response)


def reveal(user, application, field, reason="Citizen on the phone", language="en"):
    response = client_for(user, language).post(
        reverse("casework:case_action", args=[application.office_code, "reveal"]),
        {"field": field, f"reveal-{field}-field": field, f"reveal-{field}-reason": reason})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return text_of(response)


# Expected text by language, written by hand: (district, ethnic group, nationality, occupation).
EXPECTED = {
    "en": ("湖北省武汉市武昌区 (Wuchang District)", "Han (汉族)", "China", "Professional or technical staff"),
    "es": ("湖北省武汉市武昌区 (Distrito de Wuchang)", "Han (汉族)", "China", "Personal profesional o técnico"),
    "zh-hans": ("湖北省武汉市武昌区", "汉族", "中国", "专业技术人员"),
}


@pytest.mark.parametrize("language", EXPECTED)
def test_the_case_page_names_regions_and_coded_values_in_the_staff_language(reviewer, language):
    application = new_application()
    page = case_page(reviewer, application, language)
    district, ethnic, nationality, occupation = EXPECTED[language]
    assert f"{district} ***" in page
    assert "420106 ***" not in page
    for text in (ethnic, nationality, occupation, "2035-01-01"):
        assert text in page, text
    if language == "zh-hans":
        assert "(Wuchang" not in page and "Han (" not in page
    # personal data stays masked
    assert DETAIL not in page and application.subject_id_number not in page
    assert application.subject_birth_date.isoformat() not in page


def test_revealing_the_residential_address_shows_it_in_full_and_is_audited(reviewer):
    application = new_application()
    page = reveal(reviewer, application, "res_detail", reason="Checking the address with the citizen")
    assert f"湖北省武汉市武昌区 (Wuchang District) {DETAIL}" in page
    event = AuditEvent.objects.get(event_type="casework.revealed")
    assert event.actor == reviewer and event.data["field"] == "res_detail"
    assert "Checking the address with the citizen" in str(event.data)
    # shown once: the next view is masked again
    assert DETAIL not in case_page(reviewer, application)


@pytest.mark.parametrize(("field", "shown"), [
    ("post_detail", "湖北省武汉市武昌区 (Wuchang District) " + POST_DETAIL),
    ("recipient_name", None),   # the recipient's full name (the citizen's own, from the fixture)
    ("subject_birth_date", None),
])
def test_every_personal_field_of_a_posted_case_is_masked_and_revealable(reviewer, field, shown):
    application = new_application(delivery="post")
    full = {"recipient_name": application.recipient_name,
            "subject_birth_date": application.subject_birth_date.isoformat()}.get(field)
    page = case_page(reviewer, application)
    assert POST_DETAIL not in page and application.recipient_name not in page
    assert "湖北省武汉市武昌区 (Wuchang District) ***" in page
    page = reveal(reviewer, application, field)
    assert (shown or full) in page
    assert AuditEvent.objects.filter(event_type="casework.revealed", data__field=field).count() == 1


def test_a_staff_member_without_the_reveal_permission_gets_no_reveal_form_and_no_value(production):
    application = new_application()
    page = case_page(production, application)
    assert "reveal-res_detail-reason" not in page
    client_for(production, "en").post(
        reverse("casework:case_action", args=[application.office_code, "reveal"]),
        {"field": "res_detail", "reveal-res_detail-field": "res_detail", "reveal-res_detail-reason": "x"})
    assert not AuditEvent.objects.filter(event_type="casework.revealed").exists()
