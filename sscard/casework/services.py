"""Everything the back office writes. One function per business action.

Each action, in one transaction: checks the staff member's permission, locks the application row, checks
that the case is in their area and still at the stage they saw (two staff acting at once: one wins, the
other is told what happened), moves the case through `sscard.applications.services.change_state` (state
machine, history row, audit event, notifications) and adds the back office's own bookkeeping and audit
event.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sscard.applications import photos
from sscard.applications import selectors as app_selectors
from sscard.applications import services as app_services
from sscard.applications.models import STATE_LABELS, Application, CorrectionItem
from sscard.audit.services import record_event
from sscard.cards import services as card_services
from sscard.cards.models import Card
from sscard.domain import casestates, idnumber, workdays
from sscard.domain.casestates import State
from sscard.domain.masking import mask_id_number, mask_name
from sscard.reference.models import Manufacturer, Outlet

from . import formats, selectors
from .banks import registry as banks
from .lines import ImportRejected, LineError
from .models import (
    BankExchange,
    BankExchangeItem,
    BatchItem,
    CaseAction,
    CaseFile,
    ImportRun,
    ProductionBatch,
    RejectionProposal,
    StaffArea,
)
from .reasons import REJECTION_REASONS, RETURN_REASONS, rejection_label, return_label
from .roles import MACHINE_ROLE, MACHINE_ROLE_ORDER, ROLE_LABELS, group_name, perm, roles_of

logger = logging.getLogger(__name__)
SUBJECT = "card_application"

MSG_STALE = gettext_noop("This case was changed by someone else a moment ago: it is now %(stage)s. Reload and try again.")
MSG_PERMISSION = gettext_noop("Your role does not allow this action.")
MSG_AREA = gettext_noop("This case is not in your area.")
MSG_STAGE = gettext_noop("This is not possible while the case is at the stage \"%(stage)s\".")
MSG_ROLE = casestates.MSG_ROLE
MSG_ASSIGNED = gettext_noop("This case is assigned to %(name)s. Ask a supervisor to reassign it.")
MSG_PENDING = gettext_noop("A rejection of this case is waiting for a supervisor's confirmation.")
MSG_NO_PENDING = gettext_noop("No rejection of this case is waiting for confirmation.")
MSG_OWN = gettext_noop("A rejection must be confirmed by someone other than the person who proposed it.")
MSG_REASON = gettext_noop("Give the reason.")
MSG_NO_REASONS = gettext_noop("Choose at least one reason, each with a note for the citizen.")
MSG_NOTE_MISSING = gettext_noop("Write a note for the reason \"%(reason)s\".")
MSG_UNKNOWN_REASON = gettext_noop("Unknown reason code.")
MSG_SUSPENDED = gettext_noop("The case is suspended. Resume it first.")
MSG_NOT_SUSPENDED = gettext_noop("The case is not suspended.")
MSG_ALREADY_SUSPENDED = gettext_noop("The case is already suspended.")
MSG_DAYS = gettext_noop("Extend by 1 to 60 working days.")
MSG_ASSIGNEE = gettext_noop("That person cannot work on this case (not staff of this area).")
MSG_FIELD = gettext_noop("This field cannot be revealed.")
MSG_NOTHING_TO_SEND = gettext_noop("No approved case is waiting for this bank.")
MSG_NOTHING_TO_BATCH = gettext_noop("No case is ready for production at this manufacturer.")
MSG_IN_BATCH = gettext_noop("This case is already in production batch %(batch)s.")
MSG_NOT_POST = gettext_noop("This card is to be collected at an outlet, not posted.")
MSG_NOT_PICKUP = gettext_noop("This card is to be posted, not collected at an outlet.")
MSG_NO_CARD = gettext_noop("The card has not been produced yet.")
MSG_NOT_RECEIVED = gettext_noop("The card has not been received at the outlet yet: receive its batch first.")
MSG_NOTHING_TO_RECEIVE = gettext_noop("No card of this batch is waiting to be received at your outlets.")
MSG_ID_MISMATCH = gettext_noop("The ID number presented does not match the cardholder's. Do not hand the card over.")
MSG_AGENT = gettext_noop("For an authorised agent, enter the agent's name and a valid ID number, and confirm that the "
               "written authorisation was checked.")
MSG_NOT_YOURS = gettext_noop("This card is not yours.")
MSG_FILE_AREA = gettext_noop("This file holds cases outside your area.")

# Line-level messages of the imports
L_NOT_IN_EXCHANGE = gettext_noop("Office code %(code)s is not in this request.")
L_NOT_IN_BATCH = gettext_noop("Office code %(code)s is not in this batch.")
L_STAGE = gettext_noop("Case %(code)s is now at the stage \"%(stage)s\": it cannot take this answer.")
L_ANSWERED = gettext_noop("Case %(code)s already has a different answer from the bank.")
L_ACCOUNT_MISMATCH = gettext_noop("The bank account does not match the account the bank pre-opened for %(code)s.")
L_OTHER_CARD = gettext_noop("Case %(code)s already has card %(card)s; a different result cannot replace it.")
L_CARD_TAKEN = gettext_noop("Card number or card identifier already belongs to another card.")
L_NOT_VISIBLE = gettext_noop("Case %(code)s is not in your area.")
L_NOT_POSTABLE = gettext_noop("Case %(code)s cannot be posted: %(why)s")
L_TRACKING_OTHER = gettext_noop("Case %(code)s was already posted with another tracking number.")

ACTION_LABELS = {
    "claimed": gettext_lazy("Claimed"),
    "assigned": gettext_lazy("Assigned"),
    "rejection_proposed": gettext_lazy("Rejection proposed"),
    "rejection_declined": gettext_lazy("Rejection declined"),
    "suspended": gettext_lazy("Suspended"),
    "resumed": gettext_lazy("Resumed"),
    "deadline_extended": gettext_lazy("Time limit extended"),
    "revealed": gettext_lazy("Personal data revealed"),
    "sent_to_bank": gettext_lazy("Sent to the bank"),
    "batched": gettext_lazy("Added to a production batch"),
    "card_produced": gettext_lazy("Card produced"),
    "received_at_outlet": gettext_lazy("Card received at the outlet"),
}
selectors.ACTION_LABELS.update(ACTION_LABELS)

REVEALABLE = {
    "subject_name": gettext_lazy("Name"),
    "subject_id_number": gettext_lazy("ID number"),
    "applicant_phone": gettext_lazy("Applicant's mobile phone"),
    "res_detail": gettext_lazy("Residential address"),
    "recipient_phone": gettext_lazy("Recipient's mobile phone"),
    "post_detail": gettext_lazy("Postal address"),
}


class CaseworkError(Exception):
    """A rule refused the action. `message` is English source text, `params` fill it in."""

    def __init__(self, code: str, message: str, params: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params or {}

    def translated(self) -> str:
        if not self.params:
            return _(self.message)
        return _(self.message) % {k: str(v) for k, v in self.params.items()}


@dataclass
class ImportResult:
    applied: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def nothing_changed(self) -> bool:
        return self.applied == 0


def _stage(state: str):
    return STATE_LABELS.get(state, state)


# --- Gatekeeping --------------------------------------------------------------------------------------------

def require(staff, codename: str) -> None:
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm(codename))):
        raise CaseworkError("permission", MSG_PERMISSION)


def _open(staff, application: Application, codename: str, expected_state: str | None = None) -> Application:
    """Inside a transaction: permission, row lock, area, and the stage the member of staff saw."""
    require(staff, codename)
    expected = expected_state or application.state
    locked = (Application.objects.select_for_update(of=("self",)).select_related("applicant", "bank", "outlet")
              .get(pk=application.pk))
    if not selectors.cases_visible_to(staff).filter(pk=locked.pk).exists():
        raise CaseworkError("area", MSG_AREA)
    if locked.state != expected:
        raise CaseworkError("stale", MSG_STALE, {"stage": _stage(locked.state)})
    return locked


def machine_role(staff, src: str, dst: str) -> str:
    """The state-machine role the member of staff acts as for src → dst, or a clear refusal."""
    if not casestates.TRANSITIONS.get((State(src), State(dst))):
        raise CaseworkError("not_allowed", MSG_STAGE, {"stage": _stage(src)})
    for role in MACHINE_ROLE_ORDER:
        if role in roles_of(staff) and casestates.can_transition(src, dst, MACHINE_ROLE[role]):
            return MACHINE_ROLE[role]
    raise CaseworkError("role", MSG_ROLE)


def _move(staff, locked: Application, to_state: str, *, note: str = "", request=None):
    role = machine_role(staff, locked.state, to_state)
    try:
        return app_services.change_state(application=locked, to_state=to_state, role=role, actor=staff,
                                         note=note, request=request)
    except app_services.ApplicationError as error:
        raise CaseworkError(error.code, error.message, error.params) from None


def _casefile(application: Application) -> CaseFile:
    casefile, _created = CaseFile.objects.select_for_update(of=("self",)).get_or_create(application=application)
    return casefile


def _note(staff, application, kind: str, *, reason: str = "", data: dict | None = None, request=None,
          audit: bool = True) -> CaseAction:
    action = CaseAction.objects.create(application=application, kind=kind, actor=staff, at=timezone.now(),
                                       reason=reason, data=data or {})
    if audit:
        record_event(event_type=f"casework.{kind}", actor=staff, request=request, subject_type=SUBJECT,
                     subject_id=application.office_code, data={"reason": reason, **(data or {})})
    return action


def _audit(staff, application, kind: str, data: dict | None = None, request=None) -> None:
    record_event(event_type=f"casework.{kind}", actor=staff, request=request, subject_type=SUBJECT,
                 subject_id=application.office_code, data=data or {})


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


# --- Staff --------------------------------------------------------------------------------------------------

def _area_from(spec) -> dict:
    if isinstance(spec, Outlet):
        return {"kind": StaffArea.Kind.OUTLET, "outlet": spec}
    kind, _sep, value = (spec if isinstance(spec, str) else ":".join(map(str, spec))).partition(":")
    if kind == StaffArea.Kind.OUTLET:
        # By its Chinese name (the original column), whatever language is active: `name` is translated.
        outlet = Outlet.objects.get(pk=int(value)) if value.isdigit() else Outlet.objects.get(name_zh_hans=value)
        return {"kind": kind, "outlet": outlet}
    if kind not in (StaffArea.Kind.CITY, StaffArea.Kind.DISTRICT) or not (value.isdigit() and len(value) == 6):
        raise ValueError(f"an area is city:<6-digit code>, district:<6-digit code> or outlet:<id>, not {spec!r}")
    return {"kind": kind, "region_code": value}


def create_staff_member(*, username: str, password: str, real_name: str, roles: list[str],
                        areas: list | tuple = ()):
    """A member of staff with back office roles and areas (demo data, the admin's set-up scripts).

    `roles`: any of reviewer, production, clerk, supervisor, auditor. `areas`: "city:420100",
    "district:420106", "outlet:<id or name>", ("district", "420106") or an Outlet.
    """
    from sscard.accounts.services import create_staff

    unknown = set(roles) - set(ROLE_LABELS)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {sorted(ROLE_LABELS)}")
    specs = [_area_from(spec) for spec in areas]
    with transaction.atomic():
        user = create_staff(username=username, password=password, real_name=real_name)
        set_roles_and_areas(user=user, roles=roles, areas=specs)
    return user


def set_roles_and_areas(*, user, roles: list[str], areas: list[dict], actor=None) -> None:
    with transaction.atomic():
        groups = [Group.objects.get(name=group_name(role)) for role in roles]
        user.groups.remove(*user.groups.filter(name__startswith="casework:"))
        user.groups.add(*groups)
        user.staff_areas.all().delete()
        for spec in areas:
            StaffArea.objects.create(user=user, **spec)
        record_event(event_type="casework.staff_roles_set", actor=actor, subject_type="user",
                     subject_id=str(user.pk),
                     data={"roles": sorted(roles),
                           "areas": [f"{a['kind']}:{a.get('region_code') or a['outlet'].pk}" for a in areas]})
    for attr in ("_casework_roles", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)


# --- Claim, assignment, review ------------------------------------------------------------------------------

def claim(*, staff, application: Application, expected_state: str | None = None, request=None) -> Application:
    """Take a case. A new or resubmitted case claimed by a reviewer goes under review at once."""
    with transaction.atomic():
        locked = _open(staff, application, "claim_case", expected_state)
        casefile = _casefile(locked)
        _check_assignment(staff, casefile)
        casefile.assigned_to, casefile.assigned_at = staff, timezone.now()
        casefile.save(update_fields=["assigned_to", "assigned_at"])
        _note(staff, locked, "claimed", request=request)
        if locked.state in (State.SUBMITTED, State.RESUBMITTED) and staff.has_perm(perm("review_case")):
            _move(staff, locked, State.UNDER_REVIEW, request=request)
    application.refresh_from_db()
    return application


def assign(*, staff, application: Application, assignee, reason: str = "", expected_state: str | None = None,
           request=None) -> Application:
    with transaction.atomic():
        locked = _open(staff, application, "assign_case", expected_state)
        if assignee is not None and not selectors.cases_visible_to(assignee).filter(pk=locked.pk).exists():
            raise CaseworkError("assignee", MSG_ASSIGNEE)
        casefile = _casefile(locked)
        casefile.assigned_to = assignee
        casefile.assigned_at = timezone.now() if assignee else None
        casefile.save(update_fields=["assigned_to", "assigned_at"])
        _note(staff, locked, "assigned", reason=reason,
              data={"to": assignee.get_username() if assignee else ""}, request=request)
    return application


def start_review(*, staff, application: Application, expected_state: str | None = None, request=None):
    with transaction.atomic():
        locked = _open(staff, application, "review_case", expected_state)
        casefile = _casefile(locked)
        _check_assignment(staff, casefile)
        if casefile.assigned_to_id is None:
            casefile.assigned_to, casefile.assigned_at = staff, timezone.now()
            casefile.save(update_fields=["assigned_to", "assigned_at"])
        change = _move(staff, locked, State.UNDER_REVIEW, request=request)
    application.refresh_from_db()
    return change


def approve(*, staff, application: Application, note: str = "", expected_state: str | None = None,
            request=None):
    """Review passed: the case goes to its partner bank for account pre-opening."""
    with transaction.atomic():
        locked = _open(staff, application, "review_case", expected_state)
        casefile = _casefile(locked)
        _check_assignment(staff, casefile)
        _check_open_for_decision(locked, casefile)
        change = _move(staff, locked, State.BANK_PREOPENING, note=note.strip(), request=request)
        _audit(staff, locked, "approved", request=request)
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
    problems = [(RETURN_REASONS[code][0], f"{return_label(code)}: {note}") for code, note in chosen]
    with transaction.atomic():
        locked = _open(staff, application, "review_case", expected_state)
        casefile = _casefile(locked)
        _check_assignment(staff, casefile)
        _check_open_for_decision(locked, casefile)
        role = machine_role(staff, locked.state, State.RETURNED)
        try:
            change = app_services.return_for_correction(application=locked, actor=staff, problems=problems,
                                                        role=role, request=request)
        except app_services.ApplicationError as error:
            raise CaseworkError(error.code, error.message, error.params) from None
        _audit(staff, locked, "returned", {"reasons": [code for code, _n in chosen]}, request=request)
    application.refresh_from_db()
    return change


def propose_rejection(*, staff, application: Application, reason_code: str, note: str = "",
                      expected_state: str | None = None, request=None) -> RejectionProposal:
    """A reviewer rejects with a coded reason; it takes effect once a supervisor confirms it."""
    if reason_code not in REJECTION_REASONS:
        raise CaseworkError("reason", MSG_UNKNOWN_REASON)
    with transaction.atomic():
        locked = _open(staff, application, "review_case", expected_state)
        casefile = _casefile(locked)
        _check_assignment(staff, casefile)
        _check_open_for_decision(locked, casefile)
        machine_role(staff, locked.state, State.REJECTED)  # refuse early what could never be confirmed
        proposal = RejectionProposal.objects.create(application=locked, reason_code=reason_code,
                                                    note=note.strip(), proposed_by=staff,
                                                    proposed_at=timezone.now())
        _note(staff, locked, "rejection_proposed", reason=f"{rejection_label(reason_code)}: {note.strip()}",
              data={"code": reason_code}, request=request)
    return proposal


def decide_rejection(*, staff, application: Application, confirm: bool, note: str = "",
                     expected_state: str | None = None, request=None):
    """A supervisor (not the proposer) confirms the rejection (the case is closed) or declines it."""
    with transaction.atomic():
        locked = _open(staff, application, "confirm_rejection", expected_state)
        proposal = (RejectionProposal.objects.select_for_update(of=("self",))
                    .filter(application=locked, outcome=RejectionProposal.Outcome.PENDING).first())
        if proposal is None:
            raise CaseworkError("no_pending", MSG_NO_PENDING)
        if proposal.proposed_by_id == staff.pk:
            raise CaseworkError("own", MSG_OWN)
        proposal.decided_by, proposal.decided_at, proposal.decision_note = staff, timezone.now(), note.strip()
        if confirm:
            reason = rejection_label(proposal.reason_code)
            text = f"{reason}: {proposal.note}" if proposal.note else reason
            _move(staff, locked, State.REJECTED, note=text, request=request)
            proposal.outcome = RejectionProposal.Outcome.CONFIRMED
            _audit(staff, locked, "rejection_confirmed", {"code": proposal.reason_code}, request=request)
        else:
            proposal.outcome = RejectionProposal.Outcome.DECLINED
            _note(staff, locked, "rejection_declined", reason=note.strip(), data={"code": proposal.reason_code},
                  request=request)
        proposal.save()
    application.refresh_from_db()
    return proposal


# --- Time limits --------------------------------------------------------------------------------------------

def _due(locked: Application, casefile: CaseFile):
    return casefile.deadline or locked.expected_completion


def suspend(*, staff, application: Application, reason: str, expected_state: str | None = None, request=None):
    """Stop the clock (waiting for another agency, a court...). The time limit moves on by the working days
    the case stays suspended."""
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    with transaction.atomic():
        locked = _open(staff, application, "manage_deadline", expected_state)
        if locked.state in casestates.TERMINAL:
            raise CaseworkError("not_allowed", MSG_STAGE, {"stage": _stage(locked.state)})
        casefile = _casefile(locked)
        if casefile.suspended_since is not None:
            raise CaseworkError("suspended", MSG_ALREADY_SUSPENDED)
        casefile.suspended_since, casefile.suspension_reason = timezone.now(), reason.strip()[:300]
        casefile.save(update_fields=["suspended_since", "suspension_reason"])
        _note(staff, locked, "suspended", reason=reason.strip(), request=request)
    return casefile


def resume(*, staff, application: Application, reason: str = "", expected_state: str | None = None,
           request=None):
    with transaction.atomic():
        locked = _open(staff, application, "manage_deadline", expected_state)
        casefile = _casefile(locked)
        if casefile.suspended_since is None:
            raise CaseworkError("not_suspended", MSG_NOT_SUSPENDED)
        holidays, makeup = app_selectors.holiday_sets()
        lost = workdays.working_days_between(timezone.localdate(casefile.suspended_since), timezone.localdate(),
                                             holidays, makeup)
        casefile.deadline = workdays.add_working_days(_due(locked, casefile), lost, holidays, makeup)
        casefile.suspended_since, casefile.suspension_reason = None, ""
        casefile.save(update_fields=["deadline", "suspended_since", "suspension_reason"])
        _note(staff, locked, "resumed", reason=reason.strip(),
              data={"working_days_added": lost, "deadline": casefile.deadline.isoformat()}, request=request)
    return casefile


def extend_deadline(*, staff, application: Application, days: int, reason: str,
                    expected_state: str | None = None, request=None):
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    if not 1 <= int(days) <= 60:
        raise CaseworkError("days", MSG_DAYS)
    with transaction.atomic():
        locked = _open(staff, application, "manage_deadline", expected_state)
        if locked.state in casestates.TERMINAL:
            raise CaseworkError("not_allowed", MSG_STAGE, {"stage": _stage(locked.state)})
        casefile = _casefile(locked)
        holidays, makeup = app_selectors.holiday_sets()
        before = _due(locked, casefile)
        casefile.deadline = workdays.add_working_days(before, int(days), holidays, makeup)
        casefile.save(update_fields=["deadline"])
        _note(staff, locked, "deadline_extended", reason=reason.strip(),
              data={"days": int(days), "from": before.isoformat(), "to": casefile.deadline.isoformat()},
              request=request)
    return casefile


# --- Personal data ------------------------------------------------------------------------------------------

def reveal(*, staff, application: Application, field_name: str, reason: str, request=None) -> str:
    """Show one masked field in full, once, and record who saw it and why."""
    if field_name not in REVEALABLE:
        raise CaseworkError("field", MSG_FIELD)
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    with transaction.atomic():
        locked = _open(staff, application, "reveal_personal_data", application.state)
        value = (locked.applicant.phone or "") if field_name == "applicant_phone" else getattr(locked, field_name)
        _note(staff, locked, "revealed", reason=reason.strip(), data={"field": field_name}, request=request)
    return value


# --- Bank pre-opening ---------------------------------------------------------------------------------------

def _number(prefix: str, model) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    count = model.objects.filter(number__startswith=f"{prefix}-{stamp}-").count()
    return f"{prefix}-{stamp}-{count + 1:04d}"


def export_bank_request(*, staff, bank, request=None) -> BankExchange:
    """Send every approved case of `bank` the member of staff can see in one request file."""
    require(staff, "bank_exchange")
    adapter = banks.adapter_for(bank)
    with transaction.atomic():
        cases = list(selectors.awaiting_bank(staff).filter(bank=bank).select_for_update(of=("self",))
                     .select_related("applicant"))
        if not cases:
            raise CaseworkError("empty", MSG_NOTHING_TO_SEND)
        exchange = BankExchange(number=_number("BK", BankExchange), bank=bank, adapter=adapter.identifier,
                                created_by=staff, created_at=timezone.now())
        name, content = adapter.build_request(exchange=exchange, applications=cases)
        exchange.request_sha256 = formats.sha256(content)
        exchange.save()
        BankExchangeItem.objects.bulk_create([BankExchangeItem(exchange=exchange, application=a) for a in cases])
        default_storage.save(_exchange_path(exchange), ContentFile(content))
        for application in cases:
            _note(staff, application, "sent_to_bank", data={"exchange": exchange.number}, audit=False)
        record_event(event_type="casework.bank_request_exported", actor=staff, request=request,
                     subject_type="bank_exchange", subject_id=exchange.number,
                     data={"bank": bank.code, "cases": len(cases), "sha256": exchange.request_sha256,
                           "adapter": adapter.identifier})
    return exchange


def _exchange_path(exchange: BankExchange) -> str:
    return f"casework/bank/{exchange.number}-request.csv"


def read_bank_request(exchange: BankExchange) -> bytes:
    with default_storage.open(_exchange_path(exchange), "rb") as fh:
        return fh.read()


def import_bank_response(*, staff, exchange: BankExchange, data: bytes, request=None) -> ImportResult:
    """Apply the bank's answers: all lines or none; the same file again changes nothing."""
    require(staff, "bank_exchange")
    if not selectors.exchanges_visible_to(staff).filter(pk=exchange.pk).exists():
        raise CaseworkError("area", MSG_FILE_AREA)
    adapter = banks.get(exchange.adapter)
    answers = adapter.parse_response(data)
    result = ImportResult()
    with transaction.atomic():
        items = {item.application.office_code: item for item in
                 BankExchangeItem.objects.select_for_update(of=("self",)).filter(exchange=exchange).select_related("application")}
        visible = set(selectors.cases_visible_to(staff).filter(bank_items__exchange=exchange)
                      .values_list("office_code", flat=True))
        errors, todo = [], []
        for answer in answers:
            item = items.get(answer.office_code)
            code = answer.office_code
            if item is None:
                errors.append(LineError(answer.line, L_NOT_IN_EXCHANGE, {"code": code}))
                continue
            if code not in visible:
                errors.append(LineError(answer.line, L_NOT_VISIBLE, {"code": code}))
                continue
            wanted = BankExchangeItem.Outcome.OPENED if answer.opened else BankExchangeItem.Outcome.FAILED
            if item.outcome != BankExchangeItem.Outcome.PENDING:
                same = item.outcome == wanted and (item.account_number == answer.account_number if answer.opened
                                                   else item.reason == answer.reason)
                if same:
                    result.unchanged += 1
                else:
                    errors.append(LineError(answer.line, L_ANSWERED, {"code": code}))
                continue
            locked = Application.objects.select_for_update(of=("self",)).get(pk=item.application_id)
            if locked.state != State.BANK_PREOPENING:
                errors.append(LineError(answer.line, L_STAGE, {"code": code, "stage": _stage(locked.state)}))
                continue
            todo.append((answer, item, locked, wanted))
        if errors:
            raise ImportRejected(errors)
        for answer, item, locked, wanted in todo:
            item.outcome = wanted
            item.account_number, item.reason = answer.account_number, answer.reason
            item.save(update_fields=["outcome", "account_number", "reason"])
            if answer.opened:
                _move(staff, locked, State.IN_PRODUCTION, request=request)
            else:
                change = _move(staff, locked, State.BANK_FAILED, note=answer.reason, request=request)
                CorrectionItem.objects.create(application=locked, change=change,
                                              section=CorrectionItem.Section.BANK, message=answer.reason[:300])
            result.applied += 1
        if not exchange.items.filter(outcome=BankExchangeItem.Outcome.PENDING).exists():
            exchange.status = BankExchange.Status.ANSWERED
            exchange.answered_at = exchange.answered_at or timezone.now()
        if result.applied:
            exchange.response_sha256 = formats.sha256(data)
        exchange.save()
        _import_run(staff, "bank_response", exchange.number, data, result, request)
    return result


def _import_run(staff, kind: str, target: str, data: bytes, result: ImportResult, request) -> None:
    digest = formats.sha256(data)
    ImportRun.objects.create(kind=kind, target=target, sha256=digest, actor=staff, at=timezone.now(),
                             applied=result.applied, unchanged=result.unchanged)
    record_event(event_type=f"casework.{kind}_imported", actor=staff, request=request, subject_type=kind,
                 subject_id=target, data={"sha256": digest, "applied": result.applied,
                                          "unchanged": result.unchanged})


# --- Production batches ------------------------------------------------------------------------------------

def create_batch(*, staff, manufacturer: Manufacturer, request=None) -> ProductionBatch:
    """Group every case ready for production at `manufacturer` (in the staff member's areas) in a batch and
    build its archive."""
    require(staff, "production_batch")
    makers = list(Manufacturer.objects.filter(active=True).prefetch_related("banks"))
    with transaction.atomic():
        ready = [a for a in selectors.ready_for_production(staff).select_for_update(of=("self",))
                 .select_related("bank", "applicant")
                 if getattr(selectors.manufacturer_for(a, makers), "pk", None) == manufacturer.pk]
        if not ready:
            raise CaseworkError("empty", MSG_NOTHING_TO_BATCH)
        batch = ProductionBatch(number=_number("PB", ProductionBatch), manufacturer=manufacturer,
                                created_by=staff, created_at=timezone.now())
        rows = [(line, application, selectors.opened_account(application))
                for line, application in enumerate(ready, start=1)]
        archive = formats.build_batch_archive(batch=batch, items=rows, read_photo=photos.read)
        batch.archive_sha256 = formats.sha256(archive)
        batch.save()
        BatchItem.objects.bulk_create([BatchItem(batch=batch, application=a, line=line) for line, a, _acc in rows])
        default_storage.save(_batch_path(batch), ContentFile(archive))
        for application in ready:
            _note(staff, application, "batched", data={"batch": batch.number}, audit=False)
        record_event(event_type="casework.batch_exported", actor=staff, request=request,
                     subject_type="production_batch", subject_id=batch.number,
                     data={"manufacturer": manufacturer.code, "cases": len(ready), "sha256": batch.archive_sha256})
    return batch


def _batch_path(batch: ProductionBatch) -> str:
    return f"casework/batches/{batch.number}.zip"


def read_batch_archive(batch: ProductionBatch) -> bytes:
    with default_storage.open(_batch_path(batch), "rb") as fh:
        return fh.read()


def import_batch_result(*, staff, batch: ProductionBatch, data: bytes, request=None) -> ImportResult:
    """Create the cards the manufacturer made: every line checked, all or nothing, idempotent."""
    require(staff, "production_batch")
    if not selectors.batches_visible_to(staff).filter(pk=batch.pk).exists():
        raise CaseworkError("area", MSG_FILE_AREA)
    lines = formats.parse_result(data)
    result = ImportResult()
    with transaction.atomic():
        items = {item.application.office_code: item for item in
                 BatchItem.objects.select_for_update(of=("self",)).filter(batch=batch)
                 .select_related("application", "application__bank", "card")}
        visible = set(selectors.cases_visible_to(staff).filter(batch_item__batch=batch)
                      .values_list("office_code", flat=True))
        numbers = {ln.card_number for ln in lines}
        ids = {ln.card_id for ln in lines}
        taken = {(c.card_number, c.chip_id, c.application_id) for c in
                 Card.objects.filter(card_number__in=numbers) | Card.objects.filter(chip_id__in=ids)}
        errors, todo = [], []
        for line in lines:
            code = line.office_code
            item = items.get(code)
            if item is None:
                errors.append(LineError(line.line, L_NOT_IN_BATCH, {"code": code}))
                continue
            if code not in visible:
                errors.append(LineError(line.line, L_NOT_VISIBLE, {"code": code}))
                continue
            if item.card is not None:
                card = item.card
                if (card.card_number, card.chip_id, card.issue_date, card.expiry_date, card.bank_account) == (
                        line.card_number, line.card_id, line.issue_date, line.expiry_date, line.bank_account):
                    result.unchanged += 1
                else:
                    errors.append(LineError(line.line, L_OTHER_CARD, {"code": code, "card": card.card_number}))
                continue
            if any(app_id != item.application_id for _n, _i, app_id in taken
                   if _n == line.card_number or _i == line.card_id):
                errors.append(LineError(line.line, L_CARD_TAKEN))
                continue
            application = item.application
            if application.state != State.IN_PRODUCTION:
                errors.append(LineError(line.line, L_STAGE, {"code": code, "stage": _stage(application.state)}))
                continue
            opened = selectors.opened_account(application)
            if opened and opened != line.bank_account:
                errors.append(LineError(line.line, L_ACCOUNT_MISMATCH, {"code": code}))
                continue
            todo.append((line, item))
        if errors:
            raise ImportRejected(errors)
        for line, item in todo:
            try:
                with transaction.atomic():
                    card = card_services.create_sealed_card(
                        application=item.application, card_number=line.card_number, chip_id=line.card_id,
                        issue_date=line.issue_date, expiry_date=line.expiry_date, bank_account=line.bank_account,
                        manufacturer=batch.manufacturer.code, actor=staff, request=request)
            except IntegrityError:
                raise ImportRejected([LineError(line.line, L_CARD_TAKEN)]) from None
            item.card = card
            item.save(update_fields=["card"])
            _note(staff, item.application, "card_produced", data={"batch": batch.number}, audit=False)
            result.applied += 1
        missing = batch.items.filter(card__isnull=True).exists()
        batch.status = ProductionBatch.Status.PARTIAL if missing else ProductionBatch.Status.PRODUCED
        batch.save(update_fields=["status"])
        _import_run(staff, "batch_result", batch.number, data, result, request)
    return result


def send_back_to_review(*, staff, application: Application, reason: str, expected_state: str | None = None,
                        request=None):
    """A supervisor sends a faulty case in production back to review (before it is in a batch)."""
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    with transaction.atomic():
        locked = _open(staff, application, "send_back_to_review", expected_state)
        item = BatchItem.objects.filter(application=locked).select_related("batch").first()
        if item is not None:
            raise CaseworkError("in_batch", MSG_IN_BATCH, {"batch": item.batch.number})
        change = _move(staff, locked, State.UNDER_REVIEW, note="", request=request)
        _audit(staff, locked, "sent_back_to_review", {"reason": reason.strip()}, request=request)
    application.refresh_from_db()
    return change


# --- Delivery -----------------------------------------------------------------------------------------------

def _card(application: Application) -> Card | None:
    return Card.objects.filter(application=application).first()


def _post_note(tracking: str) -> str:
    return _("Posted. Tracking number: %(number)s. When the card arrives, confirm its receipt in \"My cards\".") % {
        "number": tracking}


def record_tracking(*, staff, application: Application, tracking_number: str,
                    expected_state: str | None = None, request=None):
    """The card leaves by post: the tracking number is recorded and the citizen told."""
    tracking_number = tracking_number.strip()
    if not formats.TRACKING_RE.match(tracking_number):
        raise CaseworkError("tracking", formats.MSG_TRACKING)
    with transaction.atomic():
        locked = _open(staff, application, "dispatch_post", expected_state)
        _check_postable(locked)
        change = _post(staff, locked, tracking_number, request)
    application.refresh_from_db()
    return change


def _check_postable(locked: Application) -> None:
    if locked.delivery != "post":
        raise CaseworkError("not_post", MSG_NOT_POST)
    if locked.state == State.IN_PRODUCTION and _card(locked) is None:
        raise CaseworkError("no_card", MSG_NO_CARD)


def _post(staff, locked: Application, tracking: str, request):
    casefile = _casefile(locked)
    change = _move(staff, locked, State.POSTED, note=_post_note(tracking), request=request)
    casefile.tracking_number = tracking
    casefile.save(update_fields=["tracking_number"])
    _audit(staff, locked, "posted", {"tracking_number": tracking}, request=request)
    return change


def import_tracking(*, staff, data: bytes, request=None) -> ImportResult:
    require(staff, "dispatch_post")
    lines = formats.parse_tracking(data)
    result = ImportResult()
    with transaction.atomic():
        visible = selectors.cases_visible_to(staff)
        errors, todo = [], []
        for line in lines:
            locked = visible.select_for_update(of=("self",)).filter(office_code=line.office_code).first()
            if locked is None:
                errors.append(LineError(line.line, L_NOT_VISIBLE, {"code": line.office_code}))
                continue
            casefile = selectors.casefile_of(locked)
            if locked.state in (State.POSTED, State.COLLECTED) and casefile is not None and casefile.tracking_number:
                if casefile.tracking_number == line.tracking_number:
                    result.unchanged += 1
                else:
                    errors.append(LineError(line.line, L_TRACKING_OTHER, {"code": line.office_code}))
                continue
            try:
                _check_postable(locked)
                machine_role(staff, locked.state, State.POSTED)
            except CaseworkError as error:
                errors.append(LineError(line.line, L_NOT_POSTABLE, {"code": line.office_code,
                                                                     "why": _Translated(error)}))
                continue
            todo.append((line, locked))
        if errors:
            raise ImportRejected(errors)
        for line, locked in todo:
            _post(staff, locked, line.tracking_number, request)
            result.applied += 1
        _import_run(staff, "tracking", "", data, result, request)
    return result


class _Translated:
    def __init__(self, error: CaseworkError):
        self.error = error

    def __str__(self) -> str:
        return self.error.translated()


def confirm_receipt(*, user, application: Application, request=None):
    """The citizen confirms online that the posted card arrived: the case is completed."""
    if application.applicant_id != user.pk:
        raise CaseworkError("not_yours", MSG_NOT_YOURS)
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if locked.state != State.POSTED:
            raise CaseworkError("not_allowed", MSG_STAGE, {"stage": _stage(locked.state)})
        try:
            change = app_services.change_state(application=locked, to_state=State.COLLECTED,
                                               role=casestates.Role.SYSTEM, actor=user,
                                               note=_("Receipt confirmed online by the cardholder."),
                                               request=request)
        except app_services.ApplicationError as error:
            raise CaseworkError(error.code, error.message, error.params) from None
        card = _card(locked)
        if card is not None:
            card_services.mark_delivered(card=card, actor=user, request=request)
    application.refresh_from_db()
    return change


def receive_batch_at_outlet(*, staff, batch: ProductionBatch, request=None) -> int:
    """The clerk receives a batch: its produced pick-up cards for the clerk's outlets are at the counter."""
    require(staff, "outlet_counter")
    with transaction.atomic():
        cases = list(selectors.cases_visible_to(staff).select_for_update(of=("self",))
                     .filter(batch_item__batch=batch, batch_item__card__isnull=False, delivery="pickup",
                             state=State.IN_PRODUCTION))
        now, count = timezone.now(), 0
        for application in cases:
            casefile = _casefile(application)
            if casefile.received_at_outlet is None:
                casefile.received_at_outlet = now
                casefile.save(update_fields=["received_at_outlet"])
                _note(staff, application, "received_at_outlet", data={"batch": batch.number}, audit=False)
                count += 1
        if not count:
            raise CaseworkError("empty", MSG_NOTHING_TO_RECEIVE)
        record_event(event_type="casework.batch_received", actor=staff, request=request,
                     subject_type="production_batch", subject_id=batch.number, data={"cards": count})
    return count


def _ready_note(outlet: Outlet) -> str:
    return _("Your card is ready for collection at %(outlet)s, %(address)s. Opening hours: %(hours)s. "
             "Bring your ID card (an agent brings their own ID card and your written authorisation).") % {
        "outlet": outlet.label, "address": outlet.address, "hours": outlet.hours}


def mark_ready(*, staff, application: Application, expected_state: str | None = None, request=None):
    """The card is at the counter: the citizen is told where and when to collect it."""
    with transaction.atomic():
        locked = _open(staff, application, "outlet_counter", expected_state)
        if locked.delivery != "pickup" or locked.outlet is None:
            raise CaseworkError("not_pickup", MSG_NOT_PICKUP)
        casefile = _casefile(locked)
        if locked.state == State.IN_PRODUCTION and casefile.received_at_outlet is None:
            raise CaseworkError("not_received", MSG_NOT_RECEIVED)
        change = _move(staff, locked, State.READY_FOR_PICKUP, note=_ready_note(locked.outlet), request=request)
    application.refresh_from_db()
    return change


def mark_batch_ready(*, staff, batch: ProductionBatch, request=None) -> int:
    require(staff, "outlet_counter")
    count = 0
    cases = (selectors.cases_visible_to(staff)
             .filter(batch_item__batch=batch, delivery="pickup", state=State.IN_PRODUCTION,
                     casefile__received_at_outlet__isnull=False))
    with transaction.atomic():
        for application in cases:
            mark_ready(staff=staff, application=application, expected_state=State.IN_PRODUCTION, request=request)
            count += 1
    return count


HOLDER, AGENT = "holder", "agent"


def hand_over(*, staff, application: Application, collector: str, id_number: str, agent_name: str = "",
              authorisation_checked: bool = False, expected_state: str | None = None, request=None):
    """Hand the card over at the counter after checking the identity of the holder or the authorised agent.

    A holder whose ID number does not match is refused, and the refusal is an audit event that stays: the
    block commits it and the error is raised after the block (like `smscodes.check_code` and its tries)."""
    presented = idnumber.normalize_id_number(id_number)
    refused = None
    with transaction.atomic():
        locked = _open(staff, application, "outlet_counter", expected_state)
        if collector == HOLDER and presented != locked.subject_id_number.upper():
            _audit(staff, locked, "handover_refused", {"collector": collector}, request=request)
            refused = CaseworkError("id_mismatch", MSG_ID_MISMATCH)
        else:
            change = _hand_over(staff, locked, collector, presented, agent_name, authorisation_checked, request)
    if refused is not None:
        raise refused
    application.refresh_from_db()
    return change


def _hand_over(staff, locked: Application, collector: str, presented: str, agent_name: str,
               authorisation_checked: bool, request):
    if collector == HOLDER:
        note = _("Card handed over to the cardholder at the counter.")
    else:
        if not agent_name.strip() or not authorisation_checked or not idnumber.is_valid_id_number(presented):
            raise CaseworkError("agent", MSG_AGENT)
        note = _("Card handed over to an authorised agent (%(name)s, ID %(id)s) at the counter.") % {
            "name": mask_name(agent_name.strip()), "id": mask_id_number(presented)}
    change = _move(staff, locked, State.COLLECTED, note=note, request=request)
    casefile = _casefile(locked)
    casefile.handed_over_at = timezone.now()
    casefile.save(update_fields=["handed_over_at"])
    card = _card(locked)
    if card is not None:
        card_services.mark_delivered(card=card, actor=staff, request=request)
    _audit(staff, locked, "handed_over", {"collector": collector, "card": card.card_number if card else ""},
           request=request)
    return change
