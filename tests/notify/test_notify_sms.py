import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from sscard.notify.models import OutboxSms
from sscard.notify.services import send_sms
from sscard.notify.sms import registry
from sscard.notify.sms.base import SmsDeliveryError, SmsGateway
from sscard.notify.sms.outbox import OutboxGateway

check_sms_gateway = registry.register.check  # the SMS gateway's part of the plugin-setting check

pytestmark = pytest.mark.django_db

PHONE = "13812341234"
CODE_TEXT = "[Hubei Government Services] Your verification code is 482913. It is valid for 5 minutes."


def test_sms_goes_to_the_outbox_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            send_sms(phone=PHONE, text=CODE_TEXT, purpose="code:login")
            assert not OutboxSms.objects.exists()  # not before the commit
    assert len(callbacks) == 1
    sms = OutboxSms.objects.get()
    assert (sms.phone, sms.text, sms.purpose) == (PHONE, CODE_TEXT, "code:login")
    assert sms.gateway_message_id.startswith("outbox-")


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            send_sms(phone=PHONE, text=CODE_TEXT, purpose="code:login")
            raise RuntimeError("the change failed")
    assert callbacks == []
    assert not OutboxSms.objects.exists()


def test_the_log_names_the_masked_phone_and_purpose_never_the_text_or_full_number(
    caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        send_sms(phone=PHONE, text=CODE_TEXT, purpose="code:register")

    lines = [record.getMessage() for record in caplog.records if record.name.startswith("sscard.notify")]
    assert len(lines) == 1
    assert "138****1234" in lines[0] and "code:register" in lines[0] and "outbox" in lines[0]
    assert "482913" not in caplog.text
    assert PHONE not in caplog.text


class FailingGateway(SmsGateway):
    identifier = "failing"

    def send(self, phone, text, *, purpose=""):
        raise SmsDeliveryError("SMS provider refused the message (HTTP 503)")


def test_a_delivery_failure_is_logged_masked_and_not_raised(caplog, settings, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY = "failing"
    caplog.set_level(logging.INFO)
    with registry.register.temporarily("failing", FailingGateway), \
            django_capture_on_commit_callbacks(execute=True):
        send_sms(phone=PHONE, text=CODE_TEXT, purpose="code:login")

    failures = [r for r in caplog.records if r.name.startswith("sscard.notify") and r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert "138****1234" in failures[0].getMessage() and "HTTP 503" in failures[0].getMessage()
    assert "482913" not in caplog.text and PHONE not in caplog.text


def test_the_registry_gives_the_gateway_named_in_settings(settings):
    settings.SMS_GATEWAY = "outbox"
    assert isinstance(registry.get_gateway(), OutboxGateway)
    assert {"outbox", "http"} <= set(registry.register)


def test_an_unknown_gateway_is_a_configuration_error(settings):
    settings.SMS_GATEWAY = "pigeon"
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        registry.get_gateway()
    assert [error.id for error in check_sms_gateway()] == ["notify.E001"]


def test_the_http_gateway_without_url_or_token_fails_the_system_check(settings):
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP_URL = ""
    settings.SMS_HTTP_TOKEN = ""
    assert [error.id for error in check_sms_gateway()] == ["notify.E002", "notify.E002"]
    settings.SMS_GATEWAY = "outbox"
    assert check_sms_gateway() == []


def test_a_gateway_id_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="already registered"):
        registry.register("outbox")(OutboxGateway)
