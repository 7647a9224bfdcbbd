"""Staff reads of a person's records and bulk exports.

- A records officer looks a person up by ID number, with a reason (required: the page reveals the person's
  contributions, accounts and benefits in full). Only a person enrolled with an employer of the officer's areas
  is found (`selectors.employers_visible_to`, the one gate); every look-up is an audit event
  (`records.person_viewed`, the reason in its data), and so is a refused one (`records.person_lookup_refused`).
- A bulk export (an employer's contributions of a year, CSV) is requested with a reason, approved or declined by
  a member of staff with `records.approve_export` (the records supervisor) who is not the requester and sees the
  employer in their areas, and downloaded once by the requester. Each step is an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain.idnumber import IdNumberError, parse_id_number

from .. import selectors as records_selectors
from ..models import Enrolment
from ..query_models import ExportRequest
from ..retirement.selectors import current_retirement_from
from ..roles import perm
from ..services import RecordsError
from . import selectors

MSG_REASON = gettext_noop("Give the reason for this read (it is kept in the audit log).")
MSG_BAD_ID = gettext_noop("Enter a valid 18-character ID number.")
MSG_NOT_FOUND = gettext_noop("No person enrolled with an employer of your areas has this ID number.")
MSG_EXPORT_NOT_FOUND = gettext_noop("This export request does not exist or is not in your areas.")
MSG_OWN_REQUEST = gettext_noop("Another supervisor must decide on your own export request.")
MSG_NOT_PENDING = gettext_noop("This export request was already decided.")
MSG_NOT_READY = gettext_noop("This export can be downloaded once, by its requester, after a supervisor approved it.")
MSG_YEAR = gettext_noop("Choose a year from 1990 to this year.")
MIN_REASON = 5


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise RecordsError("reason", MSG_REASON, field="reason")
    return reason[:255]


@dataclass(frozen=True)
class PersonRead:
    masked_name: str
    masked_id_number: str
    record: selectors.YearRecord
    enrolments: list[Enrolment]
    retired_from: date | None = None


def gated_person(*, staff, id_number: str, refused_data: dict, request=None):
    """The one gate of a staff action on a person: (the parsed ID number, the person's enrolments with employers
    of the staff's areas, newest first). `RecordsError` for a malformed ID number, and for a person with no such
    enrolment, after an audit event `records.person_lookup_refused` (with `refused_data`)."""
    try:
        person = parse_id_number(id_number or "")
    except IdNumberError as error:
        raise RecordsError("id_number", MSG_BAD_ID, field="id_number") from error
    enrolments = list(Enrolment.objects.filter(id_number=person.number,
                                               employer__in=records_selectors.employers_visible_to(staff))
                      .select_related("employer").order_by("-start_month", "-pk"))
    if not enrolments:
        record_event(event_type="records.person_lookup_refused", actor=staff, request=request,
                     subject_type="person", subject_id=person.number, data=refused_data)
        raise RecordsError("not_found", MSG_NOT_FOUND, field="id_number")
    return person, enrolments


def read_person(*, staff, id_number: str, reason: str, year: int | None = None, request=None) -> PersonRead:
    """The person's record of a year for a records officer of one of the person's employers' areas."""
    reason = _reason(reason)
    person, enrolments = gated_person(staff=staff, id_number=id_number, refused_data={"reason": reason},
                                      request=request)
    number = person.number
    record = selectors.year_record(number, year=year)
    record_event(event_type="records.person_viewed", actor=staff, request=request, subject_type="person",
                 subject_id=number, data={"reason": reason, "year": record.year})
    first = enrolments[0]
    return PersonRead(first.masked_name, first.masked_id_number, record, enrolments,
                      retired_from=current_retirement_from(number))


# --- Bulk exports -------------------------------------------------------------------------------------------

def request_export(*, staff, employer_pk: int, year: int, reason: str, request=None) -> ExportRequest:
    reason = _reason(reason)
    employer = records_selectors.employer_for_staff(staff, employer_pk)
    if employer is None:
        raise RecordsError("not_found", MSG_EXPORT_NOT_FOUND)
    if not (1990 <= year <= timezone.localdate().year):
        raise RecordsError("year", MSG_YEAR, field="year")
    with transaction.atomic():
        export = ExportRequest.objects.create(employer=employer, year=year, reason=reason, requested_by=staff,
                                              requested_at=timezone.now())
        record_event(event_type="records.export_requested", actor=staff, request=request,
                     subject_type="export_request", subject_id=str(export.pk),
                     data={"employer": employer.credit_code, "year": year, "reason": reason})
    return export


def exports_visible_to(staff):
    return (ExportRequest.objects.filter(employer__in=records_selectors.employers_visible_to(staff))
            .select_related("employer", "requested_by", "decided_by"))


def decide_export(*, staff, pk: int, approve: bool, note: str = "", request=None) -> ExportRequest:
    """A records supervisor other than the requester approves or declines a pending export of their areas."""
    if not staff.has_perm(perm("approve_export")):
        raise RecordsError("not_supervisor", MSG_EXPORT_NOT_FOUND)
    with transaction.atomic():
        export = exports_visible_to(staff).select_for_update(of=("self",)).filter(pk=pk).first()
        if export is None:
            raise RecordsError("not_found", MSG_EXPORT_NOT_FOUND)
        if export.requested_by_id == staff.pk:
            raise RecordsError("own_request", MSG_OWN_REQUEST)
        if export.state != ExportRequest.State.PENDING:
            raise RecordsError("not_pending", MSG_NOT_PENDING)
        export.state = ExportRequest.State.APPROVED if approve else ExportRequest.State.DECLINED
        export.decided_by, export.decided_at = staff, timezone.now()
        export.decision_note = (note or "").strip()[:255]
        export.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        record_event(event_type="records.export_approved" if approve else "records.export_declined", actor=staff,
                     request=request, subject_type="export_request", subject_id=str(export.pk))
    return export


def take_export(*, staff, pk: int, request=None) -> ExportRequest:
    """The requester downloads an approved export, once: the state moves to `downloaded` in the same
    transaction as the audit event, so a second download (or a concurrent one) is refused."""
    with transaction.atomic():
        export = exports_visible_to(staff).select_for_update(of=("self",)).filter(pk=pk).first()
        if export is None:
            raise RecordsError("not_found", MSG_EXPORT_NOT_FOUND)
        if export.requested_by_id != staff.pk or export.state != ExportRequest.State.APPROVED:
            raise RecordsError("not_ready", MSG_NOT_READY)
        export.state, export.downloaded_at = ExportRequest.State.DOWNLOADED, timezone.now()
        export.save(update_fields=["state", "downloaded_at"])
        record_event(event_type="records.export_downloaded", actor=staff, request=request,
                     subject_type="export_request", subject_id=str(export.pk),
                     data={"employer": export.employer.credit_code, "year": export.year})
    return export


def make_records_supervisor(*, user, actor=None) -> None:
    """Give a member of staff the records supervisor role (their areas are their casework areas)."""
    from django.contrib.auth.models import Group

    from ..roles import SUPERVISOR_GROUP

    with transaction.atomic():
        user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
        record_event(event_type="records.supervisor_role_granted", actor=actor, subject_type="user",
                     subject_id=str(user.pk))
    for attr in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)
