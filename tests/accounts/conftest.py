import re
from datetime import date

import pytest
from django.test import Client

from sscard.accounts import services
from sscard.domain.idnumber import make_id_number

PASSWORD = "Strong-pass-2026"


def forget_sms_throttles() -> None:
    """Forget the one-code-a-minute throttle of every phone (the caller moves the earlier codes back in time).
    With Redis the sessions live in the same cache, so only the throttle keys are deleted there; otherwise the
    (local-memory) cache is cleared."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.SESSION_ENGINE.endswith(".cache"):
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match="*sms-throttle:*"):
            client.delete(key)
    else:
        cache.clear()


def last_code(phone: str) -> str:
    from sscard.notify.models import OutboxSms

    sms = OutboxSms.objects.filter(phone=phone).order_by("-id").first()
    assert sms is not None, "no SMS was sent"
    match = re.search(r"(?<!\d)(\d{6})(?!\d)", sms.text)
    assert match, sms.text
    return match.group(1)


@pytest.fixture
def client():
    """A browser that asks for English pages, so assertions can quote the English messages."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def person():
    return {"real_name": "张三", "id_number": make_id_number("420106", date(1990, 3, 7), 123),
            "phone": "13800138000"}


@pytest.fixture
def citizen(db, person):
    return services.create_citizen(document_type="resident_id", password=PASSWORD, channel="test", **person)


@pytest.fixture
def send_code(client, django_capture_on_commit_callbacks):
    """Press "Send code" on a page; the SMS goes out when the transaction commits."""
    def send(url: str, phone: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"action": "send_code", "phone": phone, **extra})
    return send
