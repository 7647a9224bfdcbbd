"""Expiry: an active card past its expiry date becomes "expired" (channel system), by the daily beat task
`sscard.cards.expire_cards`. Idempotent: a card already expired, or changed meanwhile, is left alone."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sscard.domain.cardstates import CardState, Channel

from .models import Card
from .services import CardError, change_card_state

REASON_EXPIRED = "expired"


def expire_cards(*, today: date | None = None) -> int:
    """Move every active card whose expiry date has passed (the card is valid up to and including its expiry
    date) to "expired". Returns how many expired."""
    today = today or timezone.localdate()
    expired = 0
    for card in Card.objects.filter(state=CardState.ACTIVE, expiry_date__lt=today).order_by("pk").iterator():
        try:
            change_card_state(card=card, to_state=CardState.EXPIRED, channel=Channel.SYSTEM, reason=REASON_EXPIRED,
                              expected_state=CardState.ACTIVE)
        except CardError:
            continue  # changed since it was read (a loss report, a cancellation): not active any more
        expired += 1
    return expired
