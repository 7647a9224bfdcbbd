"""Card events for the banks through the outbox: written with the state change (and rolled back with it),
delivered by the http adapter to a local fake bank and acknowledged, retried with backoff while the bank is
down, slow or failing, given up after the configured attempts; the file exchange's outgoing file and ack file."""

from datetime import UTC, timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from sscard.cards import bank_outbox
from sscard.cards.models import BankCardEvent, Card
from sscard.cards.services import change_card_state
from sscard.casework.lines import ImportRejected
from sscard.domain.casestates import State
from tests.cards.fake_bank import FakeBank
from tests.casework.conftest import give_card, new_application, new_staff

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-icbc"


def _card(state="active", district="420106"):
    card = give_card(new_application(state=State.IN_PRODUCTION, district=district))
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


@pytest.fixture
def fake_bank(settings):
    bank = FakeBank(SECRET.encode()).start()
    settings.BANK_EVENT_ADAPTERS = {"icbc": "http"}
    settings.BANK_EVENT_URLS = {"icbc": bank.url}
    settings.BANK_EVENT_SECRETS = {"icbc": SECRET}
    settings.BANK_EVENT_TIMEOUT_S = 0.5
    yield bank
    bank.stop()


def _move(card, to_state, channel="counter"):
    return change_card_state(card=card, to_state=to_state, channel=channel, reason="test")


# Written by hand: a change of state and the channel -> the event the bank is told (None: no event).
KINDS = [
    ("active", "temporarily_lost", "online", "loss"),
    ("temporarily_lost", "active", "online", "loss_withdrawn"),
    ("temporarily_lost", "active", "system", "loss_withdrawn"),  # the report lapsed
    ("active", "formally_lost", "counter", "formal_loss"),
    ("formally_lost", "replaced", "system", "replaced"),
    ("active", "cancelled", "counter", "cancelled"),
    ("sealed", "active", "online", None),  # enabling is nothing to the bank
    ("active", "expired", "system", None),
    ("active", "temporarily_lost", "bank", None),  # the bank reported it: not echoed back
    ("temporarily_lost", "active", "bank", None),
]


@pytest.mark.parametrize(("src", "dst", "channel", "kind"), KINDS)
def test_each_change_that_matters_to_the_bank_writes_one_event(src, dst, channel, kind):
    card = _card(src)
    _move(card, dst, channel)
    events = list(BankCardEvent.objects.filter(card=card))
    if kind is None:
        assert events == []
        return
    [event] = events
    assert (event.kind, event.status, event.adapter, event.bank.code) == (kind, "pending", "file_exchange", "icbc")
    assert event.payload == {"event_id": str(event.event_id), "kind": kind, "bank_code": "icbc",
                             "card_number": card.card_number, "bank_account": "6222020000000001",
                             "occurred_at": event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                             "from_state": src, "to_state": dst}


def test_the_event_is_rolled_back_with_the_state_change():
    card = _card("active")
    with pytest.raises(RuntimeError), transaction.atomic():
        _move(card, "temporarily_lost", "online")
        assert BankCardEvent.objects.filter(card=card).count() == 1
        raise RuntimeError("the rest of the action failed")
    assert Card.objects.get(pk=card.pk).state == "active"
    assert not BankCardEvent.objects.exists()


def test_the_event_is_written_even_when_the_broker_is_down(fake_bank, django_capture_on_commit_callbacks):
    card = _card("active")
    with mock.patch("sscard.cards.tasks.deliver_bank_event.apply_async", side_effect=ConnectionError("no redis")):
        with django_capture_on_commit_callbacks(execute=True):
            _move(card, "temporarily_lost", "online")
    event = BankCardEvent.objects.get(card=card)
    assert (event.status, event.attempts, fake_bank.received) == ("pending", 0, [])
    # The beat sweeper finds it (due at once) and delivers it when the broker is back.
    assert bank_outbox.sweep() == 1
    event.refresh_from_db()
    assert event.status == "acknowledged" and [e["event_id"] for e in fake_bank.received] == [str(event.event_id)]


def test_an_http_bank_receives_the_signed_event_after_the_commit_and_acknowledges_it(
        fake_bank, django_capture_on_commit_callbacks):
    card = _card("active")
    with django_capture_on_commit_callbacks(execute=True):
        _move(card, "temporarily_lost", "online")
    event = BankCardEvent.objects.get(card=card)
    assert (event.status, event.attempts, event.adapter) == ("acknowledged", 1, "http")
    assert event.acknowledged_at is not None
    assert fake_bank.received == [event.payload]  # the fake bank refuses a wrong signature with 401


