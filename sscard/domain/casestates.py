"""The state machine of a card application (a "case"), and who may move it.

Main road:
    submitted → under_review → bank_preopening → in_production → ready_for_pickup → collected
                                                              ↘ posted          → collected
Side ways:
    under_review → returned (for correction, every problem listed at once) → resubmitted → under_review
    bank_preopening → bank_failed (bank check failed) → resubmitted (citizen corrects) → under_review
    submitted / under_review / returned / resubmitted / bank_preopening / bank_failed → withdrawn (citizen;
        never once production has started)
    under_review / resubmitted / bank_failed → rejected (coded reason)
    in_production → under_review (supervisor sends a faulty case back to review)

Every transition names the roles that may perform it. The database layer (services) is the only caller
that writes a state; it asks `check_transition` first. The plain stages the citizen sees are data (the
`Stage` table); `DEFAULT_STAGES` below only seeds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


def gettext_noop(s: str) -> str:
    return s


class State(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    BANK_PREOPENING = "bank_preopening"
    BANK_FAILED = "bank_failed"
    IN_PRODUCTION = "in_production"
    READY_FOR_PICKUP = "ready_for_pickup"
    POSTED = "posted"
    COLLECTED = "collected"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Role(StrEnum):
    CITIZEN = "citizen"
    REVIEWER = "reviewer"
    PRODUCTION = "production"
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


S, R = State, Role

# (from, to) -> roles allowed. The supervisor can do what a reviewer, production operator or clerk can.
TRANSITIONS: dict[tuple[State, State], frozenset[Role]] = {
    (S.SUBMITTED, S.UNDER_REVIEW): frozenset({R.REVIEWER, R.SUPERVISOR, R.SYSTEM}),
    (S.SUBMITTED, S.WITHDRAWN): frozenset({R.CITIZEN}),
    (S.UNDER_REVIEW, S.BANK_PREOPENING): frozenset({R.REVIEWER, R.SUPERVISOR}),
    (S.UNDER_REVIEW, S.RETURNED): frozenset({R.REVIEWER, R.SUPERVISOR}),
    (S.UNDER_REVIEW, S.REJECTED): frozenset({R.REVIEWER, R.SUPERVISOR}),
    (S.UNDER_REVIEW, S.WITHDRAWN): frozenset({R.CITIZEN}),
    (S.RETURNED, S.RESUBMITTED): frozenset({R.CITIZEN}),
    (S.RETURNED, S.WITHDRAWN): frozenset({R.CITIZEN}),
    (S.RESUBMITTED, S.UNDER_REVIEW): frozenset({R.REVIEWER, R.SUPERVISOR, R.SYSTEM}),
    (S.RESUBMITTED, S.REJECTED): frozenset({R.REVIEWER, R.SUPERVISOR}),
    (S.RESUBMITTED, S.WITHDRAWN): frozenset({R.CITIZEN}),
    (S.BANK_PREOPENING, S.IN_PRODUCTION): frozenset({R.SYSTEM, R.PRODUCTION, R.SUPERVISOR}),
    (S.BANK_PREOPENING, S.BANK_FAILED): frozenset({R.SYSTEM, R.PRODUCTION, R.SUPERVISOR}),
    (S.BANK_PREOPENING, S.WITHDRAWN): frozenset({R.CITIZEN}),
    (S.BANK_FAILED, S.RESUBMITTED): frozenset({R.CITIZEN}),
    (S.BANK_FAILED, S.REJECTED): frozenset({R.REVIEWER, R.SUPERVISOR}),
    (S.BANK_FAILED, S.WITHDRAWN): frozenset({R.CITIZEN}),
    (S.IN_PRODUCTION, S.READY_FOR_PICKUP): frozenset({R.PRODUCTION, R.CLERK, R.SUPERVISOR}),
    (S.IN_PRODUCTION, S.POSTED): frozenset({R.PRODUCTION, R.SUPERVISOR}),
    (S.IN_PRODUCTION, S.UNDER_REVIEW): frozenset({R.SUPERVISOR}),
    (S.READY_FOR_PICKUP, S.COLLECTED): frozenset({R.CLERK, R.SUPERVISOR}),
    (S.POSTED, S.COLLECTED): frozenset({R.SYSTEM, R.CLERK, R.SUPERVISOR}),
}

INITIAL = S.SUBMITTED
TERMINAL: frozenset[State] = frozenset({S.COLLECTED, S.REJECTED, S.WITHDRAWN})
# "In progress" for the one-person-one-card rule: every state that is not terminal.
ACTIVE: frozenset[State] = frozenset(set(State) - TERMINAL)
# States in which the citizen must act (correct and resubmit).
NEEDS_CITIZEN: frozenset[State] = frozenset({S.RETURNED, S.BANK_FAILED})
# A card has been produced: the application ends in a card the person holds.
CARD_ISSUED: frozenset[State] = frozenset({S.COLLECTED})

MSG_NOT_ALLOWED = gettext_noop("This change is not possible at the application's current stage.")
MSG_ROLE = gettext_noop("You may not make this change.")


class TransitionError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def can_transition(src: str, dst: str, role: str) -> bool:
    """True when `role` may move a case from `src` to `dst`."""
    try:
        roles = TRANSITIONS.get((State(src), State(dst)))
        role = Role(role)
    except ValueError:
        return False
    return bool(roles) and role in roles


def check_transition(src: str, dst: str, role: str) -> None:
    """Raise TransitionError unless `role` may move a case from `src` to `dst`."""
    try:
        key = (State(src), State(dst))
    except ValueError:
        raise TransitionError("unknown_state", MSG_NOT_ALLOWED) from None
    if key not in TRANSITIONS:
        raise TransitionError("not_allowed", MSG_NOT_ALLOWED)
    if not can_transition(src, dst, role):
        raise TransitionError("role", MSG_ROLE)


def targets(src: str, role: str | None = None) -> list[State]:
    """The states reachable from `src` in one step (by `role`, when given)."""
    return [dst for (s, dst), roles in TRANSITIONS.items()
            if s == src and (role is None or Role(role) in roles)]


def citizen_can_withdraw(state: str) -> bool:
    return can_transition(state, S.WITHDRAWN, R.CITIZEN)


def citizen_can_resubmit(state: str) -> bool:
    return can_transition(state, S.RESUBMITTED, R.CITIZEN)


# --- Defaults for the Stage table (configuration as data; seeded by a migration) --------------------------

class Plain(StrEnum):
    """The few stages a citizen sees."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    ACTION_NEEDED = "action_needed"
    IN_PRODUCTION = "in_production"
    READY = "ready"
    COMPLETED = "completed"
    CLOSED = "closed"


