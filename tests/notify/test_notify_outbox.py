"""The SMS outbox: written with the business change, delivered after the commit, retried, swept, idempotent."""

import logging
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.db import transaction
from django.utils import timezone

from sscard import celery_app
from sscard.notify import services
from sscard.notify.models import OutboxSms, PendingDelivery
from sscard.notify.services import attempt_delivery, send_sms, sweep
from sscard.notify.sms import registry
from sscard.notify.sms.base import SmsDeliveryError, SmsGateway
from sscard.notify.tasks import deliver, sweep_outbox
from sscard.ops import metrics

pytestmark = pytest.mark.django_db

PHONE = "13812341234"
TEXT = "[Hubei Government Services] Your verification code is 482913. It is valid for 5 minutes."


class FlakyGateway(SmsGateway):
    """Refuses the first `failures` messages, then keeps them like the outbox gateway."""

    failures = 0
    calls = 0

    def send(self, phone, text, *, purpose=""):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SmsDeliveryError(f"SMS provider refused the message (HTTP 503) for {phone}")
        OutboxSms.objects.create(phone=phone, text=text, purpose=purpose, gateway_message_id=f"flaky-{self.calls}")
        return f"flaky-{self.calls}"


@pytest.fixture
def flaky(settings, monkeypatch):
    settings.SMS_GATEWAY = "flaky"
    FlakyGateway.calls = 0
    FlakyGateway.failures = 0
    with registry.register.temporarily("flaky", FlakyGateway):
        yield FlakyGateway


def test_the_outbox_row_is_written_in_the_business_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            row = send_sms(phone=PHONE, text=TEXT, purpose="code:login")
            assert PendingDelivery.objects.get().status == "pending"
    assert len(callbacks) == 1  # the hand-over to the task, after the commit
    row.refresh_from_db()
    assert (row.recipient, row.text, row.purpose, row.attempts) == (PHONE, TEXT, "code:login", 0)
    assert not OutboxSms.objects.exists()  # nothing sent before the hand-over


def test_a_rolled_back_change_leaves_no_outbox_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send_sms(phone=PHONE, text=TEXT, purpose="code:login")
            raise RuntimeError("the change failed")
    assert not PendingDelivery.objects.exists()


def test_after_the_commit_the_task_delivers_and_records_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send_sms(phone=PHONE, text=TEXT, purpose="code:login")
    row = PendingDelivery.objects.get()
    sms = OutboxSms.objects.get()
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
    assert row.gateway == "outbox" and row.gateway_message_id == sms.gateway_message_id
    assert row.worker == "in-process"  # no broker: the task ran in this process
    assert row.text == "" and sms.text == TEXT  # the code is not kept once delivered


def test_the_task_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = send_sms(phone=PHONE, text=TEXT, purpose="code:login")
    assert attempt_delivery(row.pk).outcome == "skipped"
    assert deliver.delay(row.pk).get() == "skipped"
    assert OutboxSms.objects.count() == 1


