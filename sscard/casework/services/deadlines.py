"""Time limits: suspending and resuming the clock, extending the time limit (in working days)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.applications.models import Application
from sscard.domain import casestates, workdays
from sscard.reference import selectors as reference_selectors

from ..models import CaseFile
from .base import MSG_REASON, MSG_STAGE, CaseworkError, lock_casefile, note_action, open_case, stage_label

MSG_NOT_SUSPENDED = gettext_noop("The case is not suspended.")
MSG_ALREADY_SUSPENDED = gettext_noop("The case is already suspended.")
MSG_DAYS = gettext_noop("Extend by 1 to 60 working days.")


# --- Time limits --------------------------------------------------------------------------------------------

def _due(locked: Application, casefile: CaseFile):
    return casefile.deadline or locked.expected_completion


def suspend(*, staff, application: Application, reason: str, expected_state: str | None = None, request=None):
    """Stop the clock (waiting for another agency, a court...). The time limit moves on by the working days
    the case stays suspended."""
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    with transaction.atomic():
        locked = open_case(staff, application, "manage_deadline", expected_state)
        if locked.state in casestates.TERMINAL:
            raise CaseworkError("not_allowed", MSG_STAGE, {"stage": stage_label(locked.state)})
        casefile = lock_casefile(locked)
        if casefile.suspended_since is not None:
            raise CaseworkError("suspended", MSG_ALREADY_SUSPENDED)
        casefile.suspended_since, casefile.suspension_reason = timezone.now(), reason.strip()[:300]
        casefile.save(update_fields=["suspended_since", "suspension_reason"])
        note_action(staff, locked, "suspended", reason=reason.strip(), request=request)
    return casefile


def resume(*, staff, application: Application, reason: str = "", expected_state: str | None = None,
           request=None):
    with transaction.atomic():
        locked = open_case(staff, application, "manage_deadline", expected_state)
        casefile = lock_casefile(locked)
        if casefile.suspended_since is None:
            raise CaseworkError("not_suspended", MSG_NOT_SUSPENDED)
        holidays, makeup = reference_selectors.holiday_sets()
        lost = workdays.working_days_between(timezone.localdate(casefile.suspended_since), timezone.localdate(),
                                             holidays, makeup)
        casefile.deadline = workdays.add_working_days(_due(locked, casefile), lost, holidays, makeup)
        casefile.suspended_since, casefile.suspension_reason = None, ""
        casefile.save(update_fields=["deadline", "suspended_since", "suspension_reason"])
        note_action(staff, locked, "resumed", reason=reason.strip(),
              data={"working_days_added": lost, "deadline": casefile.deadline.isoformat()}, request=request)
    return casefile


def extend_deadline(*, staff, application: Application, days: int, reason: str,
                    expected_state: str | None = None, request=None):
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    if not 1 <= int(days) <= 60:
        raise CaseworkError("days", MSG_DAYS)
    with transaction.atomic():
        locked = open_case(staff, application, "manage_deadline", expected_state)
        if locked.state in casestates.TERMINAL:
            raise CaseworkError("not_allowed", MSG_STAGE, {"stage": stage_label(locked.state)})
        casefile = lock_casefile(locked)
        holidays, makeup = reference_selectors.holiday_sets()
        before = _due(locked, casefile)
        casefile.deadline = workdays.add_working_days(before, int(days), holidays, makeup)
        casefile.save(update_fields=["deadline"])
        note_action(staff, locked, "deadline_extended", reason=reason.strip(),
              data={"days": int(days), "from": before.isoformat(), "to": casefile.deadline.isoformat()},
              request=request)
    return casefile
