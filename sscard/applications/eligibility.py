"""May this account apply for this person now? The domain's rules (`sscard.domain.eligibility`: age of
guardianship, the account's own ID number) and then the one-person-one-card rule, which reads the
applications. Called by the applicant step's form, so the form holds only the shape of the input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sscard.domain import eligibility

from . import selectors
from .selectors import Blocker

SELF, CHILD = "self", "child"


@dataclass(frozen=True)
class Eligibility:
    verdict: eligibility.Verdict
    blocker: Blocker | None = None  # one person, one card: why the subject may not apply now

    @property
    def subject(self):
        return self.verdict.subject

    @property
    def problem(self) -> tuple[str, dict] | None:
        """(English source text, parameters) of the first rule that refuses, or None."""
        if self.verdict.message:
            return self.verdict.message, self.verdict.params
        if self.blocker is not None:
            return self.blocker.message, self.blocker.params
        return None


def check_subject(*, user, applying_for: str, settings_row, today: date, child_id_number: str = "",
                  check_blocker: bool = True) -> Eligibility:
    """Check who the card is for: the account holder (`applying_for="self"`) or a child in their care.
    `check_blocker=False` leaves out the one-person-one-card rule (two queries), for callers that only need
    the subject (the photo step) or check the rule themselves (the submission)."""
    if applying_for == CHILD:
        verdict = eligibility.for_child(child_id_number=child_id_number, applicant_id_number=user.id_number,
                                        guardian_age=settings_row.guardian_age, today=today)
    else:
        verdict = eligibility.for_self(applicant_id_number=user.id_number, guardian_age=settings_row.guardian_age,
                                       today=today)
    blocker = None
    if verdict.eligible and check_blocker:
        blocker = selectors.blocking_reason(verdict.subject.number, user=user)
    return Eligibility(verdict, blocker)
