"""Changing the PIN (old PIN + new twice), 6 wrong tries lock it (counted atomically, even concurrently), an
online reset (SMS code + ID number + new twice) unlocks it; a card whose PIN is still the initial one cannot be
reported lost online. Expected messages are written by hand."""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.urls import reverse
from django.utils import translation

from sscard.audit.models import AuditEvent
from sscard.cards import loss, pin
from sscard.cards.models import Card
from sscard.notify.models import PendingDelivery
from tests.cards.pin_helpers import OTHER_PIN, PIN, counter_card, enabled_card, pin_row, sealed_card, sms_code

WRONG = "975310"


def _events(card, prefix="card.pin"):
    return list(AuditEvent.objects.filter(subject_id=card.card_number, event_type__startswith=prefix)
                .values_list("event_type", flat=True))


def _post(client, name, card, **data):
    return client.post(reverse(name, args=[card.card_number]), {"action": "submit", **data}, follow=True)


@pytest.mark.django_db
def test_the_holder_changes_the_pin_on_my_card(client):
    card = enabled_card(PIN)
    client.force_login(card.holder)
    response = _post(client, "cards:change_pin", card, old_pin=PIN, pin=OTHER_PIN, pin_repeat=OTHER_PIN)
    assert f"The PIN of card {card.card_number} has been changed." in response.content.decode()
    pin.verify_pin(card=card, pin=OTHER_PIN)
    with pytest.raises(pin.PinError):
        pin.verify_pin(card=card, pin=PIN)
    assert _events(card) == ["card.pin_set", "card.pin_changed"]


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new", "repeat", "field", "message", "tries"), [
    (WRONG, OTHER_PIN, OTHER_PIN, "old_pin", "The PIN is wrong. 5 tries are left before the PIN is locked.", 1),
    ("1234", OTHER_PIN, OTHER_PIN, "old_pin", "The PIN must be exactly 6 digits.", 0),
    (PIN, "111111", "111111", "pin", "The PIN must not be one digit repeated, such as 111111.", 0),
    (PIN, "654321", "654321", "pin", "The PIN must not be a run of consecutive digits, such as 123456 or 654321.", 0),
    (PIN, OTHER_PIN, "246814", "pin_repeat", "The two PINs you entered are not the same.", 0),
    # a rule broken by the new PIN is said before the old PIN is looked at: no try is spent
    (WRONG, "000000", "000000", "pin", "The PIN must not be one digit repeated, such as 111111.", 0),
])
def test_each_bad_change_has_its_message_and_keeps_the_pin(client, old, new, repeat, field, message, tries):
    card = enabled_card(PIN)
    before = pin_row(card).digest
    client.force_login(card.holder)
    response = _post(client, "cards:change_pin", card, old_pin=old, pin=new, pin_repeat=repeat)
    assert response.context["form"].errors == {field: [message]}
    row = pin_row(card)
    assert row.digest == before and row.failed_attempts == tries and row.locked_at is None
    assert _events(card) == ["card.pin_set"]


@pytest.mark.django_db
def test_six_wrong_tries_lock_the_pin_and_the_right_pin_no_longer_helps():
    card = enabled_card(PIN)
    seen = []
    for _ in range(6):
        with pytest.raises(pin.PinError) as error:
            pin.verify_pin(card=card, pin=WRONG)
        with translation.override("en"):
            seen.append((error.value.code, error.value.translated()))
    assert seen == [("pin_wrong", f"The PIN is wrong. {n} tries are left before the PIN is locked.")
                    for n in (5, 4, 3, 2, 1)] + [
        ("pin_locked_now", "The PIN is wrong. After 6 wrong tries the PIN is now locked: reset it online with an SMS "
                           "code and your ID number, or at a service outlet.")]
    with pytest.raises(pin.PinError) as error:
        pin.verify_pin(card=card, pin=PIN)
    assert error.value.code == "pin_locked"
    row = pin_row(card)
    assert row.failed_attempts == 6 and row.locked_at is not None
    assert _events(card) == ["card.pin_set", "card.pin_locked"]
    sms = PendingDelivery.objects.filter(recipient=card.holder.phone, purpose="card_pin").get()  # Chinese default
    assert sms.text == (f"社保卡{card.card_number}：密码已连续输错6次，现已锁定。请在“我的社保卡”中或到服务网点重置密码。"
                        "如非本人操作，请联系服务热线。")