def test_a_broker_outage_loses_nothing_the_sweeper_delivers_later(monkeypatch, caplog,
                                                                  django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")

    caplog.set_level(logging.INFO)
    with monkeypatch.context() as patch:
        patch.setattr(deliver, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                row = send_sms(phone=PHONE, text=TEXT, purpose="card_application")
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 0
    assert "not queued" in caplog.text and "ConnectionRefusedError" in caplog.text

    assert sweep() == 0  # not yet overdue: its task may merely be late
    assert sweep(now=timezone.now() + timedelta(minutes=3)) == 1
    row.refresh_from_db()
    assert row.status == "sent" and OutboxSms.objects.count() == 1
    assert sweep(now=timezone.now() + timedelta(minutes=10)) == 0


def test_the_sweeper_task_runs_on_the_beat_schedule():
    schedule = celery_app.conf.beat_schedule
    assert any(entry["task"] == "sscard.notify.sweep_outbox" and entry["schedule"] <= 60
               for entry in schedule.values())
    assert sweep_outbox.delay().get() == 0
    route = celery_app.amqp.router.route({}, deliver.name)
    assert route["queue"].name == "notify"


def test_without_a_broker_a_failure_stays_pending_for_the_sweeper(flaky, caplog,
                                                                  django_capture_on_commit_callbacks):
    flaky.failures = 1
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        row = send_sms(phone=PHONE, text=TEXT, purpose="code:login")
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1
    assert "HTTP 503" in row.last_error and "138****1234" in row.last_error and PHONE not in row.last_error
    assert row.next_attempt_at > timezone.now()
    errors = [r for r in caplog.records if r.name.startswith("sscard.notify") and r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "kept in the outbox" in errors[0].getMessage()
    assert "482913" not in caplog.text and PHONE not in caplog.text

    assert sweep(now=timezone.now() + timedelta(minutes=5)) == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""


def test_a_worker_retries_with_exponential_backoff_then_gives_up(flaky, caplog, monkeypatch):
    flaky.failures = 100
    row = PendingDelivery.objects.create(recipient=PHONE, text=TEXT, purpose="code:login",
                                         next_attempt_at=timezone.now())
    countdowns = []
    real_retry = deliver.retry

    def spy_retry(*args, countdown=None, **kwargs):
        countdowns.append(countdown)
        return real_retry(*args, countdown=countdown, **kwargs)

    monkeypatch.setattr(deliver, "retry", spy_retry)
    caplog.set_level(logging.INFO)
    for retries in range(services.MAX_ATTEMPTS - 1):
        deliver.push_request(retries=retries, hostname="worker-1@test", is_eager=False)
        try:
            with pytest.raises(Retry):
                deliver(row.pk)
        finally:
            deliver.pop_request()
        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == retries + 1 and row.worker == "worker-1@test"
    # 2, 4, 8, ... seconds (with jitter: between half and the whole), never more than 10 minutes
    for n, countdown in enumerate(countdowns, start=1):
        full = min(600, 2 ** n)
        assert full // 2 <= countdown <= full
    failures_before = metrics.TASK_FAILURES.labels(task=deliver.name)._value.get()
    deliver.push_request(retries=services.MAX_ATTEMPTS - 1, hostname="worker-1@test", is_eager=False)
    try:
        assert deliver(row.pk) == "failed"
    finally:
        deliver.pop_request()
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == services.MAX_ATTEMPTS
    assert metrics.TASK_FAILURES.labels(task=deliver.name)._value.get() == failures_before + 1
    warnings = [r for r in caplog.records if r.name.startswith("sscard.notify") and r.levelno == logging.WARNING]
    assert len(warnings) == services.MAX_ATTEMPTS - 1
    assert "482913" not in caplog.text and PHONE not in caplog.text
    assert sweep(now=timezone.now() + timedelta(days=1)) == 0  # given up: not swept again


def test_backoff_doubles_up_to_ten_minutes():
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert services.backoff_seconds(20) == 600


def test_the_oldest_pending_message_is_a_metric(client, settings):
    settings.METRICS_TOKEN = "t"  # production serves /metrics only with its token
    PendingDelivery.objects.create(recipient=PHONE, text=TEXT, purpose="code:login",
                                   next_attempt_at=timezone.now())
    PendingDelivery.objects.filter().update(created_at=timezone.now() - timedelta(minutes=7))
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    line = next(x for x in body.splitlines() if x.startswith("sscard_outbox_oldest_pending_seconds "))
    assert 7 * 60 - 5 < float(line.split()[1]) < 7 * 60 + 60
    assert "sscard_outbox_pending 1.0" in body


def test_deliver_outbox_command_delivers_what_is_pending(flaky):
    from io import StringIO

    from django.core.management import call_command

    row = PendingDelivery.objects.create(recipient=PHONE, text=TEXT, purpose="code:login",
                                         next_attempt_at=timezone.now() + timedelta(minutes=5))
    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    row.refresh_from_db()
    assert row.status == "sent" and "0 still pending" in out.getvalue()
