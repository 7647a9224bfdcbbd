"""The counter's own card actions (a clerk at a service outlet, permission `outlet_counter`) that are not a
business area of their own: the area gate of a card, the audited read of the counter card page and of a
search, and the withdrawal of a temporary loss report at the counter. The formal loss report is
`loss.report_formal_loss`, the cancellation `cancellation.py`.

Every state change goes through `services.change_card_state` (state machine, row lock, history, audit event).
"""

from __future__ import annotations

from sscard.audit.services import record_event
from sscard.casework import selectors as case_selectors
from sscard.casework.services.base import require
from sscard.domain.cardstates import CardState, Channel

from .loss import MSG_AREA
from .models import Card
from .services import CardError, change_card_state


def in_area(staff, card: Card) -> bool:
    """Is the card's case one of the staff member's areas (the back office's one gate, `cases_visible_to`)?"""
    return case_selectors.cases_visible_to(staff).filter(pk=card.application_id).exists()


def check_counter(staff, card: Card) -> None:
    """The gate of every counter action on a card: the permission, then the area."""
    require(staff, "outlet_counter")
    if not in_area(staff, card):
        raise CardError("area", MSG_AREA)


def record_card_view(*, staff, card: Card, request=None) -> None:
    """A staff read of the counter card page (the holder's masked data, the bank account, the history)."""
    record_event(event_type="cards.counter_card_viewed", actor=staff, request=request, subject_type="card",
                 subject_id=card.card_number, data={"state": card.state})


def record_search(*, staff, query: str, found: int, request=None) -> None:
    """A counter search by card number or ID number (`record_event` masks an ID number in the query)."""
    record_event(event_type="cards.counter_search", actor=staff, request=request, subject_type="card",
                 data={"query": query, "found": found})


def withdraw_loss_at_counter(*, staff, card: Card, expected_state: str | None = None, request=None) -> Card:
    """A clerk withdraws a temporary loss report for the holder at the counter (解挂). The state machine refuses
    a formal loss report ("formal_loss_final") and any card not reported lost."""
    check_counter(staff, card)
    return change_card_state(card=card, to_state=CardState.ACTIVE, actor=staff, channel=Channel.COUNTER,
                             reason="loss report withdrawn at the counter", expected_state=expected_state,
                             request=request)