def test_a_bank_down_gets_the_event_later_with_backoff_then_it_is_delivered(
        fake_bank, django_capture_on_commit_callbacks):
    card = _card("active")
    fake_bank.stop()  # connection refused
    with django_capture_on_commit_callbacks(execute=True):
        _move(card, "temporarily_lost", "online")
    event = BankCardEvent.objects.get(card=card)
    assert (event.status, event.attempts) == ("pending", 1)
    assert "ConnectionError" in event.last_error
    first_wait = (event.next_attempt_at - timezone.now()).total_seconds()
    assert 55 < first_wait <= 60
    # Not due yet: the sweeper leaves it.
    assert bank_outbox.sweep() == 0
    # Due, still down: the wait doubles (2 min, then 4 min).
    waits = []
    for _attempt in range(2):
        assert bank_outbox.sweep(now=event.next_attempt_at) == 1
        event.refresh_from_db()
        waits.append(round((event.next_attempt_at - timezone.now()).total_seconds() / 60))
    assert waits == [2, 4] and event.attempts == 3 and event.status == "pending"
    fake_bank.start()  # back, on the same port
    assert bank_outbox.sweep(now=event.next_attempt_at) == 1
    event.refresh_from_db()
    assert (event.status, event.attempts, event.last_error) == ("acknowledged", 4, "")
    assert [e["event_id"] for e in fake_bank.received] == [str(event.event_id)]


@pytest.mark.parametrize(("mode", "error"), [
    ("500", "bank answered HTTP 500"),
    ("slow", "bank not reachable (ReadTimeout)"),
    ("wrong_id", "bank acknowledged another event id"),
])
def test_a_failing_slow_or_confused_bank_is_retried(fake_bank, mode, error):
    card = _card("active")
    fake_bank.mode = mode
    _move(card, "temporarily_lost", "online")  # no commit callbacks here: deliver by hand
    event = BankCardEvent.objects.get(card=card)
    assert bank_outbox.attempt_delivery(event.pk) == "retry"
    event.refresh_from_db()
    assert (event.status, event.attempts, event.last_error) == ("pending", 1, error)
    fake_bank.mode = "up"
    assert bank_outbox.attempt_delivery(event.pk) == "acknowledged"
    # Delivered twice in the wrong_id case: the bank deduplicates by event_id.
    assert len(fake_bank.received) == 1


def test_after_the_configured_attempts_the_event_is_flagged_failed_for_staff(fake_bank, settings, client):
    settings.BANK_EVENT_MAX_ATTEMPTS = 3
    card = _card("active")
    fake_bank.mode = "500"
    _move(card, "temporarily_lost", "online")
    event = BankCardEvent.objects.get(card=card)
    assert [bank_outbox.attempt_delivery(event.pk) for _i in range(3)] == ["retry", "retry", "failed"]
    event.refresh_from_db()
    assert event.status == "failed"
    assert bank_outbox.sweep(now=timezone.now() + timedelta(days=1)) == 0  # given up: not swept again
    staff = new_staff(["production"])
    client.force_login(staff)
    page = client.get("/staff/bank-events/").content.decode()
    assert card.card_number in page and "failed: given up" in page and "bank answered HTTP 500" in page


def test_the_backoff_doubles_from_a_minute_up_to_an_hour():
    from sscard.domain.bank_events import backoff_seconds

    assert [backoff_seconds(n) for n in range(1, 10)] == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


# --- File exchange -----------------------------------------------------------------------------------------------

def _upload(client, bank, kind, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/staff/bank-events/import", {"bank": bank, "kind": kind,
                                                     "file": SimpleUploadedFile("f.csv", text.encode())}, follow=True)


