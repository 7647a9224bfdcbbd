"""What the banks tell us: a loss reported at the bank (signed HTTP callback, or the bank's events file on the
staff page) suspends the card here too and its withdrawal puts it back in use, with an SMS in the holder's
language and no echo to the bank; a bad signature, a stale timestamp, a replay, an unknown bank, card or event
are each refused with their own code and change nothing. The daily freeze reconciliation lists both kinds of
difference."""

import json
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sscard.accounts.services import set_preferred_language
from sscard.cards import bank_incoming
from sscard.cards.models import BankCardEvent, BankReconciliation, Card, CardStatusChange
from sscard.domain import bank_events
from sscard.domain.casestates import State
from sscard.notify.models import PendingDelivery
from tests.cards.fake_bank import FakeBank
from tests.casework.conftest import give_card, new_application, new_staff

pytestmark = pytest.mark.django_db

SECRET = "s3cret-for-icbc"
URL = "/api/banks/v1/card-events"


@pytest.fixture(autouse=True)
def bank_secret(settings):
    settings.BANK_EVENT_SECRETS = {"icbc": SECRET}


def _card(state="active", district="420106"):
    card = give_card(new_application(state=State.IN_PRODUCTION, district=district))
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


def _post(body: dict | bytes, *, url=URL, bank="icbc", secret=SECRET, timestamp=None, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers = bank_events.signed_headers(bank_code=bank, secret=secret.encode(), timestamp=timestamp, body=raw)
    if signature is not None:
        headers[bank_events.HEADER_SIGNATURE] = signature
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
             if name != "Content-Type"}
    return Client(HTTP_ACCEPT_LANGUAGE="en").post(url, raw, content_type="application/json", **extra)


def _event(card, kind="loss", event_id=None):
    return {"event_id": event_id or str(uuid.uuid4()), "kind": kind, "card_number": card.card_number,
            "occurred_at": "2026-12-01T08:30:00+08:00"}


def test_a_loss_reported_at_the_bank_suspends_the_card_and_its_withdrawal_restores_it():
    card = _card("active")
    set_preferred_language(user=card.holder, language="es")
    response = _post(_event(card))
    assert response.status_code == 200, response.content
    assert response.json()["card_state"] == "temporarily_lost"
    assert Card.objects.get(pk=card.pk).state == "temporarily_lost"
    change = CardStatusChange.objects.get(card=card)
    assert (change.channel, change.note, change.actor) == ("bank", "loss reported at the bank", None)
    assert not BankCardEvent.objects.exists()  # not echoed back to the bank
    sms = PendingDelivery.objects.get(recipient=card.holder.phone, purpose="card_loss")
    assert sms.text == (f"Tarjeta de seguridad social {card.card_number}: su banco ha denunciado la pérdida de la "
                        "tarjeta; también queda bloqueada aquí. Para volver a usarla, retire la denuncia en el banco "
                        "o en línea.")
    response = _post(_event(card, "loss_withdrawn"))
    assert response.status_code == 200 and response.json()["card_state"] == "active"
    assert list(CardStatusChange.objects.filter(card=card).values_list("to_state", "channel")) == [
        ("temporarily_lost", "bank"), ("active", "bank")]
    assert not BankCardEvent.objects.exists()


def test_the_holders_sms_is_in_chinese_by_default():
    card = _card("active")
    assert _post(_event(card)).status_code == 200
    assert PendingDelivery.objects.get(recipient=card.holder.phone, purpose="card_loss").text == (
        f"社保卡{card.card_number}：您的银行已挂失此卡，社保卡同时暂停使用。如需恢复使用，请在银行或网上解除挂失。")


def _refused(response, status, code):
    assert (response.status_code, response.json()["code"]) == (status, code), response.content


