"""Cancellation of a card by staff (注销): death of the holder, settling abroad, a duplicate card.

1. A clerk at a counter requests it for a card of a case in their areas (`request_cancellation`), with the
   reason and a note; nothing changes for the card yet. A second waiting request for the same card, or a
   card already cancelled, is refused.
2. A supervisor, another person, of the same area confirms or declines it (`decide_cancellation`).
   Confirmed: the card goes to "cancelled" through `services.change_card_state` (channel counter; history
   row and audit event) and the holder is told by SMS in their language. Declined: nothing changes.

Each action runs in one transaction with the rows it depends on locked and checked again, and audits itself.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.casework.services.base import require
from sscard.domain import cardstates
from sscard.domain.cardstates import CardState, Channel
from sscard.notify.services import send_sms_to_user
from sscard.notify.texts import Text

from .counter import check_counter, in_area
from .loss import MSG_AREA
from .models import Card, CardCancellation
from .services import CardError, change_card_state

SUBJECT = "card"

MSG_REASON = gettext_noop("Choose the reason for the cancellation.")
MSG_ALREADY = gettext_noop("This card has already been cancelled.")
MSG_PENDING = gettext_noop("A cancellation of this card is already waiting for a supervisor's confirmation.")
MSG_DECIDED = gettext_noop("This cancellation was already decided by someone else a moment ago. Reload the page.")
MSG_OWN = gettext_noop("A cancellation must be confirmed by someone other than the person who requested it.")

SMS_CANCELLED = gettext_noop("Social security card %(number)s has been cancelled (%(reason)s) and can no longer be "
                             "used. If you think this is a mistake, go to a service outlet.")


def request_cancellation(*, staff, card: Card, reason: str, note: str = "", request=None) -> CardCancellation:
    """A clerk asks for the card to be cancelled; it is cancelled when a supervisor confirms."""
    check_counter(staff, card)
    if reason not in CardCancellation.Reason.values:
        raise CardError("reason", MSG_REASON)
    try:
        with transaction.atomic():
            locked = Card.objects.select_for_update().get(pk=card.pk)
            if locked.state == CardState.CANCELLED:
                raise CardError("already_cancelled", MSG_ALREADY, subject=locked)
            try:
                cardstates.check_transition(locked.state, CardState.CANCELLED, Channel.COUNTER)
            except cardstates.TransitionError as error:
                raise CardError(error.code, error.message, subject=locked) from None
            if CardCancellation.objects.filter(card=locked, decision=CardCancellation.Decision.PENDING).exists():
                raise CardError("pending", MSG_PENDING, subject=locked)
            cancellation = CardCancellation.objects.create(card=locked, reason=reason, note=note.strip(),
                                                           requested_by=staff, requested_at=timezone.now())
            record_event(event_type="cards.cancellation_requested", actor=staff, request=request,
                         subject_type=SUBJECT, subject_id=locked.card_number,
                         data={"cancellation": cancellation.pk, "reason": reason, "state": locked.state})
    except IntegrityError:
        # Another clerk requested the cancellation of the same card at the same moment.
        raise CardError("pending", MSG_PENDING) from None
    return cancellation


def decide_cancellation(*, staff, cancellation: CardCancellation, confirm: bool, note: str = "",
                        request=None) -> CardCancellation:
    """A supervisor other than the requester confirms (the card is cancelled, the holder told by SMS) or
    declines (nothing changes) a waiting cancellation of a card in their areas."""
    require(staff, "confirm_cancellation")
    with transaction.atomic():
        locked = (CardCancellation.objects.select_for_update(of=("self",)).select_related("card", "card__holder")
                  .get(pk=cancellation.pk))
        card = locked.card
        if not in_area(staff, card):
            raise CardError("area", MSG_AREA)
        if locked.decision != CardCancellation.Decision.PENDING:
            raise CardError("decided", MSG_DECIDED)
        if locked.requested_by_id == staff.pk:
            raise CardError("own_request", MSG_OWN)
        locked.decision = (CardCancellation.Decision.CONFIRMED if confirm else CardCancellation.Decision.DECLINED)
        locked.decided_by, locked.decided_at, locked.decision_note = staff, timezone.now(), note.strip()
        locked.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        if confirm:
            card = change_card_state(card=card, to_state=CardState.CANCELLED, actor=staff, channel=Channel.COUNTER,
                                     reason=f"cancellation: {locked.reason}", request=request)
            reason_label = CardCancellation.Reason(locked.reason).label
            send_sms_to_user(user=card.holder, purpose="card_cancelled",
                             text=Text(SMS_CANCELLED, {"number": card.card_number, "reason": reason_label}))
        record_event(event_type=f"cards.cancellation_{locked.decision}", actor=staff, request=request,
                     subject_type=SUBJECT, subject_id=card.card_number,
                     data={"cancellation": locked.pk, "reason": locked.reason})
    cancellation.decision = locked.decision
    return locked
