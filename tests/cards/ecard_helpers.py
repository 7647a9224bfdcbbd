"""Shared set-up of the e-card tests: a card in a given state, its holder's SMS code, an issued e-card."""

import re

from sscard.cards import ecards
from sscard.cards.models import Card
from sscard.domain.casestates import State
from sscard.notify.models import OutboxSms
from tests.casework.conftest import give_card, new_application


def card_in(state="active", application=None):
    card = give_card(application or new_application(state=State.IN_PRODUCTION))
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


def last_code(phone: str) -> str:
    sms = OutboxSms.objects.filter(phone=phone).order_by("-id").first()
    assert sms is not None, "no SMS was sent"
    return re.search(r"(?<!\d)(\d{6})(?!\d)", sms.text).group(1)


def issued(card, capture):
    """Issue the card's e-card through the service, as the holder does on the page."""
    with capture(execute=True):
        ecards.request_issue_code(user=card.holder, card=card)
    return ecards.issue_ecard(user=card.holder, card=card, sms_code=last_code(card.holder.phone))
