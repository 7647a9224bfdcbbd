"""Review: claiming and assigning a case, the review decisions (approve, return, rejection proposed and
confirmed by a second person), and sending a case in production back to review."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.applications import services as app_services
from sscard.applications.models import Application
from sscard.domain.casestates import State
from sscard.notify.texts import Joined, Text

from .. import selectors
from ..models import BatchItem, CaseFile, RejectionProposal
from ..reasons import REJECTION_REASONS, RETURN_REASONS, rejection_label
from ..roles import perm
from .base import (
    MSG_REASON,
    CaseworkError,
    audit_case,
    lock_casefile,
    machine_role,
    move,
    note_action,
    open_case,
)

MSG_ASSIGNED = gettext_noop("This case is assigned to %(name)s. Ask a supervisor to reassign it.")
MSG_PENDING = gettext_noop("A rejection of this case is waiting for a supervisor's confirmation.")
MSG_NO_PENDING = gettext_noop("No rejection of this case is waiting for confirmation.")
MSG_OWN = gettext_noop("A rejection must be confirmed by someone other than the person who proposed it.")
MSG_NO_REASONS = gettext_noop("Choose at least one reason, each with a note for the citizen.")
MSG_NOTE_MISSING = gettext_noop("Write a note for the reason \"%(reason)s\".")
MSG_UNKNOWN_REASON = gettext_noop("Unknown reason code.")
MSG_SUSPENDED = gettext_noop("The case is suspended. Resume it first.")
MSG_ASSIGNEE = gettext_noop("That person cannot work on this case (not staff of this area).")
MSG_IN_BATCH = gettext_noop("This case is already in production batch %(batch)s.")

# A coded reason (in the reader's language) and the reviewer's own note (as written).
REASON_AND_NOTE = gettext_noop("%(reason)s: %(note)s")


def _check_assignment(staff, casefile: CaseFile) -> None:
    if (casefile.assigned_to_id and casefile.assigned_to_id != staff.pk
            and not staff.has_perm(perm("assign_case"))):
        holder = casefile.assigned_to
        raise CaseworkError("assigned", MSG_ASSIGNED, {"name": holder.real_name or holder.get_username()})


def _check_open_for_decision(locked: Application, casefile: CaseFile) -> None:
    if casefile.suspended_since is not None:
        raise CaseworkError("suspended", MSG_SUSPENDED)
    if locked.rejection_proposals.filter(outcome=RejectionProposal.Outcome.PENDING).exists():
        raise CaseworkError("pending_rejection", MSG_PENDING)



# --- Claim, assignment, review ------------------------------------------------------------------------------

def claim(*, staff, application: Application, expected_state: str | None = None, request=None) -> Application:
    """Take a case. A new or resubmitted case claimed by a reviewer goes under review at once."""
    with transaction.atomic():
        locked = open_case(staff, application, "claim_case", expected_state)
        casefile = lock_casefile(locked)
        _check_assignment(staff, casefile)
        casefile.assigned_to, casefile.assigned_at = staff, timezone.now()
        casefile.save(update_fields=["assigned_to", "assigned_at"])
        note_action(staff, locked, "claimed", request=request)
        if locked.state in (State.SUBMITTED, State.RESUBMITTED) and staff.has_perm(perm("review_case")):
            move(staff, locked, State.UNDER_REVIEW, request=request)
    application.refresh_from_db()
    return application


def assign(*, staff, application: Application, assignee, reason: str = "", expected_state: str | None = None,
           request=None) -> Application:
    with transaction.atomic():
        locked = open_case(staff, application, "assign_case", expected_state)
        if assignee is not None and not selectors.cases_visible_to(assignee).filter(pk=locked.pk).exists():
            raise CaseworkError("assignee", MSG_ASSIGNEE)
        casefile = lock_casefile(locked)
        casefile.assigned_to = assignee
        casefile.assigned_at = timezone.now() if assignee else None
        casefile.save(update_fields=["assigned_to", "assigned_at"])
        note_action(staff, locked, "assigned", reason=reason,
              data={"to": assignee.get_username() if assignee else ""}, request=request)
    return application


def start_review(*, staff, application: Application, expected_state: str | None = None, request=None):
    with transaction.atomic():
        locked = open_case(staff, application, "review_case", expected_state)
        casefile = lock_casefile(locked)
        _check_assignment(staff, casefile)
        if casefile.assigned_to_id is None:
            casefile.assigned_to, casefile.assigned_at = staff, timezone.now()
            casefile.save(update_fields=["assigned_to", "assigned_at"])
        change = move(staff, locked, State.UNDER_REVIEW, request=request)
    application.refresh_from_db()
    return change


def approve(*, staff, application: Application, note: str = "", expected_state: str | None = None,
            request=None):
    """Review passed: the case goes to its partner bank for account pre-opening."""
    with transaction.atomic():
        locked = open_case(staff, application, "review_case", expected_state)
        casefile = lock_casefile(locked)
        _check_assignment(staff, casefile)
        _check_open_for_decision(locked, casefile)
        change = move(staff, locked, State.BANK_PREOPENING, note=note.strip(), request=request)
        audit_case(staff, locked, "approved", request=request)
    application.refresh_from_db()
    return change


def return_for_correction(*, staff, application: Application, reasons: list[tuple[str, str]],
                          expected_state: str | None = None, request=None):
    """Return the case with every problem at once: coded reasons, each with a note for the citizen."""
    chosen = [(code, (note or "").strip()) for code, note in reasons]
    if not chosen:
        raise CaseworkError("no_reasons", MSG_NO_REASONS)
    for code, note in chosen:
        if code not in RETURN_REASONS:
            raise CaseworkError("reason", MSG_UNKNOWN_REASON)
        if not note:
            raise CaseworkError("note", MSG_NOTE_MISSING, {"reason": RETURN_REASONS[code][1]})
    # Each reason in the citizen's language (a text), with the reviewer's note as written.
    problems = [(RETURN_REASONS[code][0], Text(REASON_AND_NOTE, {"reason": RETURN_REASONS[code][1], "note": note}))
                for code, note in chosen]
    with transaction.atomic():
        locked = open_case(staff, application, "review_case", expected_state)
        casefile = lock_casefile(locked)
        _check_assignment(staff, casefile)
        _check_open_for_decision(locked, casefile)
        role = machine_role(staff, locked.state, State.RETURNED)
        try:
            change = app_services.return_for_correction(application=locked, actor=staff, problems=problems,
                                                        role=role, request=request)
        except app_services.ApplicationError as error:
            raise CaseworkError(error.code, error.message, error.params) from None
        audit_case(staff, locked, "returned", {"reasons": [code for code, _n in chosen]}, request=request)
    application.refresh_from_db()
    return change


def propose_rejection(*, staff, application: Application, reason_code: str, note: str = "",
                      expected_state: str | None = None, request=None) -> RejectionProposal:
    """A reviewer rejects with a coded reason; it takes effect once a supervisor confirms it."""
    if reason_code not in REJECTION_REASONS:
        raise CaseworkError("reason", MSG_UNKNOWN_REASON)
    with transaction.atomic():
        locked = open_case(staff, application, "review_case", expected_state)
        casefile = lock_casefile(locked)
        _check_assignment(staff, casefile)
        _check_open_for_decision(locked, casefile)
        machine_role(staff, locked.state, State.REJECTED)  # refuse early what could never be confirmed
        proposal = RejectionProposal.objects.create(application=locked, reason_code=reason_code,
                                                    note=note.strip(), proposed_by=staff,
                                                    proposed_at=timezone.now())
        note_action(staff, locked, "rejection_proposed", reason=f"{rejection_label(reason_code)}: {note.strip()}",
              data={"code": reason_code}, request=request)
    return proposal


def decide_rejection(*, staff, application: Application, confirm: bool, note: str = "",
                     expected_state: str | None = None, request=None):
    """A supervisor (not the proposer) confirms the rejection (the case is closed) or declines it."""
    with transaction.atomic():
        locked = open_case(staff, application, "confirm_rejection", expected_state)
        proposal = (RejectionProposal.objects.select_for_update(of=("self",))
                    .filter(application=locked, outcome=RejectionProposal.Outcome.PENDING).first())
        if proposal is None:
            raise CaseworkError("no_pending", MSG_NO_PENDING)
        if proposal.proposed_by_id == staff.pk:
            raise CaseworkError("own", MSG_OWN)
        proposal.decided_by, proposal.decided_at, proposal.decision_note = staff, timezone.now(), note.strip()
        if confirm:
            # The reason in the reader's language; the reviewer's own note as written.
            reason = REJECTION_REASONS.get(proposal.reason_code, proposal.reason_code)
            text = (Text(REASON_AND_NOTE, {"reason": reason, "note": proposal.note}) if proposal.note
                    else Joined((reason,)))
            move(staff, locked, State.REJECTED, note=text, request=request)
            proposal.outcome = RejectionProposal.Outcome.CONFIRMED
            audit_case(staff, locked, "rejection_confirmed", {"code": proposal.reason_code}, request=request)
        else:
            proposal.outcome = RejectionProposal.Outcome.DECLINED
            note_action(staff, locked, "rejection_declined", reason=note.strip(), data={"code": proposal.reason_code},
                  request=request)
        proposal.save()
    application.refresh_from_db()
    return proposal



def send_back_to_review(*, staff, application: Application, reason: str, expected_state: str | None = None,
                        request=None):
    """A supervisor sends a faulty case in production back to review (before it is in a batch)."""
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    with transaction.atomic():
        locked = open_case(staff, application, "send_back_to_review", expected_state)
        item = BatchItem.objects.filter(application=locked).select_related("batch").first()
        if item is not None:
            raise CaseworkError("in_batch", MSG_IN_BATCH, {"batch": item.batch.number})
        change = move(staff, locked, State.UNDER_REVIEW, note="", request=request)
        audit_case(staff, locked, "sent_back_to_review", {"reason": reason.strip()}, request=request)
    application.refresh_from_db()
    return change
