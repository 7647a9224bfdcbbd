"""Personal data: showing one masked field in full is an audited action with a reason."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy, gettext_noop

from sscard.applications.models import Application
from sscard.audit.services import record_event

from .base import MSG_REASON, SUBJECT, CaseworkError, note_action, open_case

MSG_FIELD = gettext_noop("This field cannot be revealed.")

REVEALABLE = {
    "subject_name": gettext_lazy("Name"),
    "subject_id_number": gettext_lazy("ID number"),
    "subject_birth_date": gettext_lazy("Date of birth"),
    "applicant_phone": gettext_lazy("Applicant's mobile phone"),
    "res_detail": gettext_lazy("Residential address"),
    "recipient_name": gettext_lazy("Recipient"),
    "recipient_phone": gettext_lazy("Recipient's mobile phone"),
    "post_detail": gettext_lazy("Postal address"),
}



# --- Personal data ------------------------------------------------------------------------------------------

def reveal(*, staff, application: Application, field_name: str, reason: str, request=None) -> str:
    """Show one masked field in full, once, and record who saw it and why."""
    if field_name not in REVEALABLE:
        raise CaseworkError("field", MSG_FIELD)
    if not reason.strip():
        raise CaseworkError("reason", MSG_REASON)
    with transaction.atomic():
        locked = open_case(staff, application, "reveal_personal_data", application.state)
        value = (locked.applicant.phone or "") if field_name == "applicant_phone" else getattr(locked, field_name)
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
        note_action(staff, locked, "revealed", reason=reason.strip(), data={"field": field_name}, request=request)
    return value


def record_read(*, staff, event_type: str, subject_id: str, subject_type: str = SUBJECT, request=None) -> None:
    """A staff read of personal data (a case page, its photo, a downloaded file, an export) is an audit event."""
    record_event(event_type=event_type, actor=staff, request=request, subject_type=subject_type,
                 subject_id=subject_id)