@pytest.mark.django_db
def test_a_right_pin_clears_the_wrong_tries():
    card = enabled_card(PIN)
    for _ in range(5):
        with pytest.raises(pin.PinError):
            pin.verify_pin(card=card, pin=WRONG)
    pin.verify_pin(card=card, pin=PIN)
    assert pin_row(card).failed_attempts == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "expected"), [
    ("zh-hans", "密码错误，您还可以尝试5次，之后密码将被锁定。"),
    ("es", "El PIN es incorrecto. Le quedan 5 intentos antes de que se bloquee."),
])
def test_the_wrong_pin_message_speaks_the_holders_language(lang, expected):
    card = enabled_card(PIN)
    with pytest.raises(pin.PinError) as error:
        pin.verify_pin(card=card, pin=WRONG)
    with translation.override(lang):
        assert error.value.translated() == expected


def _retrying(fn, attempts=400):
    for _ in range(attempts):
        try:
            return fn()
        except OperationalError as error:  # SQLite: "database is locked"
            if "locked" not in str(error):
                raise
            time.sleep(0.02)
    raise AssertionError("database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_tries_never_count_past_six():
    card = enabled_card(PIN)
    for _ in range(4):
        with pytest.raises(pin.PinError):
            pin.verify_pin(card=card, pin=WRONG)
    barrier = threading.Barrier(8)
    codes, errors = [], []

    def worker():
        try:
            seen = Card.objects.get(pk=card.pk)
            barrier.wait(timeout=10)
            try:
                _retrying(lambda: pin.verify_pin(card=seen, pin=WRONG))
            except pin.PinError as error:
                codes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(codes) == sorted(["pin_wrong", "pin_locked_now"] + ["pin_locked"] * 6)
    row = pin_row(card)
    assert row.failed_attempts == 6 and row.locked_at is not None
    assert _events(card) == ["card.pin_set", "card.pin_locked"]


def _lock(card):
    for _ in range(6):
        with pytest.raises(pin.PinError):
            pin.verify_pin(card=card, pin=WRONG)


@pytest.mark.django_db
def test_an_online_reset_with_sms_code_and_id_number_unlocks_the_pin(client, django_capture_on_commit_callbacks):
    card = enabled_card(PIN)
    _lock(card)
    client.force_login(card.holder)
    page = client.get(reverse("cards:mine")).content.decode()
    assert "The PIN is locked after 6 wrong tries." in page and "Change the PIN" not in page
    code = sms_code(card.holder.phone, "card_pin_reset")
    response = _post(client, "cards:reset_pin", card, id_number=card.holder_id_number.lower(), sms_code=code,
                     pin=OTHER_PIN, pin_repeat=OTHER_PIN)
    assert f"The PIN of card {card.card_number} has been reset." in response.content.decode()
    row = pin_row(card)
    assert row.failed_attempts == 0 and row.locked_at is None and not row.is_initial
    pin.verify_pin(card=card, pin=OTHER_PIN)
    assert _events(card) == ["card.pin_set", "card.pin_locked", "card.pin_reset"]
    assert AuditEvent.objects.get(event_type="card.pin_reset").data == {"channel": "online", "unlocked": True}


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "field", "message"), [
    ("id_number", "id_number", "This is not the ID number of the card's holder."),
    ("code", "sms_code", "The code is wrong. You have 4 more tries."),
    ("pin", "pin", "The PIN must not be 6 consecutive digits of your ID number."),
    ("repeat", "pin_repeat", "The two PINs you entered are not the same."),
])
def test_each_bad_reset_has_its_message_and_leaves_the_pin_locked(client, kind, field, message):
    card = enabled_card(PIN)
    _lock(card)
    client.force_login(card.holder)
    code = sms_code(card.holder.phone, "card_pin_reset")
    data = {"id_number": card.holder_id_number, "sms_code": code, "pin": OTHER_PIN, "pin_repeat": OTHER_PIN}
    if kind == "id_number":
        data["id_number"] = card.holder_id_number[:-4] + ("0000" if card.holder_id_number[-4:] != "0000" else "1111")
    elif kind == "code":
        data["sms_code"] = f"{(int(code) + 1) % 1_000_000:06d}"
    elif kind == "pin":
        data["pin"] = data["pin_repeat"] = card.holder_id_number[2:8]
    else:
        data["pin_repeat"] = "246814"
    response = _post(client, "cards:reset_pin", card, **data)
    assert response.context["form"].errors == {field: [message]}
    row = pin_row(card)
    assert row.locked_at is not None and row.failed_attempts == 6
    assert _events(card) == ["card.pin_set", "card.pin_locked"]