# Each refusal, its status and code (written by hand); nothing changes.
@pytest.mark.parametrize(("case", "status", "code"), [
    ("bad_signature", 401, "bad_signature"),
    ("no_signature", 401, "bad_signature"),
    ("other_secret", 401, "bad_signature"),
    ("stale", 401, "stale_timestamp"),
    ("future", 401, "stale_timestamp"),
    ("unknown_bank", 401, "unknown_bank"),
    ("bank_without_secret", 401, "unknown_bank"),
    ("unknown_card", 404, "unknown_card"),
    ("card_of_another_bank", 404, "unknown_card"),
    ("unknown_kind", 422, "invalid_request"),
    ("already_lost", 409, "already_lost"),
    ("formal_loss_withdrawn", 409, "formal_loss_final"),
])
def test_each_bad_callback_is_refused_with_its_code_and_changes_nothing(case, status, code):
    card = _card("formally_lost" if case == "formal_loss_withdrawn" else
                 "temporarily_lost" if case == "already_lost" else "active")
    body = _event(card, "loss_withdrawn" if case == "formal_loss_withdrawn" else "loss")
    kwargs = {}
    if case == "bad_signature":
        kwargs["signature"] = "sha256=" + "0" * 64
    elif case == "no_signature":
        kwargs["signature"] = ""
    elif case == "other_secret":
        kwargs["secret"] = "not-the-secret"
    elif case == "stale":
        kwargs["timestamp"] = int(time.time()) - 301
    elif case == "future":
        kwargs["timestamp"] = int(time.time()) + 301
    elif case == "unknown_bank":
        kwargs["bank"] = "nobank"
    elif case == "bank_without_secret":
        kwargs["bank"] = "boc"
    elif case == "unknown_card":
        body["card_number"] = "Z99999999"
    elif case == "card_of_another_bank":
        other = give_card(new_application(state=State.IN_PRODUCTION, bank="boc"))
        body["card_number"] = other.card_number
    elif case == "unknown_kind":
        body["kind"] = "stolen"
    before = Card.objects.get(pk=card.pk).state
    _refused(_post(body, **kwargs), status, code)
    assert Card.objects.get(pk=card.pk).state == before
    assert not CardStatusChange.objects.exists()
    assert not PendingDelivery.objects.filter(purpose="card_loss").exists()


def test_a_replayed_event_is_refused():
    card = _card("active")
    body = _event(card)
    assert _post(body).status_code == 200
    assert _post(_event(card, "loss_withdrawn")).status_code == 200
    _refused(_post(body), 409, "replay")  # the same loss again: refused, the card stays in use
    assert Card.objects.get(pk=card.pk).state == "active"


def test_the_bank_acknowledges_our_event_by_its_id_and_an_unknown_id_is_refused():
    card = _card("active")
    from sscard.cards.services import change_card_state

    change_card_state(card=card, to_state="temporarily_lost", channel="online")
    event = BankCardEvent.objects.get(card=card)
    url = "/api/banks/v1/acks"
    _refused(_post({"event_id": str(uuid.uuid4())}, url=url), 404, "unknown_event")
    assert BankCardEvent.objects.get(pk=event.pk).status == "pending"
    response = _post({"event_id": str(event.event_id)}, url=url)
    assert response.status_code == 200 and response.json()["already_acknowledged"] is False
    assert BankCardEvent.objects.get(pk=event.pk).status == "acknowledged"
    assert _post({"event_id": str(event.event_id)}, url=url).json()["already_acknowledged"] is True
    # Another bank cannot acknowledge icbc's event.
    from django.conf import settings

    settings.BANK_EVENT_SECRETS = {"icbc": SECRET, "boc": "boc-secret"}
    _refused(_post({"event_id": str(event.event_id)}, url=url, bank="boc", secret="boc-secret"), 404,
             "unknown_event")


# --- The bank's events file on the staff page ---------------------------------------------------------------

def _upload(client, kind, text, bank="icbc"):
    return client.post("/staff/bank-events/import", {"bank": bank, "kind": kind,
                                                     "file": SimpleUploadedFile("f.csv", text.encode())}, follow=True)


