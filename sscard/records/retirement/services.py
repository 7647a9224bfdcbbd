"""Registering a person's retirement (docs/records.md, "Retirement"): a records officer with
`records.register_retirement`, for a person enrolled with an employer of the officer's areas (the one gate,
`queries.staff.gated_person`, as for the staff read of a person), with the approval's reference. The date's
rules are `sscard.domain.retirement`. One transaction: the row (append-only) and the audit event
`records.retirement_registered`; a refused look-up is `records.person_lookup_refused`, as for a read."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain.retirement import RetirementRuleError, check_retirement

from ..models import Enrolment
from ..queries.staff import gated_person
from ..roles import perm
from ..services import RecordsError
from .models import Retirement
from .selectors import current_retirement_from

MSG_NOT_ALLOWED = gettext_noop("You may not register retirements.")
MSG_REFERENCE = gettext_noop("Give the approval's reference (at least 5 characters).")
MIN_REFERENCE = 5


def register_retirement(*, staff, id_number: str, retired_from: date, reference: str, request=None) -> Retirement:
    if not staff.has_perm(perm("register_retirement")):
        raise RecordsError("not_allowed", MSG_NOT_ALLOWED)
    reference = (reference or "").strip()
    if len(reference) < MIN_REFERENCE:
        raise RecordsError("reference", MSG_REFERENCE, field="reference")
    person, _enrolments = gated_person(staff=staff, id_number=id_number,
                                       refused_data={"action": "register_retirement"}, request=request)
    number = person.number
    with transaction.atomic():
        # Two officers registering the same person at once: the enrolment rows are locked, so the second one
        # sees the first one's date (and is refused if it is the same).
        list(Enrolment.objects.select_for_update().filter(id_number=number).values_list("pk", flat=True))
        try:
            check_retirement(person, retired_from, today=timezone.localdate(),
                             current_from=current_retirement_from(number))
        except RetirementRuleError as error:
            raise RecordsError(error.code, error.message, error.params, field="retired_from") from None
        row = Retirement.objects.create(id_number=number, retired_from=retired_from, reference=reference[:255],
                                        registered_by=staff, created_at=timezone.now())
        record_event(event_type="records.retirement_registered", actor=staff, request=request,
                     subject_type="person", subject_id=number,
                     data={"retired_from": retired_from.isoformat(), "reference": row.reference,
                           "retirement": row.pk})
    return row