@pytest.mark.django_db
def test_a_sealed_card_has_no_pin_to_change_or_reset(client):
    card = sealed_card()
    client.force_login(card.holder)
    response = _post(client, "cards:change_pin", card, old_pin=PIN, pin=OTHER_PIN, pin_repeat=OTHER_PIN)
    assert response.context["form"].errors == {"__all__": ["This card has no PIN yet: enable the card first."]}
    response = _post(client, "cards:reset_pin", card, id_number=card.holder_id_number, sms_code="123456",
                     pin=OTHER_PIN, pin_repeat=OTHER_PIN)
    assert response.context["form"].errors == {"__all__": ["This card has no PIN yet: enable the card first."]}


@pytest.mark.django_db
def test_a_card_with_the_initial_pin_cannot_be_reported_lost_online_until_the_pin_is_changed(client, settings):
    card = counter_card()
    assert pin_row(card).is_initial
    client.force_login(card.holder)
    page = client.get(reverse("cards:mine")).content.decode()
    assert "The PIN is still the initial one: change it." in page
    response = client.post(reverse("cards:report_loss", args=[card.card_number]), {"expected_state": "active"},
                           follow=True)
    assert ("The PIN of this card is still the initial one, so its loss cannot be reported online. Report it at a "
            "service outlet.") in response.content.decode()
    assert Card.objects.get(pk=card.pk).state == "active"
    with pytest.raises(loss.CardError) as error:
        loss.report_temporary_loss(user=card.holder, card=card)
    assert error.value.code == "initial_pin"
    pin.change_pin(user=card.holder, card=card, old_pin=settings.INITIAL_PIN, pin=OTHER_PIN, pin_repeat=OTHER_PIN)
    assert not pin_row(card).is_initial
    loss.report_temporary_loss(user=card.holder, card=card)
    assert Card.objects.get(pk=card.pk).state == "temporarily_lost"


@pytest.mark.django_db
def test_a_temporarily_lost_card_can_still_change_its_pin_and_a_void_one_cannot():
    card = enabled_card(PIN)
    loss.report_temporary_loss(user=card.holder, card=card)
    card.refresh_from_db()
    pin.change_pin(user=card.holder, card=card, old_pin=PIN, pin=OTHER_PIN, pin_repeat=OTHER_PIN)
    Card.objects.filter(pk=card.pk).update(state="cancelled")
    card.refresh_from_db()
    with pytest.raises(pin.PinError) as error:
        pin.change_pin(user=card.holder, card=card, old_pin=OTHER_PIN, pin=PIN, pin_repeat=PIN)
    assert error.value.code == "card_void"
