"""Switching the language in the middle of a step keeps what was typed: on a step page the language buttons
submit the step's form, whose values the draft keeps (not validated, the step not saved) before the language
switch, which comes back to the same step in the new language with the values in the form."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sscard.applications.models import Application, ApplicationDraft

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


# --- The confirmation step and the correction page (the last gaps of issue 11) -------------------------------

def buttons_of(page: str) -> list[str]:
    return re.findall(r'<button type="submit" name="language"[^>]*>', page)


def tick_box(page: str, name: str) -> str:
    boxes = re.findall(rf'<input type="checkbox" name="{name}"[^>]*>', page)
    assert len(boxes) == 1, boxes
    return boxes[0]


@pytest.fixture
def at_confirmation(citizen, fill):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(citizen)
    fill(client)
    return client


def test_the_language_buttons_of_the_confirmation_submit_its_form_and_the_photo_steps_do_not(at_confirmation):
    page = at_confirmation.get(step_url("confirm")).content.decode()
    assert '<form method="post" class="stacked panel" novalidate id="submit-form">' in page
    assert len(buttons_of(page)) == len(settings.LANGUAGES)
    assert all('form="submit-form"' in button for button in buttons_of(page))
    # The photo step: a photo is kept on the draft once uploaded; the buttons submit their own form.
    photo = at_confirmation.get(step_url("photo")).content.decode()
    assert not any("form=" in button for button in buttons_of(photo))


def test_switching_the_language_on_the_confirmation_keeps_its_ticks_and_submits_nothing(at_confirmation):
    draft = ApplicationDraft.objects.get()
    response = at_confirmation.post(step_url("confirm"), {"token": str(draft.token), "declaration": "on",
                                                          "language": "es"}, follow=True)
    assert [status for _url, status in response.redirect_chain] == [307, 302]
    assert response.redirect_chain[-1][0] == step_url("confirm")
    page = response.content.decode()
    assert '<html lang="es">' in page and "Revisar y presentar" in page
    assert " checked" in tick_box(page, "declaration")  # ticked before the switch
    assert " checked" not in tick_box(page, "consent")  # not ticked: still not ticked
    assert 'class="errorlist"' not in page  # the missing consent was not checked: nothing was submitted
    assert not Application.objects.exists()
    assert ApplicationDraft.objects.get().step == "confirm"
    # It is submitted as usual afterwards, in Spanish.
    done = at_confirmation.post(step_url("confirm"), {"token": str(draft.token), "declaration": "on",
                                                      "consent": "on"})
    assert done.status_code == 302 and Application.objects.count() == 1


def test_ticks_kept_over_a_switch_go_when_an_answer_is_changed(at_confirmation):
    draft = ApplicationDraft.objects.get()
    at_confirmation.post(step_url("confirm"), {"token": str(draft.token), "declaration": "on", "consent": "on",
                                               "language": "en"})
    at_confirmation.post(step_url("personal"), {**PERSONAL, "res_detail": "中北路 1 号"})  # saved again
    page = at_confirmation.get(step_url("confirm")).content.decode()
    assert " checked" not in tick_box(page, "declaration") and " checked" not in tick_box(page, "consent")


@pytest.fixture
def returned(citizen, fill, submit):
    from sscard.applications import services

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(citizen)
    fill(client)
    submit(client)
    application = Application.objects.get()
    services.change_state(application=application, to_state="under_review", role="reviewer")
    services.return_for_correction(application=application, actor=None,
                                   problems=[("address", "The building number is missing.")])
    application.refresh_from_db()
    return client, application


def correction(application, **changes):
    data = {"p-ethnicity": "01", "p-nationality": "CHN", "p-document_valid_until": "2035-01-01",
            "p-occupation": "2", "p-res_province": "420000", "p-res_city": "420100", "p-res_district": "420106",
            "p-res_detail": application.res_detail, "d-bank": str(application.bank_id), "d-delivery": "pickup",
            "d-outlet": str(application.outlet_id)}
    return {**data, **changes}


def test_switching_the_language_on_the_correction_page_keeps_the_corrections_typed(returned):
    client, application = returned
    url = reverse("applications:correct", args=[application.office_code])
    page = client.get(url).content.decode()
    assert '<form method="post" enctype="multipart/form-data" class="stacked panel" novalidate id="photo-form">' in page
    assert buttons_of(page) and all('form="photo-form"' in button for button in buttons_of(page))

    typed = correction(application, **{"p-res_detail": "中北路 100 号 1 栋 1 单元 101 室",
                                       "p-document_valid_until": "2036-07-08", "p-ethnicity": "03",
                                       "p-employer": ""})
    response = client.post(url, {**typed, "language": "es"}, follow=True)
    assert [status for _url, status in response.redirect_chain] == [307, 302]
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert '<html lang="es">' in page and "Corregir y volver a presentar" in page
    assert 'value="中北路 100 号 1 栋 1 单元 101 室"' in page and 'value="2036-07-08"' in page
    assert '<option value="03" selected>' in page
    assert 'class="errorlist"' not in page
    application.refresh_from_db()  # nothing was sent
    assert application.state == "returned" and application.res_detail == "中北路 100 号 1 栋 101 室"

    # Sent afterwards: the corrections are saved, and the page forgets what was typed.
    sent = client.post(url, correction(application, **{"p-res_detail": "中北路 100 号 1 栋 1 单元 101 室"}))
    assert sent.status_code == 302
    application.refresh_from_db()
    assert application.state == "resubmitted" and application.res_detail == "中北路 100 号 1 栋 1 单元 101 室"
    assert application.office_code not in client.session.get("applications:correction-typed", {})
