"""Shared set-up of the PIN tests: cards built through the services, SMS codes read from the dev outbox."""

from datetime import timedelta

from django.db.models import F
from django.test import TestCase
from django.utils import timezone

from sscard.accounts import smscodes
from sscard.accounts.models import SmsCode
from sscard.cards import pin
from sscard.cards.models import Card, CardPin
from sscard.domain.casestates import State
from tests.accounts.conftest import forget_sms_throttles, last_code
from tests.casework.conftest import give_card, new_application, new_staff, wuchang

PIN = "135792"
OTHER_PIN = "246813"


def sealed_card(*, received=True) -> Card:
    card = give_card(new_application(state=State.IN_PRODUCTION))
    if received:  # what `delivery.confirm_receipt` / `hand_over` record on the card
        Card.objects.filter(pk=card.pk).update(delivered_at=timezone.now())
        card.refresh_from_db()
    return card


def sms_code(phone: str, purpose: str) -> str:
    """Have a code sent to `phone` (as "Send code" does) and read it from the outbox. Earlier codes of the test
    are moved back in time so the one-a-minute limit does not refuse the next one."""
    SmsCode.objects.filter(phone=phone).update(created_at=F("created_at") - timedelta(minutes=2))
    forget_sms_throttles()
    with TestCase.captureOnCommitCallbacks(execute=True):
        smscodes.issue_code(phone=phone, purpose=purpose)
    return last_code(phone)


def enabled_card(chosen: str = PIN) -> Card:
    """A received card enabled online by its holder with the PIN `chosen`."""
    card = sealed_card()
    code = sms_code(card.holder.phone, "card_enable")
    return pin.enable_card(user=card.holder, card=card, sms_code=code, pin=chosen, pin_repeat=chosen)


def clerk():
    return new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"])


def counter_card() -> Card:
    """A card enabled at the counter: its PIN is the initial one."""
    card = sealed_card()
    return pin.enable_at_counter(staff=clerk(), card=card, id_number=card.holder_id_number, document_checked=True)


def pin_row(card: Card) -> CardPin:
    return CardPin.objects.get(card_id=card.pk)
