"""Switching the language in the middle of a step keeps what was typed: on a step page the language buttons
submit the step's form, whose values the draft keeps (not validated, the step not saved) before the language
switch, which comes back to the same step in the new language with the values in the form."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sscard.applications.models import ApplicationDraft

from .conftest import PERSONAL, step_url

pytestmark = pytest.mark.django_db

# Half of the personal step, as typed before pressing "Español" (no district and no occupation yet).
HALF_TYPED = {"ethnicity": "03", "nationality": "CHN", "document_valid_until": "2031-02-03", "occupation": "",
              "employer": "武汉大学", "res_province": "420000", "res_city": "420100", "res_district": "",
              "res_detail": "珞喻路 129 号"}


@pytest.fixture
def chinese(citizen, fill):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(citizen)
    fill(client, until="personal")
    return client


def test_the_language_buttons_of_a_step_page_submit_the_steps_form(chinese):
    page = chinese.get(step_url("personal")).content.decode()
    assert '<form method="post" class="stacked panel" id="step-form" novalidate>' in page
    buttons = re.findall(r'<button type="submit" name="language"[^>]*>', page)
    assert len(buttons) == len(settings.LANGUAGES)
    assert all('form="step-form"' in button for button in buttons)
    other = chinese.get(reverse("applications:service")).content.decode()
    assert 'form="step-form"' not in other  # elsewhere they submit their own form, as before


def test_switching_the_language_mid_step_keeps_what_was_typed(chinese):
    response = chinese.post(step_url("personal"), {**HALF_TYPED, "language": "es"}, follow=True)
    assert [status for _url, status in response.redirect_chain] == [307, 302]
    assert response.redirect_chain[-1][0] == step_url("personal")
    page = response.content.decode()
    assert '<html lang="es">' in page and "Datos personales" in page
    for value in ("2031-02-03", "武汉大学", "珞喻路 129 号"):
        assert f'value="{value}"' in page, value
    assert '<option value="03" selected>' in page
    assert 'class="errorlist"' not in page  # nothing was checked yet: no error for the fields not filled
    assert chinese.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    draft = ApplicationDraft.objects.get()
    assert draft.step == "personal" and "personal" not in draft.data  # the step is not saved ...
    assert draft.data["typed"]["personal"]["res_detail"] == "珞喻路 129 号"  # ... only kept as typed

    # Back in Chinese later: still there.
    again = chinese.get(step_url("personal")).content.decode()
    assert 'value="珞喻路 129 号"' in again


def test_the_typed_values_go_when_the_step_is_saved(chinese):
    chinese.post(step_url("personal"), {**HALF_TYPED, "language": "en"})
    response = chinese.post(step_url("personal"), {**PERSONAL, "res_detail": "中北路 1 号"})
    assert response.status_code == 302 and response.url == step_url("delivery")
    draft = ApplicationDraft.objects.get()
    assert draft.data["typed"] == {} and draft.data["personal"]["res_detail"] == "中北路 1 号"
    page = chinese.get(step_url("personal")).content.decode()
    assert 'value="中北路 1 号"' in page and "珞喻路 129 号" not in page


def test_the_first_step_keeps_a_childs_details_typed_before_a_switch(citizen):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(citizen)
    client.get(reverse("applications:apply"))
    response = client.post(step_url("applicant"), {"applying_for": "child", "child_name": "李小明",
                                                   "child_id_number": "", "relationship": "",
                                                   "language": "zh-hans"}, follow=True)
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert 'name="child_name" value="李小明"' in page
    assert '<input type="radio" name="applying_for" value="child" id="id_applying_for_1" required checked>' in page
