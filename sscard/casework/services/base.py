"""What every back office action shares: the domain error, the gate of a case, the state move, the notes.

Each action, in one transaction: checks the staff member's permission, locks the application row, checks
that the case is in their area and still at the stage they saw (two staff acting at once: one wins, the
other is told what happened), moves the case through `sscard.applications.services.change_state` (state
machine, history row, audit event, notifications) and adds the back office's own bookkeeping and audit
event. The actions themselves live beside this module, one module per business area (staff, review,
deadlines, reveal), in `casework.production` (bank pre-opening, production batches) and in
`sscard.cards.delivery` (post, outlet, hand-over, confirmation of receipt).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from sscard.applications import services as app_services
from sscard.applications.models import STATE_LABELS, Application
from sscard.audit.services import record_event
from sscard.core.errors import DomainError
from sscard.domain import casestates
from sscard.domain.casestates import State

from .. import formats, selectors
from ..lines import LineError
from ..models import CaseAction, CaseFile, ImportRun
from ..roles import MACHINE_ROLE, MACHINE_ROLE_ORDER, perm, roles_of

SUBJECT = "card_application"

MSG_STALE = gettext_noop("This case was changed by someone else a moment ago: it is now %(stage)s. Reload and try again.")
MSG_PERMISSION = gettext_noop("Your role does not allow this action.")
MSG_AREA = gettext_noop("This case is not in your area.")
MSG_STAGE = gettext_noop("This is not possible while the case is at the stage \"%(stage)s\".")
MSG_REASON = gettext_noop("Give the reason.")
L_NOT_VISIBLE = gettext_noop("Case %(code)s is not in your area.")
MSG_ROLE = casestates.MSG_ROLE

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


class CaseworkError(DomainError):
    """A rule refused a back-office action (see `sscard.core.errors.DomainError`)."""


@dataclass
class ImportResult:
    applied: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def nothing_changed(self) -> bool:
        return self.applied == 0


def stage_label(state: str):
    return STATE_LABELS.get(state, state)


# --- Gatekeeping --------------------------------------------------------------------------------------------

def require(staff, codename: str) -> None:
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm(codename))):
        raise CaseworkError("permission", MSG_PERMISSION)


def open_case(staff, application: Application, codename: str, expected_state: str | None = None) -> Application:
    """Inside a transaction: permission, row lock, area, and the stage the member of staff saw."""
    require(staff, codename)
    expected = expected_state or application.state
    locked = (Application.objects.select_for_update(of=("self",)).select_related("applicant", "bank", "outlet")
              .get(pk=application.pk))
    if not selectors.cases_visible_to(staff).filter(pk=locked.pk).exists():
        raise CaseworkError("area", MSG_AREA)
    if locked.state != expected:
        raise CaseworkError("stale", MSG_STALE, {"stage": stage_label(locked.state)})
    return locked


def machine_role(staff, src: str, dst: str) -> str:
    """The state-machine role the member of staff acts as for src → dst, or a clear refusal."""
    if not casestates.TRANSITIONS.get((State(src), State(dst))):
        raise CaseworkError("not_allowed", MSG_STAGE, {"stage": stage_label(src)})
    for role in MACHINE_ROLE_ORDER:
        if role in roles_of(staff) and casestates.can_transition(src, dst, MACHINE_ROLE[role]):
            return MACHINE_ROLE[role]
    raise CaseworkError("role", MSG_ROLE)


def move(staff, locked: Application, to_state: str, *, note: str = "", request=None, link: str = ""):
    role = machine_role(staff, locked.state, to_state)
    try:
        return app_services.change_state(application=locked, to_state=to_state, role=role, actor=staff,
                                         note=note, request=request, link=link)
    except app_services.ApplicationError as error:
        raise CaseworkError(error.code, error.message, error.params) from None


def lock_casefile(application: Application) -> CaseFile:
    casefile, _created = CaseFile.objects.select_for_update(of=("self",)).get_or_create(application=application)
    return casefile


def note_action(staff, application, kind: str, *, reason: str = "", data: dict | None = None, request=None,
          audit: bool = True) -> CaseAction:
    action = CaseAction.objects.create(application=application, kind=kind, actor=staff, at=timezone.now(),
                                       reason=reason, data=data or {})
    if audit:
        record_event(event_type=f"casework.{kind}", actor=staff, request=request, subject_type=SUBJECT,
                     subject_id=application.office_code, data={"reason": reason, **(data or {})})
    return action


def audit_case(staff, application, kind: str, data: dict | None = None, request=None) -> None:
    record_event(event_type=f"casework.{kind}", actor=staff, request=request, subject_type=SUBJECT,
                 subject_id=application.office_code, data=data or {})



def record_import_run(staff, kind: str, target: str, data: bytes, result: ImportResult, request) -> None:
    digest = formats.sha256(data)
    ImportRun.objects.create(kind=kind, target=target, sha256=digest, actor=staff, at=timezone.now(),
                             applied=result.applied, unchanged=result.unchanged)
    record_event(event_type=f"casework.{kind}_imported", actor=staff, request=request, subject_type=kind,
                 subject_id=target, data={"sha256": digest, "applied": result.applied,
                                          "unchanged": result.unchanged})



class TranslatedError:
    def __init__(self, error: CaseworkError):
        self.error = error

    def __str__(self) -> str:
        return self.error.translated()
