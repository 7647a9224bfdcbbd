"""Who may be applied for online, and by whom (pure rules, no Django).

A person applies for themselves from the age of guardianship (`guardian_age`, configurable, default 16) with
the resident ID number registered with their account; under that age a parent or guardian applies from
their own account, with the child's ID number (never their own). The one-person-one-card rule needs the
database and is checked after these rules by `sscard.applications.eligibility`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .idnumber import IdNumberError, IdNumberInfo, parse_id_number


def gettext_noop(s: str) -> str:
    return s


MSG_OWN_NUMBER = gettext_noop("This is your own ID number.")
MSG_CHILD_TOO_OLD = gettext_noop("Only children under %(age)s are applied for by a guardian. From %(age)s, people "
                                 "apply for themselves with their own account.")
MSG_NO_RESIDENT_ID = gettext_noop("Online applications need a resident ID number registered with your account. "
                                  "Please apply at a service outlet with your document.")
MSG_TOO_YOUNG = gettext_noop("People under %(age)s are applied for by a parent or guardian from the guardian's own "
                             "account.")


@dataclass(frozen=True)
class Verdict:
    """`subject`: what the subject's ID number says (None when it is not a valid number). `message`: English
    source text of the rule that refuses the application ("" when none does), filled in with `params`."""

    subject: IdNumberInfo | None
    message: str = ""
    params: dict = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        return self.subject is not None and not self.message


def for_child(*, child_id_number: str, applicant_id_number: str | None, guardian_age: int, today: date) -> Verdict:
    """A guardian applies for a child: a valid ID number, not the guardian's own, of a child under
    `guardian_age` on `today`."""
    try:
        info = parse_id_number(child_id_number, today=today)
    except IdNumberError as error:
        return Verdict(None, error.message)
    if info.number == (applicant_id_number or "").upper():
        return Verdict(info, MSG_OWN_NUMBER)
    if info.age_on(today) >= guardian_age:
        return Verdict(info, MSG_CHILD_TOO_OLD, {"age": guardian_age})
    return Verdict(info)


def for_self(*, applicant_id_number: str | None, guardian_age: int, today: date) -> Verdict:
    """A person applies for themselves: a resident ID number registered with the account, aged at least
    `guardian_age` on `today`."""
    try:
        info = parse_id_number(applicant_id_number, today=today)
    except IdNumberError:
        return Verdict(None, MSG_NO_RESIDENT_ID)
    if info.age_on(today) < guardian_age:
        return Verdict(info, MSG_TOO_YOUNG, {"age": guardian_age})
    return Verdict(info)
