"""The counter's PIN page (/staff/pin/): a clerk finds a card of the clerk's areas by its number, checks the
holder's ID document in person, and unlocks the PIN (back to the initial PIN) or enables a sealed card with the
initial PIN. Cards of other areas are as if they did not exist."""

import html

import pytest
from django.urls import reverse

from sscard.audit.models import AuditEvent
from sscard.cards import pin
from sscard.cards.models import Card, CardPin, CardStatusChange
from tests.cards.pin_helpers import PIN, clerk, enabled_card, pin_row, sealed_card
from tests.casework.conftest import jiangan, new_staff, staff_client

pytestmark = pytest.mark.django_db
WRONG = "975310"


def _lock(card):
    for _ in range(6):
        with pytest.raises(pin.PinError):
            pin.verify_pin(card=card, pin=WRONG)


def _look_up(client, number):
    return client.get(reverse("casework:pin_counter"), {"card_number": number})


def _act(client, card, step, **data):
    return client.post(reverse("casework:pin_counter_action", args=[card.card_number, step]), data, follow=True)


def test_a_clerk_unlocks_a_locked_pin_after_checking_the_id_document(settings):
    card = enabled_card(PIN)
    _lock(card)
    client = staff_client(clerk())
    page = _look_up(client, card.card_number.lower()).content.decode()
    assert "Locked after 6 wrong tries" in page and card.masked_holder_id_number in page
    assert card.holder_id_number not in page
    response = _act(client, card, "unlock", id_number=card.holder_id_number, document_checked="on")
    assert (f"The PIN of card {card.card_number} is unlocked: it is the initial PIN again. Tell the holder to "
            "change it.") in response.content.decode()
    row = pin_row(card)
    assert row.is_initial and row.failed_attempts == 0 and row.locked_at is None
    pin.verify_pin(card=card, pin=settings.INITIAL_PIN)
    event = AuditEvent.objects.get(event_type="card.pin_unlocked")
    assert event.data == {"channel": "counter", "was_locked": True, "initial": True}
    assert AuditEvent.objects.filter(event_type="card.viewed_at_counter", subject_id=card.card_number).exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"id_number": "", "document_checked": "on"}, "Check the holder's ID document in person and enter its number."),
    ({"id_number": "SAME"}, "Check the holder's ID document in person and enter its number."),
    ({"id_number": "OTHER", "document_checked": "on"}, "The ID number presented does not match the cardholder's."),
])
def test_without_the_id_document_checked_nothing_is_unlocked(data, message):
    card = enabled_card(PIN)
    _lock(card)
    client = staff_client(clerk())
    if data["id_number"] == "SAME":
        data = {**data, "id_number": card.holder_id_number}
    elif data["id_number"] == "OTHER":
        data = {**data, "id_number": card.holder_id_number[:-4] + "0000"}
    response = _act(client, card, "unlock", **data)
    assert message in html.unescape(response.content.decode())
    row = pin_row(card)
    assert row.locked_at is not None and not row.is_initial and row.failed_attempts == 6
    assert not AuditEvent.objects.filter(event_type="card.pin_unlocked").exists()


def test_a_card_of_another_area_is_not_found_and_cannot_be_unlocked():
    card = enabled_card(PIN)
    _lock(card)
    elsewhere = staff_client(new_staff(["clerk"], areas=[f"outlet:{jiangan().pk}"]))
    response = _look_up(elsewhere, card.card_number)
    assert "No card with this number was issued in your areas." in response.content.decode()
    assert _act(elsewhere, card, "unlock", id_number=card.holder_id_number,
                document_checked="on").status_code == 404
    assert pin_row(card).locked_at is not None
    with pytest.raises(pin.PinError) as error:  # the service itself checks the area too
        pin.unlock_at_counter(staff=new_staff(["clerk"], areas=[f"outlet:{jiangan().pk}"]), card=card,
                              id_number=card.holder_id_number, document_checked=True)
    assert error.value.code == "area"


def test_a_staff_member_without_the_counter_permission_is_refused():
    card = enabled_card(PIN)
    client = staff_client(new_staff(["reviewer"]))
    assert _look_up(client, card.card_number).status_code == 403
    assert client.post(reverse("casework:pin_counter_action", args=[card.card_number, "unlock"]),
                       {"id_number": card.holder_id_number, "document_checked": "on"}).status_code == 403


def test_a_clerk_enables_a_sealed_card_with_the_initial_pin(settings):
    card = sealed_card(received=False)
    client = staff_client(clerk())
    page = _look_up(client, card.card_number).content.decode()
    assert "None yet (the card is sealed)" in page and "Enable with the initial PIN" in page
    response = _act(client, card, "enable", id_number=card.holder_id_number, document_checked="on")
    assert (f"Card {card.card_number} is enabled with the initial PIN. Tell the holder to change it."
            in response.content.decode())
    card.refresh_from_db()
    assert card.state == "active" and card.delivered_at is not None
    assert list(CardStatusChange.objects.filter(card=card).values_list("to_state", "channel")) == [
        ("active", "counter")]
    assert pin_row(card).is_initial
    pin.verify_pin(card=card, pin=settings.INITIAL_PIN)
    # A second press: the state machine refuses, nothing changes.
    response = _act(client, card, "enable", id_number=card.holder_id_number, document_checked="on")
    assert "The card is already in this state." in response.content.decode()
    assert CardPin.objects.filter(card=card).count() == 1


def test_an_unknown_step_is_not_found():
    card = enabled_card(PIN)
    assert _act(staff_client(clerk()), card, "delete", id_number=card.holder_id_number).status_code == 404
    assert Card.objects.get(pk=card.pk).state == "active"