@dataclass(frozen=True)
class StageDefault:
    state: State
    order: int
    label: str
    plain: Plain
    lead_days: int  # working days this stage normally takes
    notify_citizen: bool


DEFAULT_STAGES: tuple[StageDefault, ...] = (
    StageDefault(S.SUBMITTED, 10, gettext_noop("Submitted"), Plain.SUBMITTED, 1, True),
    StageDefault(S.UNDER_REVIEW, 20, gettext_noop("Under review"), Plain.IN_REVIEW, 3, False),
    StageDefault(S.RETURNED, 25, gettext_noop("Returned for correction"), Plain.ACTION_NEEDED, 0, True),
    StageDefault(S.RESUBMITTED, 27, gettext_noop("Resubmitted"), Plain.IN_REVIEW, 3, False),
    StageDefault(S.BANK_PREOPENING, 30, gettext_noop("Bank account pre-opening"), Plain.IN_REVIEW, 5, True),  # "review passed"
    StageDefault(S.BANK_FAILED, 35, gettext_noop("Bank check failed"), Plain.ACTION_NEEDED, 0, True),
    StageDefault(S.IN_PRODUCTION, 40, gettext_noop("In production"), Plain.IN_PRODUCTION, 15, True),
    StageDefault(S.READY_FOR_PICKUP, 50, gettext_noop("Ready for pick-up"), Plain.READY, 0, True),
    StageDefault(S.POSTED, 55, gettext_noop("Posted"), Plain.READY, 5, True),
    StageDefault(S.COLLECTED, 60, gettext_noop("Collected"), Plain.COMPLETED, 0, False),
    StageDefault(S.REJECTED, 90, gettext_noop("Rejected"), Plain.CLOSED, 0, True),
    StageDefault(S.WITHDRAWN, 95, gettext_noop("Withdrawn"), Plain.CLOSED, 0, True),
)
