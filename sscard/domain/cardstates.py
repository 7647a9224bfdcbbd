"""The state machine of an issued card, and through which channel each change may be made.

    sealed → active                         (the holder enables the card)
    active ⇄ temporarily_lost               (temporary loss report; its withdrawal, or its lapse)
    active / temporarily_lost → formally_lost   (formal loss report, at a counter only; not withdrawable)
    formally_lost / temporarily_lost / active → replaced
                                            (the system, when the replacement or renewal card is issued: a
                                            lost card, a damaged card still active, a card renewed before
                                            its expiry; the old card is void at once)
    active → expired                        (the system, on the expiry date)
    any other state → cancelled             (staff: death, settling abroad, duplicate; or the system)

Channels: online (the holder in "My card"), counter (a clerk at an outlet), bank (the card's bank reports a
loss or its withdrawal: "一方挂失，双方共享"), system (lapses, expiry, replacement issued).

`check_transition` is the one question the services ask; a refusal is a `TransitionError` whose `code` is
stable (the API and tests use it) and whose `message` is an English msgid for the holder or clerk.
"""

from __future__ import annotations

from enum import StrEnum


def gettext_noop(s: str) -> str:
    return s


class CardState(StrEnum):
    SEALED = "sealed"
    ACTIVE = "active"
    TEMPORARILY_LOST = "temporarily_lost"
    FORMALLY_LOST = "formally_lost"
    REPLACED = "replaced"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    ONLINE = "online"
    COUNTER = "counter"
    BANK = "bank"
    SYSTEM = "system"


C, Ch = CardState, Channel

# (from, to) -> channels through which the change may be made.
TRANSITIONS: dict[tuple[CardState, CardState], frozenset[Channel]] = {
    (C.SEALED, C.ACTIVE): frozenset({Ch.ONLINE, Ch.COUNTER}),
    (C.ACTIVE, C.TEMPORARILY_LOST): frozenset({Ch.ONLINE, Ch.COUNTER, Ch.BANK}),
    (C.TEMPORARILY_LOST, C.ACTIVE): frozenset({Ch.ONLINE, Ch.COUNTER, Ch.BANK, Ch.SYSTEM}),
    (C.ACTIVE, C.FORMALLY_LOST): frozenset({Ch.COUNTER}),
    (C.TEMPORARILY_LOST, C.FORMALLY_LOST): frozenset({Ch.COUNTER}),
    (C.FORMALLY_LOST, C.REPLACED): frozenset({Ch.SYSTEM}),
    (C.TEMPORARILY_LOST, C.REPLACED): frozenset({Ch.SYSTEM}),
    (C.ACTIVE, C.REPLACED): frozenset({Ch.SYSTEM}),
    (C.ACTIVE, C.EXPIRED): frozenset({Ch.SYSTEM}),
    **{(state, C.CANCELLED): frozenset({Ch.COUNTER, Ch.SYSTEM}) for state in C if state != C.CANCELLED},
}

# A card in one of these states is no longer held: it does not block a new application (one person, one card).
# A replaced card is void from the moment its replacement is issued; the replacement is the card held then.
NOT_HELD = frozenset({C.CANCELLED, C.EXPIRED, C.REPLACED})
# A card in one of these states is replaced, not applied for again.
LOST = frozenset({C.TEMPORARILY_LOST, C.FORMALLY_LOST})
# Nothing happens to these any more except cancellation.
FINAL = frozenset({C.REPLACED, C.EXPIRED, C.CANCELLED})

MSG_UNKNOWN = gettext_noop("This change of the card is not possible.")
MSG_ALREADY_LOST = gettext_noop("The loss of this card has already been reported.")
MSG_SAME = gettext_noop("The card is already in this state.")
MSG_VOID = gettext_noop("This card is no longer valid: it has been replaced, has expired or has been cancelled.")
MSG_FORMAL_FINAL = gettext_noop("A formal loss report cannot be withdrawn. Apply for a replacement card instead.")
MSG_NOT_ENABLED = gettext_noop("This card has not been enabled yet.")
MSG_NOT_LOST = gettext_noop("This card has not been reported lost.")
MSG_COUNTER_ONLY = gettext_noop("This can only be done at a service outlet.")
MSG_NOT_ALLOWED = gettext_noop("This change is not possible for the card in its present state.")


class TransitionError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _refusal(src: CardState, dst: CardState) -> TransitionError:
    """Why the machine has no edge src → dst, as precisely as the holder or clerk needs it."""
    if src == dst:
        if src in LOST:
            return TransitionError("already_lost", MSG_ALREADY_LOST)
        return TransitionError("unchanged", MSG_SAME)
    if src in FINAL:
        return TransitionError("card_void", MSG_VOID)
    if src == C.FORMALLY_LOST and dst == C.ACTIVE:
        return TransitionError("formal_loss_final", MSG_FORMAL_FINAL)
    if src == C.SEALED and dst in LOST | {C.EXPIRED}:
        return TransitionError("not_enabled", MSG_NOT_ENABLED)
    if dst == C.REPLACED:
        return TransitionError("not_lost", MSG_NOT_LOST)
    return TransitionError("not_allowed", MSG_NOT_ALLOWED)


def check_transition(src: str, dst: str, channel: str) -> None:
    """Raise `TransitionError` unless a card may go from `src` to `dst` through `channel`."""
    try:
        src, dst, channel = CardState(src), CardState(dst), Channel(channel)
    except ValueError:
        raise TransitionError("unknown", MSG_UNKNOWN) from None
    channels = TRANSITIONS.get((src, dst))
    if channels is None:
        raise _refusal(src, dst)
    if channel not in channels:
        if channels == {Ch.COUNTER}:
            raise TransitionError("counter_only", MSG_COUNTER_ONLY)
        raise TransitionError("wrong_channel", MSG_NOT_ALLOWED)


def can_transition(src: str, dst: str, channel: str) -> bool:
    try:
        check_transition(src, dst, channel)
    except TransitionError:
        return False
    return True


def allowed_targets(src: str, channel: str) -> list[CardState]:
    """The states a card in `src` may be moved to through `channel` (what a page offers)."""
    return [dst for dst in C if can_transition(src, dst, channel)]
