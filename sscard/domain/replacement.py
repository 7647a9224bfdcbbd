"""May a card be replaced or renewed now? Pure rules, no Django (`sscard.cards.replacement` asks them).

    replacement, reason "lost":    the card is reported lost (temporarily or formally). An active card is
                                   reported lost first (online or at a counter): the loss blocks it at once,
                                   while a replacement takes weeks.
    replacement, reason "damaged": the card is active (in use, but broken).
    renewal:                       the card is active and expires within `window_days` (default 60) from today.

A card that is replaced, expired or cancelled is not held any more (a first application is made instead); a
sealed card is not replaced online. Each refusal is a `Refusal` with a stable code and an English msgid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .cardstates import FINAL, LOST, CardState


def gettext_noop(s: str) -> str:
    return s


REPLACEMENT, RENEWAL = "replacement", "renewal"
LOST_REASON, DAMAGED = "lost", "damaged"

MSG_REPORT_LOSS_FIRST = gettext_noop("This card is not reported lost. Report the loss first (it blocks the card at "
                                     "once); then apply for a replacement.")
MSG_DAMAGED_NOT_ACTIVE = gettext_noop("Only a card in use can be replaced as damaged. A card reported lost is "
                                      "replaced as lost.")
MSG_SEALED = gettext_noop("A card that has not been enabled yet cannot be replaced or renewed online. Please go "
                          "to a service outlet.")
MSG_VOID = gettext_noop("This card is no longer valid: apply for a new card instead.")
MSG_RENEW_STATE = gettext_noop("Only a card in use can be renewed.")
MSG_RENEW_TOO_EARLY = gettext_noop("A card can be renewed from %(days)s days before its expiry date, that is from "
                                   "%(date)s.")
MSG_UNKNOWN = gettext_noop("Choose whether the card is lost or damaged.")


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    params: dict = field(default_factory=dict)


def renewal_opens(expiry_date: date, window_days: int) -> date:
    """The first day on which a card expiring on `expiry_date` may be renewed."""
    return expiry_date - timedelta(days=window_days)


def check(*, kind: str, reason: str, state: str, expiry_date: date, today: date,
          window_days: int) -> Refusal | None:
    """Why the card (in `state`, expiring on `expiry_date`) may not be replaced (`kind="replacement"`, with
    `reason` "lost" or "damaged") or renewed (`kind="renewal"`) on `today`; None when it may."""
    try:
        state = CardState(state)
    except ValueError:
        return Refusal("card_void", MSG_VOID)
    if state in FINAL:
        return Refusal("card_void", MSG_VOID)
    if state == CardState.SEALED:
        return Refusal("not_enabled", MSG_SEALED)
    if kind == RENEWAL:
        if state != CardState.ACTIVE:
            return Refusal("renewal_state", MSG_RENEW_STATE)
        opens = renewal_opens(expiry_date, window_days)
        if today < opens:
            return Refusal("renewal_too_early", MSG_RENEW_TOO_EARLY, {"days": window_days, "date": opens.isoformat()})
        return None
    if kind != REPLACEMENT or reason not in (LOST_REASON, DAMAGED):
        return Refusal("reason", MSG_UNKNOWN)
    if reason == LOST_REASON and state not in LOST:
        return Refusal("report_loss_first", MSG_REPORT_LOSS_FIRST)
    if reason == DAMAGED and state != CardState.ACTIVE:
        return Refusal("damaged_not_active", MSG_DAMAGED_NOT_ACTIVE)
    return None


def offers(*, state: str, expiry_date: date, today: date, window_days: int) -> dict[str, bool]:
    """What "My card" offers for a card: a replacement (lost or damaged) and a renewal."""
    return {
        "replace": any(check(kind=REPLACEMENT, reason=reason, state=state, expiry_date=expiry_date, today=today,
                             window_days=window_days) is None for reason in (LOST_REASON, DAMAGED)),
        "renew": check(kind=RENEWAL, reason="", state=state, expiry_date=expiry_date, today=today,
                       window_days=window_days) is None,
    }
