"""Keyed PIN storage (sscard.cards.pin_keys): a database dump alone does not reveal a PIN; digests carry their
key id, so keys rotate; the deploy check warns when production has no PIN key; no PIN reaches the audit log."""

import hashlib
import json

import pytest
from django.core import checks
from django.forms.models import model_to_dict

from sscard.audit.models import AuditEvent
from sscard.cards import pin, pin_keys
from sscard.cards.models import CardPin
from tests.cards.pin_helpers import PIN, enabled_card, pin_row

pytestmark = pytest.mark.django_db

KEY_A = "a" * 16 + "-first-key-of-32-chars"
KEY_B = "b" * 16 + "-second-key-of-32-chars"


def _dump(row: CardPin) -> str:
    return json.dumps(model_to_dict(row), default=str)


def test_the_row_holds_neither_the_pin_nor_an_unkeyed_hash_of_it():
    card = enabled_card(PIN)
    row = pin_row(card)
    dump = _dump(row)
    unkeyed = [hashlib.sha256(PIN.encode()).hexdigest(), hashlib.md5(PIN.encode()).hexdigest(),  # noqa: S324
               hashlib.sha256(f"{card.card_number}{PIN}".encode()).hexdigest(),
               hashlib.sha256(f"sscard-pin-v1|{card.card_number}|{PIN}".encode()).hexdigest()]
    assert PIN not in dump
    for digest in unkeyed:
        assert digest not in dump
    assert len(row.digest) == 64 and row.key_id == "dev-derived-from-secret-key"
    assert not row.is_initial and row.failed_attempts == 0 and row.locked_at is None


def test_the_same_pin_on_two_cards_has_two_digests():
    assert pin_row(enabled_card(PIN)).digest != pin_row(enabled_card(PIN)).digest


def test_no_pin_reaches_the_audit_log():
    card = enabled_card(PIN)
    pin.change_pin(user=card.holder, card=card, old_pin=PIN, pin="246813", pin_repeat="246813")
    with pytest.raises(pin.PinError):
        pin.change_pin(user=card.holder, card=card, old_pin="975310", pin="864200", pin_repeat="864200")
    events = list(AuditEvent.objects.filter(subject_id=card.card_number).values_list("event_type", "data"))
    assert [e for e, _d in events if e.startswith("card.pin")] == ["card.pin_set", "card.pin_changed"]
    text = json.dumps([d for _e, d in events])
    for value in (PIN, "246813", "975310", "864200"):
        assert value not in text


def test_a_configured_key_digests_new_pins_and_the_dev_key_is_not_used(settings):
    settings.PIN_KEYS = {"k1": KEY_A}
    settings.PIN_KEY_ID = ""
    card = enabled_card(PIN)
    row = pin_row(card)
    assert row.key_id == "k1"
    assert row.digest == pin_keys.digest(card_number=card.card_number, pin=PIN, key_id="k1")[1]
    settings.PIN_KEYS = {"k1": KEY_B}  # another secret under the same id: the stored digest no longer matches
    with pytest.raises(pin.PinError) as error:
        pin.verify_pin(card=card, pin=PIN)
    assert error.value.code == "pin_wrong"


def test_keys_rotate_a_pin_is_re_digested_with_the_current_key_at_its_next_right_check(settings):
    settings.PIN_KEYS, settings.PIN_KEY_ID = {"k1": KEY_A}, "k1"
    card = enabled_card(PIN)
    old = pin_row(card).digest
    settings.PIN_KEYS, settings.PIN_KEY_ID = {"k1": KEY_A, "k2": KEY_B}, "k2"
    with pytest.raises(pin.PinError):
        pin.verify_pin(card=card, pin="975310")  # a wrong PIN re-digests nothing
    assert pin_row(card).key_id == "k1" and pin_row(card).digest == old
    pin.verify_pin(card=card, pin=PIN)
    row = pin_row(card)
    assert row.key_id == "k2" and row.digest != old and row.failed_attempts == 0
    settings.PIN_KEYS = {"k2": KEY_B}  # k1 retired
    pin.verify_pin(card=card, pin=PIN)


def test_a_digest_of_a_retired_key_cannot_be_checked_and_costs_no_try(settings):
    settings.PIN_KEYS, settings.PIN_KEY_ID = {"k1": KEY_A}, "k1"
    card = enabled_card(PIN)
    settings.PIN_KEYS, settings.PIN_KEY_ID = {"k2": KEY_B}, "k2"
    with pytest.raises(pin.PinError) as error:
        pin.verify_pin(card=card, pin=PIN)
    assert error.value.code == "pin_key_retired"
    assert error.value.message == "The PIN cannot be checked at present. Reset it online or at a service outlet."
    assert pin_row(card).failed_attempts == 0


def _ids(found):
    return sorted(m.id for m in found if m.id.startswith("cards.") and "020" in m.id)


@pytest.mark.parametrize(("debug", "keys", "key_id", "expected"), [
    (False, {}, "", ["cards.W020"]),
    (True, {}, "", []),
    (False, {"k1": KEY_A}, "", []),
    (False, {"k1": KEY_A, "k2": KEY_B}, "k2", []),
    (False, {"k1": "short"}, "", ["cards.E020"]),
    (False, {"k1": KEY_A}, "k9", ["cards.E020"]),
    (False, {"k1": KEY_A, "k2": KEY_B}, "", ["cards.E020"]),
    (False, {}, "k1", ["cards.E020", "cards.W020"]),
])
def test_the_system_checks_on_pin_keys(settings, debug, keys, key_id, expected):
    settings.DEBUG, settings.PIN_KEYS, settings.PIN_KEY_ID = debug, keys, key_id
    assert _ids(checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])) == expected


def test_a_bad_initial_pin_setting_is_an_error(settings):
    settings.PIN_KEYS, settings.INITIAL_PIN = {"k1": KEY_A}, "12345"
    assert _ids(checks.run_checks(tags=[checks.Tags.security])) == ["cards.E020"]


def test_pins_set_before_keys_were_configured_move_to_the_configured_key(settings):
    settings.PIN_KEYS, settings.PIN_KEY_ID = {}, ""
    card = enabled_card(PIN)
    assert pin_row(card).key_id == "dev-derived-from-secret-key"
    settings.PIN_KEYS, settings.PIN_KEY_ID = {"k1": KEY_A}, "k1"
    pin.verify_pin(card=card, pin=PIN)
    assert pin_row(card).key_id == "k1"
