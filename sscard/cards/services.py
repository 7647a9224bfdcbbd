"""Everything that writes cards. Called by the back office inside its own transactions."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.core.errors import DomainError
from sscard.domain import cardstates

from .effects import after_state_change
from .models import Card, CardReplacement, CardState, CardStatusChange

MSG_CARD_CHANGED = gettext_noop("The card changed in the meantime (it is now: %(state)s). Please look at it again.")


class CardError(DomainError):
    """A card action refused: `code` is the state machine's (or `card_changed`), `message` a msgid."""


def create_sealed_card(*, application, card_number: str, chip_id: str, issue_date: date, expiry_date: date,
                       bank_account: str, manufacturer: str, actor=None, request=None) -> Card:
    """Create the card the manufacturer made for `application`: sealed until the holder enables it. The card
    it replaces or renews, if any, is void at once (the same transaction)."""
    with transaction.atomic():
        card = Card.objects.create(
            application=application, holder=application.applicant, holder_id_number=application.subject_id_number,
            card_number=card_number, chip_id=chip_id.upper(), issue_date=issue_date, expiry_date=expiry_date,
            bank=application.bank, bank_account=bank_account, manufacturer=manufacturer, state=CardState.SEALED,
        )
        record_event(event_type="card.created", actor=actor, request=request, subject_type="card",
                     subject_id=card.card_number,
                     data={"application": application.office_code, "state": card.state,
                           "expiry_date": expiry_date.isoformat(), "manufacturer": manufacturer})
        _void_replaced_card(application=application, new_card=card)
    return card


def _void_replaced_card(*, application, new_card: Card) -> None:
    """The old card of a replacement or renewal becomes `replaced` (channel system) when the new card is
    issued. A card already void (expired or cancelled meanwhile) stays as it is."""
    link = CardReplacement.objects.filter(application=application).select_related("old_card").first()
    if link is None or link.old_card.state in cardstates.FINAL:
        return
    change_card_state(card=link.old_card, to_state=CardState.REPLACED, channel=cardstates.Channel.SYSTEM,
                      reason=f"replaced by card {new_card.card_number}")


def mark_delivered(*, card: Card, actor=None, request=None) -> Card:
    card.delivered_at = timezone.now()
    card.save(update_fields=["delivered_at"])
    return card


def taken(*, card_numbers: set[str], chip_ids: set[str]) -> set[tuple[str, str, int]]:
    """(card number, chip id, application id) of the cards that already use one of these numbers or ids."""
    return {(c.card_number, c.chip_id, c.application_id) for c in
            Card.objects.filter(card_number__in=card_numbers) | Card.objects.filter(chip_id__in=chip_ids)}


def change_card_state(*, card: Card, to_state: str, actor=None, channel: str, reason: str = "",
                      expected_state: str | None = None, request=None) -> Card:
    """The one way a card's state changes: lock the card's row, check that it is still in `expected_state`
    (default: the state `card` was read in; of two concurrent actions one wins, the other is told the card
    changed), ask the state machine whether `to_state` may be reached through `channel`, then write the state,
    the history row and the audit event in one transaction. Returns the card as saved."""
    expected = card.state if expected_state is None else expected_state
    with transaction.atomic():
        locked = Card.objects.select_for_update().get(pk=card.pk)
        if locked.state != expected:
            raise CardError("card_changed", MSG_CARD_CHANGED, {"state": CardState(locked.state).label},
                            subject=locked)
        try:
            cardstates.check_transition(locked.state, to_state, channel)
        except cardstates.TransitionError as error:
            raise CardError(error.code, error.message, subject=locked) from None
        from_state, now = locked.state, timezone.now()
        locked.state = to_state
        locked.save(update_fields=["state"])
        CardStatusChange.objects.create(card=locked, from_state=from_state, to_state=to_state, channel=channel,
                                        note=reason, actor=actor, at=now)
        record_event(event_type="card.state_changed", actor=actor, request=request, subject_type="card",
                     subject_id=locked.card_number,
                     data={"from": from_state, "to": to_state, "channel": channel, "reason": reason})
        after_state_change(card=locked, from_state=from_state, to_state=to_state, channel=channel, actor=actor,
                           at=now, reason=reason)
    card.state = locked.state
    return locked
