"""Enabling a sealed card online (启用) on "My card": only once its receipt is confirmed; SMS code, then the PIN
twice; the card goes active through the state machine (channel online) with its PIN, in one transaction. Every
kind of bad input has its own message next to its field and changes nothing."""

import pytest
from django.urls import reverse

from sscard.accounts.models import SmsCode
from sscard.audit.models import AuditEvent
from sscard.cards.models import Card, CardPin, CardStatusChange
from tests.accounts.conftest import last_code
from tests.cards.pin_helpers import PIN, enabled_card, sealed_card, sms_code
from tests.casework.conftest import new_citizen

pytestmark = pytest.mark.django_db


def _enable(client, card, **data):
    return client.post(reverse("cards:enable", args=[card.card_number]), {"action": "submit", **data}, follow=True)


def _unchanged(card):
    fresh = Card.objects.get(pk=card.pk)
    return (fresh.state == "sealed" and not CardPin.objects.filter(card_id=card.pk).exists()
            and not CardStatusChange.objects.filter(card_id=card.pk).exists())


def test_the_holder_enables_a_received_card_with_an_sms_code_and_a_pin(client, django_capture_on_commit_callbacks):
    card = sealed_card()
    client.force_login(card.holder)
    page = client.get(reverse("cards:mine")).content.decode()
    assert reverse("cards:enable", args=[card.card_number]) in page and "Enable the card" in page
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("cards:enable", args=[card.card_number]), {"action": "send_code"}).content.decode()
    masked = card.holder.phone[:3] + "****" + card.holder.phone[-4:]
    assert f"A verification code was sent to {masked}. It is valid for 5 minutes." in page
    code = last_code(card.holder.phone)
    assert SmsCode.objects.get(phone=card.holder.phone).purpose == "card_enable"
    response = _enable(client, card, sms_code=code, pin=PIN, pin_repeat=PIN)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cards:mine")
    assert f"Card {card.card_number} is enabled: you can use it now." in page
    assert "Change the PIN" in page and "Reset the PIN" in page and "Enable the card" not in page
    card.refresh_from_db()
    assert card.state == "active"
    assert list(CardStatusChange.objects.filter(card=card).values_list("from_state", "to_state", "channel")) == [
        ("sealed", "active", "online")]
    row = CardPin.objects.get(card=card)
    assert not row.is_initial and row.failed_attempts == 0 and row.locked_at is None
    assert SmsCode.objects.get(phone=card.holder.phone).used_at is not None
    assert list(AuditEvent.objects.filter(subject_id=card.card_number).values_list("event_type", flat=True)) == [
        "card.created", "card.state_changed", "card.pin_set"]
    # The used code does not enable anything again, and a second enabling is refused by the state machine.
    response = client.get(reverse("cards:enable", args=[card.card_number]), follow=True)
    assert "The card is already in this state." in response.content.decode()


def test_an_unconfirmed_card_cannot_be_enabled(client):
    card = sealed_card(received=False)
    client.force_login(card.holder)
    page = client.get(reverse("cards:mine")).content.decode()
    assert "You can enable the card once you have confirmed that you received it." in page
    assert reverse("cards:enable", args=[card.card_number]) not in page
    response = client.get(reverse("cards:enable", args=[card.card_number]), follow=True)
    assert "Confirm that you have received the card before enabling it." in response.content.decode()
    response = _enable(client, card, sms_code="123456", pin=PIN, pin_repeat=PIN)
    assert "Confirm that you have received the card before enabling it." in response.content.decode()
    assert _unchanged(card)


# (pin, repetition, the code right?, the field, the message): each written by hand
BAD = [
    ("12345", "12345", True, "pin", "The PIN must be exactly 6 digits."),
    ("12345a", "12345a", True, "pin", "The PIN must be exactly 6 digits."),
    ("888888", "888888", True, "pin", "The PIN must not be one digit repeated, such as 111111."),
    ("123456", "123456", True, "pin", "The PIN must not be a run of consecutive digits, such as 123456 or 654321."),
    ("890123", "890123", True, "pin", "The PIN must not be a run of consecutive digits, such as 123456 or 654321."),
    (None, None, True, "pin", "The PIN must not be 6 consecutive digits of your ID number."),
    (PIN, "135793", True, "pin_repeat", "The two PINs you entered are not the same."),
    (PIN, PIN, False, "sms_code", "The code is wrong. You have 4 more tries."),
]


@pytest.mark.parametrize(("value", "repeat", "right_code", "field", "message"), BAD)
def test_each_bad_input_gets_its_message_and_leaves_the_card_sealed(client, value, repeat, right_code, field,
                                                                    message):
    card = sealed_card()
    if value is None:  # 6 digits in a row of the holder's ID number
        value = repeat = card.holder_id_number[6:12]
    client.force_login(card.holder)
    code = sms_code(card.holder.phone, "card_enable")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = _enable(client, card, sms_code=code if right_code else wrong, pin=value, pin_repeat=repeat)
    assert response.status_code == 200 and not response.redirect_chain
    form = response.context["form"]
    assert form.errors == {field: [message]}
    page = response.content.decode()
    assert value not in page.split('name="pin"')[1][:200]  # the PIN typed is not sent back
    assert _unchanged(card)
    assert SmsCode.objects.get(phone=card.holder.phone).used_at is None  # the code is still usable


def test_a_code_for_another_purpose_does_not_enable_the_card(client):
    card = sealed_card()
    client.force_login(card.holder)
    code = sms_code(card.holder.phone, "card_pin_reset")
    response = _enable(client, card, sms_code=code, pin=PIN, pin_repeat=PIN)
    assert response.context["form"].errors == {
        "sms_code": ["The code has expired or was never sent. Ask for a new code."]}
    assert _unchanged(card)


def test_another_citizens_card_is_not_found(client):
    card = sealed_card()
    client.force_login(new_citizen("李四"))
    assert client.get(reverse("cards:enable", args=[card.card_number])).status_code == 404
    assert _enable(client, card, sms_code="123456", pin=PIN, pin_repeat=PIN).status_code == 404
    assert _unchanged(card)


def test_the_enable_page_speaks_the_holders_language():
    from django.test import Client
    card = sealed_card()
    for language, text in (("zh-hans", "启用社保卡"), ("es", "Activar la tarjeta")):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(card.holder)
        page = client.get(reverse("cards:enable", args=[card.card_number])).content.decode()
        assert text in page


def test_enabled_card_helper_enables_through_the_service():
    card = enabled_card()
    assert card.state == "active" and CardPin.objects.filter(card=card, is_initial=False).exists()
