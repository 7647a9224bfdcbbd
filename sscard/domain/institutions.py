"""Designated medical institutions (定点医药机构), in pure Python: the shape of their code, the states of their
agreement and whether one may settle on a given day.

- **Code**: the national medical insurance platform's institution code (`fixmedins_code`): "H" for a hospital or
  health centre, "P" for a retail pharmacy, then the 6-digit area code (GB/T 2260) and a 5-digit sequence, e.g.
  `H42010600001`. The letter must match the tier (pharmacy or not) and the area digits the institution's area.
- **Agreement states**: `pending` (entered, not yet approved) → `approved` ⇄ `suspended`. Staff approve and
  suspend (the reference app's services, audited); nothing else changes the state.
- **May settle** on a day when approved and the day is within the agreement's validity (from and to inclusive).
"""

from __future__ import annotations

import enum
import re
from datetime import date

from .settlement import Tier, gettext_noop


class AgreementState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SUSPENDED = "suspended"


TRANSITIONS = {
    AgreementState.PENDING: frozenset({AgreementState.APPROVED}),
    AgreementState.APPROVED: frozenset({AgreementState.SUSPENDED}),
    AgreementState.SUSPENDED: frozenset({AgreementState.APPROVED}),
}


class Refusal(enum.StrEnum):
    """Why an institution may not settle today: stable codes (the settlement API's error codes use them)."""

    NOT_APPROVED = "institution_not_approved"
    SUSPENDED = "institution_suspended"
    NOT_STARTED = "agreement_not_started"
    LAPSED = "agreement_lapsed"


MESSAGES = {
    Refusal.NOT_APPROVED: gettext_noop("The institution's agreement has not been approved."),
    Refusal.SUSPENDED: gettext_noop("The institution's agreement is suspended."),
    Refusal.NOT_STARTED: gettext_noop("The institution's agreement is not valid yet."),
    Refusal.LAPSED: gettext_noop("The institution's agreement has lapsed."),
    "bad_code": gettext_noop("The institution code is H (hospital) or P (pharmacy), the 6-digit area code and a "
                             "5-digit number, for example H42010600001."),
    "code_tier": gettext_noop("A pharmacy's code starts with P, a hospital's or health centre's with H."),
    "code_area": gettext_noop("The code's area digits must be the institution's area code."),
    "dates": gettext_noop("The agreement must end on or after the day it starts."),
    "transition": gettext_noop("This institution's agreement cannot go from %(from)s to %(to)s."),
}

CODE_RE = re.compile(r"^([HP])(\d{6})(\d{5})$")


def code_problems(code: str, *, tier: str, district_code: str) -> list[str]:
    """The message keys of what is wrong with an institution code for its tier and area ([] when none)."""
    match = CODE_RE.match(code or "")
    if not match:
        return ["bad_code"]
    problems = []
    if (match.group(1) == "P") != (tier == Tier.PHARMACY):
        problems.append("code_tier")
    if match.group(2) != (district_code or ""):
        problems.append("code_area")
    return problems


def may_change(current: str, target: str) -> bool:
    return AgreementState(target) in TRANSITIONS[AgreementState(current)]


def may_settle(state: str, valid_from: date, valid_to: date, today: date) -> tuple[Refusal, ...]:
    """Every reason the institution may not settle on `today` (empty: it may)."""
    reasons = []
    if state == AgreementState.PENDING:
        reasons.append(Refusal.NOT_APPROVED)
    elif state == AgreementState.SUSPENDED:
        reasons.append(Refusal.SUSPENDED)
    if today < valid_from:
        reasons.append(Refusal.NOT_STARTED)
    elif today > valid_to:
        reasons.append(Refusal.LAPSED)
    return tuple(reasons)
