"""Dates are typed and shown as YYYY-MM-DD, the format the hint names, in every browser and language: a text
box, not the browser's date input (which shows mm/dd/yyyy in an en-US browser whatever the hint says)."""


import pytest
from django.test import Client

from sscard.applications.models import ApplicationDraft

from .conftest import PERSONAL, step_url

pytestmark = pytest.mark.django_db


def kept_until():
    return ApplicationDraft.objects.get().data["kept"]["personal"]["values"]["document_valid_until"]


@pytest.mark.parametrize("language", ["zh-hans", "es", "en"])
def test_the_date_box_is_a_text_box_showing_the_saved_date_as_yyyy_mm_dd(citizen, fill, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(citizen)
    fill(client, until="delivery")
    page = client.get(step_url("personal")).content.decode()
    assert 'type="date"' not in page
    assert 'type="text" name="document_valid_until" value="2035-01-01"' in page
    assert "YYYY-MM-DD" in page or "AAAA-MM-DD" in page  # the hint names the format the box shows


# What a person may type, and the date it means (written by hand).
TYPED = [
    ("2030-06-30", "2030-06-30"),
    (" 2030-6-3 ", "2030-06-03"),
    ("２０３０－０６－３０", "2030-06-30"),  # full-width digits from a Chinese input method
    ("2030/06/30", "2030-06-30"),
    ("2030.6.30", "2030-06-30"),
    ("2030年6月30日", "2030-06-30"),
    ("20300630", "2030-06-30"),
]


@pytest.mark.parametrize(("typed", "meant"), TYPED)
def test_a_date_typed_in_a_familiar_way_is_understood(logged_in, fill, typed, meant):
    fill(logged_in, until="personal")
    response = logged_in.post(step_url("personal"), {**PERSONAL, "document_valid_until": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert kept_until() == meant


@pytest.mark.parametrize("typed", ["06/30/2030", "30/06/2030", "2030-02-30", "2030-13-01", "2030630", "soon"])
def test_a_date_in_another_order_or_that_does_not_exist_is_refused_with_the_format(citizen, fill, typed):
    messages = {"en": "Enter the date as YYYY-MM-DD, for example 2030-06-30.",
                "zh-hans": "请按YYYY-MM-DD格式输入日期，例如2030-06-30。",
                "es": "Escriba la fecha en formato AAAA-MM-DD, por ejemplo 2030-06-30."}
    for language, message in messages.items():
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(citizen)
        fill(client, until="personal")
        page = client.post(step_url("personal"), {**PERSONAL, "document_valid_until": typed}).content.decode()
        assert message in page, language
        assert 'id="id_document_valid_until_errors"' in page
