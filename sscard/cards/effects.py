"""What follows a change of a card's state, inside the same transaction as the change itself.

`services.change_card_state` calls `after_state_change` once the state, the history row and the audit event are
written. Each consequence is one explicit call below (no signals: the order and the transaction are visible
here): the electronic card dies with the state change, the bank is told through the outbox, the transit hot
list gains or loses the card.
"""

from __future__ import annotations

from datetime import datetime

from .ecards import revoke_live_ecard


def after_state_change(*, card, from_state: str, to_state: str, channel: str, actor, at: datetime,
                       reason: str = "") -> None:
    """Run every consequence of `card` going from `from_state` to `to_state` (inside the caller's transaction)."""
    from . import bank_outbox

    # The card's bank, through the outbox (not a change the bank itself reported: no echo).
    bank_outbox.record_outgoing_event(card=card, from_state=from_state, to_state=to_state, channel=channel, at=at)
    # The electronic card dies with any change of the physical card.
    revoke_live_ecard(card=card, reason=to_state, actor=actor, at=at)
    from . import hotlist  # here, not at the top: hotlist reads the models, which the services import first

    hotlist.record_state_change(card=card, from_state=from_state, to_state=to_state, at=at)
