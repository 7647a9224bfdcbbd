"""Writes to reference data that are business actions, not plain admin edits: approving and suspending a designated
institution's agreement (one function per action, in a transaction, with its history row and audit event)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sscard.audit.services import record_event
from sscard.core.errors import DomainError
from sscard.domain import institutions as rules
from sscard.domain.institutions import AgreementState

from .models import DesignatedInstitution, InstitutionStateChange
from .settlement_models import AGREEMENT_STATE_CHOICES

STATE_LABELS = dict(AGREEMENT_STATE_CHOICES)

PERMISSION = "reference.manage_institution_agreement"
MSG_NOT_ALLOWED = rules.gettext_noop("You may not approve or suspend designated institutions.")
MSG_NOTE_REQUIRED = rules.gettext_noop("Give the reason for the suspension.")


class InstitutionError(DomainError):
    """A rule refused a change of an institution's agreement."""


def _change_state(*, institution_id: int, target: AgreementState, actor, note: str, request=None
                  ) -> DesignatedInstitution:
    if not (actor and actor.is_authenticated and actor.is_staff and actor.has_perm(PERMISSION)):
        raise InstitutionError("not_allowed", MSG_NOT_ALLOWED)
    note = (note or "").strip()
    if target == AgreementState.SUSPENDED and not note:
        raise InstitutionError("note_required", MSG_NOTE_REQUIRED)
    with transaction.atomic():
        institution = DesignatedInstitution.objects.select_for_update().get(pk=institution_id)
        current = institution.state
        if not rules.may_change(current, target):
            raise InstitutionError("transition", rules.MESSAGES["transition"],
                                   {"from": STATE_LABELS[current], "to": STATE_LABELS[target.value]})
        institution.state = target.value
        institution.save(update_fields=["state"])
        InstitutionStateChange.objects.create(institution=institution, actor=actor, at=timezone.now(),
                                              from_state=current, to_state=target.value, note=note)
        record_event(event_type=f"reference.institution_{target.value}", actor=actor, request=request,
                     subject_type="designated_institution", subject_id=institution.code,
                     data={"from": current, "to": target.value, "note": note})
    return institution


def approve_institution(*, institution_id: int, actor, note: str = "", request=None) -> DesignatedInstitution:
    """Approve an institution's agreement (a new one, or one that was suspended)."""
    return _change_state(institution_id=institution_id, target=AgreementState.APPROVED, actor=actor, note=note,
                         request=request)


def suspend_institution(*, institution_id: int, actor, note: str, request=None) -> DesignatedInstitution:
    """Suspend an approved institution's agreement, with the reason: it settles nothing until approved again."""
    return _change_state(institution_id=institution_id, target=AgreementState.SUSPENDED, actor=actor, note=note,
                         request=request)