def test_the_banks_events_file_suspends_the_cards_all_or_nothing(client):
    first, second = _card("active"), _card("active")
    client.force_login(new_staff(["production"]))
    header = "event_id,kind,card_number,occurred_at\n"
    good = f"{uuid.uuid4()},loss,{first.card_number},2026-12-01T08:30:00+08:00\n"
    bad = f"{uuid.uuid4()},loss_withdrawn,{second.card_number},\n"  # not lost: refused by the state machine
    page = _upload(client, "events", header + good + bad).content.decode()
    assert "Line 3: The card is already in this state." in page
    assert Card.objects.get(pk=first.pk).state == "active"  # nothing applied
    page = _upload(client, "events", header + good + f"{uuid.uuid4()},loss,{second.card_number},\n").content.decode()
    assert "Imported: 2 line(s) applied, 0 already done." in page
    assert set(Card.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {
        "temporarily_lost"}
    assert set(CardStatusChange.objects.values_list("channel", flat=True)) == {"bank"}
    page = _upload(client, "events", header + good).content.decode()  # the same file again
    assert "Line 2: The event" in page and "has already been received." in page


def test_the_events_file_knows_only_the_members_cards(client):
    there = _card("active", district="420102")
    client.force_login(new_staff(["production"]))  # Wuchang
    page = _upload(client, "events", "event_id,kind,card_number,occurred_at\n"
                                     f"{uuid.uuid4()},loss,{there.card_number},\n").content.decode()
    assert f"Line 2: No card of this bank has the number {there.card_number}." in page
    assert Card.objects.get(pk=there.pk).state == "active"


# --- Freeze reconciliation ------------------------------------------------------------------------------------

def test_the_reconciliation_lists_both_kinds_of_difference(client):
    agree_lost = _card("temporarily_lost")
    lost_only_here = _card("formally_lost")
    frozen_only_at_bank = _card("active")
    agree_active = _card("active")
    elsewhere = _card("active", district="420102")
    staff = new_staff(["production"])
    client.force_login(staff)
    frozen = [agree_lost.card_number, frozen_only_at_bank.card_number, elsewhere.card_number, "Z00000000"]
    page = _upload(client, "frozen", "card_number\n" + "\n".join(frozen) + "\n").content.decode()
    assert "Compared with 4 card(s) frozen at the bank." in page
    run = BankReconciliation.objects.get()
    assert (run.frozen_count, run.unknown_count, run.source) == (4, 1, "file")
    assert sorted(run.differences.values_list("card__card_number", "kind")) == sorted([
        (lost_only_here.card_number, "lost_here"), (frozen_only_at_bank.card_number, "frozen_at_bank"),
        (elsewhere.card_number, "frozen_at_bank")])
    # The page and the export show the member's cards only (Wuchang), formulas escaped in the export.
    assert "Frozen at the bank, not lost here" in page and "Lost here, not frozen at the bank" in page
    assert frozen_only_at_bank.card_number in page and lost_only_here.card_number in page
    assert elsewhere.card_number not in page and agree_active.card_number not in page
    csv = client.get("/staff/bank-events/icbc/differences.csv").content.decode()
    assert csv == ("card_number,difference,state_here\r\n"
                   f"{frozen_only_at_bank.card_number},frozen_at_bank,active\r\n"
                   f"{lost_only_here.card_number},lost_here,formally_lost\r\n")


def test_an_empty_frozen_list_is_a_list_and_a_malformed_one_is_refused():
    lost = _card("temporarily_lost")
    run = bank_incoming.reconcile(bank=lost.bank, frozen=bank_incoming.read_frozen_file(b"card_number\r\n"),
                                  source="file")
    assert list(run.differences.values_list("card__card_number", "kind")) == [(lost.card_number, "lost_here")]
    from sscard.casework.lines import ImportRejected

    with pytest.raises(ImportRejected):
        bank_incoming.read_frozen_file(b"number\nA1\n")
    with pytest.raises(ImportRejected):
        bank_incoming.read_frozen_file(b"card_number\nA1\nA1\n")


def test_the_daily_task_fetches_the_frozen_list_of_each_http_bank(settings):
    fake = FakeBank(SECRET.encode()).start()
    try:
        settings.BANK_EVENT_ADAPTERS = {"icbc": "http"}
        settings.BANK_EVENT_URLS = {"icbc": fake.url}
        lost, frozen_there = _card("temporarily_lost"), _card("active")
        fake.frozen = [frozen_there.card_number]
        from sscard.cards.tasks import reconcile_banks

        assert reconcile_banks.delay().get() == 1  # eager: run here
        run = BankReconciliation.objects.get()
        assert run.source == "http" and sorted(run.differences.values_list("card__card_number", "kind")) == sorted([
            (lost.card_number, "lost_here"), (frozen_there.card_number, "frozen_at_bank")])
        fake.stop()  # down: logged, nothing recorded, tried again the next day
        assert bank_incoming.reconcile_http_banks() == 0 and BankReconciliation.objects.count() == 1
    finally:
        fake.stop()


def test_nothing_about_a_card_is_answered_before_the_signature_is_verified():
    body = {"event_id": str(uuid.uuid4()), "kind": "loss", "card_number": "Z99999999"}
    _refused(_post(body, signature="sha256=" + "0" * 64), 401, "bad_signature")  # not unknown_card
    _refused(_post(b"not json at all", signature="sha256=" + "0" * 64), 401, "bad_signature")  # not 422
