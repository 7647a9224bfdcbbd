"""Issue 9: SMS pumping. Codes are limited per phone, and also per client (address) and site-wide; a tripped
limit is counted in a metric (by scope) and audited without full phone numbers or addresses."""

import json

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from sscard.accounts.models import SmsCode
from sscard.audit.models import AuditEvent

REGISTER = "/accounts/register"
SENT = "A verification code was sent to"
CLIENT_LIMITED = "Too many codes were requested from your network. Try again later."
SITE_LIMITED = "The SMS service is very busy right now. Try again in a while, or come to a service counter."


def trips(scope: str) -> float:
    return REGISTRY.get_sample_value("sscard_limit_trips_total", {"scope": scope}) or 0.0


def browser(address: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)


def send(client, phone, django_capture_on_commit_callbacks, url=REGISTER) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, {"action": "send_code", "phone": phone}).content.decode()


@pytest.mark.django_db
def test_codes_per_client_are_limited(settings, django_capture_on_commit_callbacks):
    settings.SMS_CODE_CLIENT_LIMIT = 3
    pumper = browser("10.1.0.1")
    before = trips("sms_client")
    phones = ["13900000001", "13900000002", "13900000003", "13900000004", "13900000005"]
    pages = [send(pumper, phone, django_capture_on_commit_callbacks) for phone in phones]
    assert [SENT in page for page in pages] == [True, True, True, False, False]
    assert all(CLIENT_LIMITED in page for page in pages[3:])
    assert SmsCode.objects.count() == 3
    assert trips("sms_client") - before == 2
    # another client is not limited by the first one
    assert SENT in send(browser("10.1.0.2"), "13900000004", django_capture_on_commit_callbacks)
    # one audit event for the trip, with masked data only
    event = AuditEvent.objects.get(event_type="limit.tripped", subject_id="sms_client")
    assert event.data["scope"] == "sms_client" and event.data["purpose"] == "register"
    text = json.dumps(event.data)
    assert "139****0004" in text
    assert not any(phone in text for phone in phones) and "10.1.0.1" not in text


@pytest.mark.django_db
def test_the_limit_per_client_applies_alike_to_log_in_codes_for_unknown_numbers(citizen, settings,
                                                                                django_capture_on_commit_callbacks):
    settings.SMS_CODE_CLIENT_LIMIT = 1
    client = browser("10.1.1.1")
    assert SENT in send(client, "13311112222", django_capture_on_commit_callbacks, "/accounts/login/sms")
    assert CLIENT_LIMITED in send(client, citizen.phone, django_capture_on_commit_callbacks, "/accounts/login/sms")


@pytest.mark.django_db
def test_codes_of_the_whole_site_are_limited(settings, django_capture_on_commit_callbacks):
    settings.SMS_CODE_SITE_LIMIT = 2
    before = trips("sms_site")
    pages = [send(browser(f"10.2.0.{n}"), f"1390000010{n}", django_capture_on_commit_callbacks) for n in range(4)]
    assert [SENT in page for page in pages] == [True, True, False, False]
    assert all(SITE_LIMITED in page for page in pages[2:])
    assert SmsCode.objects.count() == 2
    assert trips("sms_site") - before == 2
    assert AuditEvent.objects.filter(event_type="limit.tripped", subject_id="sms_site").count() == 1


@pytest.mark.django_db
def test_the_per_phone_resend_limit_is_counted_too(settings, django_capture_on_commit_callbacks):
    before = trips("sms_phone_interval")
    client = browser("10.3.0.1")
    assert SENT in send(client, "13900000201", django_capture_on_commit_callbacks)
    assert "less than a minute ago" in send(client, "13900000201", django_capture_on_commit_callbacks)
    assert trips("sms_phone_interval") - before == 1


@pytest.mark.django_db
def test_limit_messages_are_translated(settings, django_capture_on_commit_callbacks):
    settings.SMS_CODE_CLIENT_LIMIT = 0
    for language, fragment in (("zh-hans", "您所在网络请求的验证码过多"), ("es", "Se han pedido demasiados códigos")):
        client = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR="10.4.0.1")
        assert fragment in send(client, "13900000301", django_capture_on_commit_callbacks)
