"""Objections to a contribution record (art. 74, 2011 Measures): the states an objection moves through, and
the rules of a consultation's rating. Pure Python, no Django.

    submitted --claim--> claimed --correct--> corrected
                                 \\--reject--> rejected

A records officer claims a submitted objection (nobody else decides it then) and decides it: *corrected* (new
ledger versions, linked to the objection) or *rejected* (with a reason). Both decisions are final: a new doubt
is a new objection.
"""

from __future__ import annotations

from datetime import date


def gettext_noop(s: str) -> str:
    return s


SUBMITTED = "submitted"
CLAIMED = "claimed"
CORRECTED = "corrected"
REJECTED = "rejected"
STATES = (SUBMITTED, CLAIMED, CORRECTED, REJECTED)
OPEN_STATES = frozenset({SUBMITTED, CLAIMED})

TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({CLAIMED}),
    CLAIMED: frozenset({CORRECTED, REJECTED}),
    CORRECTED: frozenset(),
    REJECTED: frozenset(),
}

MSG_TRANSITION = gettext_noop("This objection is %(state)s: that action is not possible now.")
MSG_RATING = gettext_noop("Choose a rating from 1 to 5.")

MIN_RATING, MAX_RATING = 1, 5


class TransitionError(ValueError):
    def __init__(self, from_state: str, to_state: str):
        super().__init__(f"{from_state} -> {to_state}")
        self.from_state = from_state
        self.to_state = to_state


def check_transition(from_state: str, to_state: str) -> None:
    """Raise TransitionError unless an objection may move from `from_state` to `to_state`."""
    if to_state not in TRANSITIONS.get(from_state, frozenset()):
        raise TransitionError(from_state, to_state)


def is_overdue(state: str, deadline: date | None, today: date) -> bool:
    """An open objection (or question) whose deadline has passed (the deadline day itself is still in time)."""
    return state in OPEN_STATES and deadline is not None and today > deadline


def valid_rating(value) -> int | None:
    """The rating as an int 1..5, or None when it is not one."""
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return rating if MIN_RATING <= rating <= MAX_RATING else None