def test_a_file_exchange_bank_gets_the_days_file_and_acknowledges_it_with_its_ack_file(client):
    here, there = _card("active"), _card("active", district="420102")
    _move(here, "temporarily_lost", "online")
    _move(there, "temporarily_lost", "online")
    event = BankCardEvent.objects.get(card=here)
    staff = new_staff(["production"])  # Wuchang (420106): sees `here`, not `there`
    client.force_login(staff)
    response = client.get("/staff/bank-events/outgoing.csv", {"bank": "icbc"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="icbc-card-events-{timezone.localdate().isoformat()}.csv"')
    p = event.payload
    assert response.content.decode() == (
        "event_id,kind,card_number,bank_account,occurred_at,from_state,to_state\r\n"
        f"{p['event_id']},loss,{here.card_number},6222020000000001,{p['occurred_at']},active,temporarily_lost\r\n")
    event.refresh_from_db()
    assert event.status == "sent"
    assert BankCardEvent.objects.get(card=there).status == "pending"  # not in this member's file
    # Yesterday's file is empty.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert client.get("/staff/bank-events/outgoing.csv", {"bank": "icbc", "day": yesterday}).content == (
        b"event_id,kind,card_number,bank_account,occurred_at,from_state,to_state\r\n")

    page = _upload(client, "icbc", "ack", f"event_id\n{event.event_id}\n").content.decode()
    assert "Imported: 1 line(s) applied, 0 already done." in page
    event.refresh_from_db()
    assert event.status == "acknowledged" and event.acknowledged_at is not None
    page = _upload(client, "icbc", "ack", f"event_id\n{event.event_id}\n").content.decode()
    assert "Nothing changed: every line of this file was already imported." in page


def test_an_ack_file_naming_an_unknown_event_is_refused_whole(client):
    card = _card("active")
    _move(card, "temporarily_lost", "online")
    event = BankCardEvent.objects.get(card=card)
    unknown = "6f1c1c2e-0000-4000-8000-000000000001"
    client.force_login(new_staff(["production"]))
    page = _upload(client, "icbc", "ack", f"event_id\n{event.event_id}\n{unknown}\nnot-an-id\n").content.decode()
    assert f"Line 3: The bank acknowledged an event that does not exist: {unknown}." in page
    assert "Line 4: &quot;not-an-id&quot; is not an event ID." in page
    event.refresh_from_db()
    assert event.status == "pending"  # nothing changed


def test_an_ack_for_another_areas_event_is_unknown_to_the_member():
    there = _card("active", district="420102")
    _move(there, "temporarily_lost", "online")
    event = BankCardEvent.objects.get(card=there)
    with pytest.raises(ImportRejected):
        bank_outbox.import_ack_file(staff=new_staff(["production"]), bank=there.bank,
                                    data=f"event_id\n{event.event_id}\n".encode())
    assert BankCardEvent.objects.get(pk=event.pk).status == "pending"


def test_the_system_check_refuses_an_unknown_adapter_and_an_http_bank_without_url_or_secret(settings):
    from sscard.core.checks import check_plugin_settings

    settings.BANK_EVENT_ADAPTERS = {"icbc": "telex", "boc": "http"}
    settings.BANK_EVENT_URLS, settings.BANK_EVENT_SECRETS = {}, {}
    ids = [message.id for message in check_plugin_settings()]
    assert "cards.E010" in ids and "cards.E011" in ids
    settings.BANK_EVENT_ADAPTERS = {"boc": "http"}
    settings.BANK_EVENT_URLS, settings.BANK_EVENT_SECRETS = {"boc": "https://bank.example"}, {"boc": "x"}
    assert not [m for m in check_plugin_settings() if m.id.startswith("cards.E01")]


def test_the_command_delivers_every_pending_event_here(fake_bank):
    from io import StringIO

    from django.core.management import call_command

    card = _card("active")
    fake_bank.stop()
    _move(card, "temporarily_lost", "online")
    out = StringIO()
    call_command("deliver_bank_events", "--all", stdout=out)
    assert out.getvalue() == "0 of 1 card event(s) acknowledged\n"
    fake_bank.start()
    out = StringIO()
    call_command("deliver_bank_events", "--all", "--reconcile", stdout=out)
    assert out.getvalue() == "1 of 1 card event(s) acknowledged\n1 bank(s) reconciled\n"


def test_the_outgoing_file_escapes_a_cell_that_a_spreadsheet_would_run(client):
    card = give_card(new_application(state=State.IN_PRODUCTION), account="=HYPERLINK(1)")
    Card.objects.filter(pk=card.pk).update(state="active")
    card.refresh_from_db()
    _move(card, "temporarily_lost", "online")
    client.force_login(new_staff(["production"]))
    line = client.get("/staff/bank-events/outgoing.csv", {"bank": "icbc"}).content.decode().splitlines()[1]
    assert f",loss,{card.card_number},'=HYPERLINK(1)," in line


def test_the_staff_page_speaks_chinese():
    from django.test import Client

    card = _card("active")
    _move(card, "temporarily_lost", "online")
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    browser.force_login(new_staff(["production"]))
    page = browser.get("/staff/bank-events/").content.decode()
    for text in ("与银行交换的卡片事件", "尚未确认的事件", "已挂失", "待发送", card.card_number):
        assert text in page
