"""The citizen's preferred language is kept on the account (issue 11): set at registration (the page's
language), changed by the language switch, applied at log-in; notices to an account go out in it."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from sscard.accounts.models import User
from sscard.accounts.services import set_preferred_language
from sscard.notify.models import Message, OutboxSms

from .conftest import PASSWORD, last_code

REGISTER = "/accounts/register"
LOGIN = "/accounts/login"
SWITCH = "/prefs/language"

WELCOME = {"es": "Le damos la bienvenida al servicio de la tarjeta de seguridad social",
           "zh-hans": "欢迎使用社会保障卡服务",
           "en": "Welcome to the social security card service"}


def registration(person, code):
    return {"action": "register", "real_name": person["real_name"], "document_type": "resident_id",
            "id_number": person["id_number"], "phone": person["phone"], "sms_code": code,
            "password1": PASSWORD, "password2": PASSWORD, "accept_terms": "on"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "zh-hans", "en"])
def test_registration_keeps_the_language_the_page_was_in(person, language, django_capture_on_commit_callbacks):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, {"action": "send_code", "phone": person["phone"]})
    if language == "es":  # a phone without an account: the code in the page's language
        assert OutboxSms.objects.get().text.startswith("[Servicios Gubernamentales de Hubei] Su código de verificación")
    response = client.post(REGISTER, registration(person, last_code(person["phone"])))
    assert response.status_code == 302
    user = User.objects.get(id_number=person["id_number"])
    assert user.preferred_language == language
    welcome = Message.objects.get(user=user)
    assert welcome.subject == WELCOME[language]


@pytest.mark.django_db
def test_the_language_switch_changes_a_signed_in_citizens_language(citizen):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(citizen)
    client.post(SWITCH, {"language": "es", "next": "/accounts/home"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "es"
    client.post(SWITCH, {"language": "xx", "next": "/accounts/home"})  # not a language of the site: ignored
    citizen.refresh_from_db()
    assert citizen.preferred_language == "es"
    # Anonymous visitors switch too, and no account changes.
    Client().post(SWITCH, {"language": "en", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "es"


@pytest.mark.django_db
def test_log_in_brings_the_accounts_language_to_a_browser_in_another_one(citizen):
    set_preferred_language(user=citizen, language="es")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(LOGIN, {"identifier": citizen.phone, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    home = client.get("/accounts/home")
    assert '<html lang="es"' in home.content.decode()


@pytest.mark.django_db
def test_log_in_without_a_kept_language_leaves_the_browsers_choice(citizen):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(LOGIN, {"identifier": citizen.phone, "password": PASSWORD})
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_owner_of_a_squatted_id_number_is_told_in_their_own_language(citizen, person,
                                                                          django_capture_on_commit_callbacks):
    set_preferred_language(user=citizen, language="es")
    newcomer = "13911112222"
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")  # whoever tries it reads Chinese
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, {"action": "send_code", "phone": newcomer})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, {**registration(person, last_code(newcomer)), "phone": newcomer, "real_name": "赵六"})
    sms = OutboxSms.objects.get(phone=citizen.phone)
    masked_id = person["id_number"][:6] + "********" + person["id_number"][-4:]
    assert sms.text == ("[Servicios de Gobierno de Hubei] Alguien con el número de móvil 139****2222 intentó registrar "
                        f"una cuenta nueva con su número de documento {masked_id}. Su cuenta no ha cambiado. Si no fue "
                        "usted y vuelve a ocurrir, llame a la línea de atención.")
    notice = Message.objects.filter(user=citizen).order_by("-id").first()
    with translation.override("zh-hans"):
        assert notice.shown_subject == "有人尝试以您的证件号码注册"


SMS_LOGIN = "/accounts/login/sms"
RESET = "/accounts/password-reset"
UNKNOWN_PHONE = "13311112222"
CODE_SMS = {  # written by hand, with the code as ######
    "es": "[Servicios Gubernamentales de Hubei] Su código de verificación es ######. Es válido durante 5 minutos. "
          "No se lo comunique a nadie.",
    "zh-hans": "【湖北政务服务网】您的验证码：######，5分钟内有效，请勿告知他人。",
}


def page_answer(response) -> tuple[int, str]:
    """What the page shows, with the phone number (the only thing that differs) taken out."""
    page = response.content.decode()
    for phone in ("13800138000", UNKNOWN_PHONE):
        page = page.replace(phone, "PHONE").replace(phone[:3] + "****" + phone[-4:], "MASKED")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "CSRF", page)
    return response.status_code, page


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SMS_LOGIN, RESET])
def test_a_code_goes_out_in_the_accounts_language_whatever_the_page_was_in(citizen, url,
                                                                          django_capture_on_commit_callbacks):
    set_preferred_language(user=citizen, language="es")
    pages = {}
    for phone in (citizen.phone, UNKNOWN_PHONE):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        with django_capture_on_commit_callbacks(execute=True):
            pages[phone] = page_answer(client.post(url, {"action": "send_code", "phone": phone}))
    sms = OutboxSms.objects.get(phone=citizen.phone)
    assert re.sub(r"\d{6}", "######", sms.text) == CODE_SMS["es"]
    assert not OutboxSms.objects.filter(phone=UNKNOWN_PHONE).exists()  # no account: nothing is sent
    assert pages[citizen.phone] == pages[UNKNOWN_PHONE]  # the page says nothing about the account
    assert "验证码已发送至MASKED" in pages[citizen.phone][1]  # in the page's language


@pytest.mark.django_db
def test_a_code_to_an_account_without_a_kept_language_goes_out_in_the_pages_language(
        citizen, django_capture_on_commit_callbacks):
    citizen.preferred_language = ""
    citizen.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(SMS_LOGIN, {"action": "send_code", "phone": citizen.phone})
    assert re.sub(r"\d{6}", "######", OutboxSms.objects.get(phone=citizen.phone).text) == CODE_SMS["zh-hans"]
