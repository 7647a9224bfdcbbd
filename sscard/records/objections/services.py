"""Objections: a person (their own months) or an employer (its employees' months) objects to months of a record
with a reason and evidence; a records officer of the employer's area claims it and decides: *correct* (a new
ledger version of each line through `corrections.correct_entry`, linked to the objection, the personal account
moved by the difference) or *reject* with a reason. The person and the employer are told either way (in-site
message and SMS, stored as key and parameters) and see the history (a status row per step).

One function per action, one transaction, its audit event; a refusal is a `RecordsError` and changes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain import objections as rules
from sscard.domain import workdays
from sscard.domain.masking import mask_id_number
from sscard.notify.services import post_message, send_sms_to_user
from sscard.notify.texts import Text
from sscard.reference.selectors import holiday_sets, service_settings

from .. import corrections, ledger, selectors
from ..ledger_models import LedgerEntry
from ..models import Employer, EmployerMembership
from ..roles import perm
from ..services import MSG_AREA, MSG_PERMISSION, MSG_REASON, RecordsError, acting_membership
from . import evidence as evidence_rules
from .models import STATE_LABELS, Objection, ObjectionEvidence, ObjectionLine, ObjectionStatus

MSG_NO_LINES = gettext_noop("Choose at least one month of the record.")
MSG_LINE = gettext_noop("A chosen month is not a current row of the record you may object to. Reload the page "
                        "and choose again.")
MSG_ONE_EMPLOYER = gettext_noop("Choose months of one employer: an objection concerns one employer's months.")
MSG_OPEN = gettext_noop("An objection to %(month)s (%(type)s) is already being checked.")
MSG_TOO_MANY_FILES = gettext_noop("Send at most %(n)s files.")
MSG_NOT_CITIZEN = gettext_noop("Only a citizen with a real-name account can object to a record.")
MSG_NOT_YOURS = gettext_noop("This objection is claimed by another records officer.")
MSG_NO_CORRECTION = gettext_noop("Enter the corrected wage of at least one month.")
MSG_CLOSED = gettext_noop("This objection is %(state)s: that action is not possible now.")

NOTE_SUBMITTED = gettext_noop("Objection submitted.")
NOTE_CLAIMED = gettext_noop("Taken up by a records officer.")

SUBJECT_CORRECTED = gettext_noop("Your objection: the record is corrected")
BODY_CORRECTED = gettext_noop("Objection %(number)s to the record of %(person)s (%(employer)s) was checked and the "
                              "record corrected: %(months)s. %(note)s")
SMS_CORRECTED = gettext_noop("Objection %(number)s: the record is corrected. See the details on the social "
                             "security portal.")
SUBJECT_REJECTED = gettext_noop("Your objection: the record is not corrected")
BODY_REJECTED = gettext_noop("Objection %(number)s to the record of %(person)s (%(employer)s) was checked; the "
                             "record is not corrected. Reason: %(note)s")
SMS_REJECTED = gettext_noop("Objection %(number)s: the record is not corrected. See the reason on the social "
                            "security portal.")


def deadline_from(day, days: int | None = None):
    """The day an objection submitted on `day` must be decided by: `objection_days` working days later (the
    service settings, default 15) on the holiday calendar."""
    holidays, makeup = holiday_sets()
    return workdays.add_working_days(day, service_settings().objection_days if days is None else days,
                                     holidays, makeup)


def _lines_for(*, id_number: str | None, employer: Employer | None, entry_ids) -> list[LedgerEntry]:
    """The chosen ledger rows, each the current version of its key and not void, of the person (or the
    employer); RecordsError otherwise."""
    try:
        ids = sorted({int(i) for i in entry_ids})
    except (TypeError, ValueError):
        raise RecordsError("line", MSG_LINE, field="entries") from None
    if not ids:
        raise RecordsError("no_lines", MSG_NO_LINES, field="entries")
    chosen = LedgerEntry.objects.filter(pk__in=ids)
    chosen = chosen.filter(id_number=id_number) if id_number is not None else chosen.filter(employer=employer)
    chosen = list(chosen)
    if len(chosen) != len(ids):
        raise RecordsError("line", MSG_LINE, field="entries")
    keys = {ledger.key_of(e) for e in chosen}
    query = LedgerEntry.objects.none()
    for id_number_, employer_id, month, insurance_type in keys:
        query = query | LedgerEntry.objects.filter(id_number=id_number_, employer_id=employer_id, month=month,
                                                   insurance_type=insurance_type)
    current = {e.pk for e in ledger.current(query.order_by("pk"))}
    for entry in chosen:
        if entry.pk not in current or entry.status == LedgerEntry.Status.VOID:
            raise RecordsError("line", MSG_LINE, field="entries")
    if len({(e.id_number, e.employer_id) for e in chosen}) != 1:
        raise RecordsError("one_employer", MSG_ONE_EMPLOYER, field="entries")
    return sorted(chosen, key=lambda e: (e.month, e.insurance_type))


def submit(*, user, entry_ids, reason: str, files=(), employer: Employer | None = None,
           request=None) -> Objection:
    """A citizen objects to rows of their own record, or (with `employer`, which they act for) to rows of the
    employer's employees. `files`: the evidence (one at least, PDF or picture)."""
    if not (user.is_authenticated and getattr(user, "is_citizen", False) and getattr(user, "id_number", "")):
        raise RecordsError("not_citizen", MSG_NOT_CITIZEN)
    if employer is not None:
        acting_membership(user=user, employer=employer)
    reason = (reason or "").strip()
    if not reason:
        raise RecordsError("reason", MSG_REASON, field="reason")
    entries = _lines_for(id_number=None if employer is not None else user.id_number, employer=employer,
                         entry_ids=entry_ids)
    files = [f for f in files if f]
    if not files:
        raise RecordsError("evidence", evidence_rules.MSG_EMPTY, field="evidence")
    if len(files) > evidence_rules.MAX_FILES:
        raise RecordsError("evidence", MSG_TOO_MANY_FILES, {"n": evidence_rules.MAX_FILES}, field="evidence")
    max_mb = service_settings().upload_max_mb
    checked = []
    for uploaded in files:
        try:
            checked.append(evidence_rules.check(uploaded, max_mb=max_mb))
        except evidence_rules.EvidenceError as error:
            raise RecordsError("evidence", error.message, error.params, field="evidence") from None
    first = entries[0]
    now = timezone.now()
    with transaction.atomic():
        Employer.objects.select_for_update().get(pk=first.employer_id)  # serialises objections of an employer
        open_lines = ObjectionLine.objects.filter(
            objection__employer_id=first.employer_id, objection__id_number=first.id_number,
            objection__state__in=rules.OPEN_STATES)
        for entry in entries:
            if open_lines.filter(month=entry.month, insurance_type=entry.insurance_type).exists():
                raise RecordsError("open", MSG_OPEN, {"month": f"{entry.month:%Y-%m}",
                                                      "type": entry.insurance_type}, field="entries")
        objection = Objection.objects.create(
            raised_by=user, raised_as=Objection.RaisedAs.EMPLOYER if employer else Objection.RaisedAs.PERSON,
            id_number=first.id_number, employer_id=first.employer_id, reason=reason,
            deadline=deadline_from(timezone.localdate(now)), created_at=now)
        ObjectionLine.objects.bulk_create([
            ObjectionLine(objection=objection, month=e.month, insurance_type=e.insurance_type, entry_id=e.pk,
                          entry_version=e.version) for e in entries])
        for item in checked:
            ObjectionEvidence.objects.create(objection=objection, filename=item.filename,
                                             media_type=item.media_type, size=len(item.content),
                                             sha256=item.sha256, content=item.content, created_at=now)
        ObjectionStatus.objects.create(objection=objection, actor=user, at=now, to_state=rules.SUBMITTED,
                                       note=NOTE_SUBMITTED)
        record_event(event_type="records.objection_submitted", actor=user, request=request,
                     subject_type="objection", subject_id=str(objection.pk),
                     data={"person": mask_id_number(first.id_number), "raised_as": objection.raised_as,
                           "lines": len(entries), "files": [i.sha256 for i in checked],
                           "deadline": objection.deadline.isoformat()})
    return objection


def _check_staff(staff, objection: Objection) -> None:
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("handle_objection"))):
        raise RecordsError("permission", MSG_PERMISSION)
    if not selectors.employers_visible_to(staff).filter(pk=objection.employer_id).exists():
        raise RecordsError("area", MSG_AREA)


def _move(objection: Objection, *, staff, to_state: str, note: str = "") -> None:
    try:
        rules.check_transition(objection.state, to_state)
    except rules.TransitionError:
        raise RecordsError("state", MSG_CLOSED, {"state": STATE_LABELS[objection.state]}) from None
    ObjectionStatus.objects.create(objection=objection, actor=staff, at=timezone.now(), from_state=objection.state,
                                   to_state=to_state, note=note)
    objection.state = to_state


def claim(*, staff, objection: Objection, request=None) -> Objection:
    """A records officer of the employer's area takes up a submitted objection."""
    _check_staff(staff, objection)
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        _move(locked, staff=staff, to_state=rules.CLAIMED, note=NOTE_CLAIMED)
        locked.claimed_by, locked.claimed_at = staff, timezone.now()
        locked.save(update_fields=["state", "claimed_by", "claimed_at"])
        record_event(event_type="records.objection_claimed", actor=staff, request=request,
                     subject_type="objection", subject_id=str(locked.pk))
    return locked


def _claimed_by(staff, objection_pk: int) -> Objection:
    locked = Objection.objects.select_for_update().select_related("employer", "raised_by").get(pk=objection_pk)
    if locked.state != rules.CLAIMED:
        raise RecordsError("state", MSG_CLOSED, {"state": STATE_LABELS[locked.state]})
    if locked.claimed_by_id != staff.pk:
        raise RecordsError("not_yours", MSG_NOT_YOURS)
    return locked


def correct(*, staff, objection: Objection, wages: dict, note: str, request=None) -> Objection:
    """Correct the record as the objection asks: `wages` maps a line's id to its corrected monthly wage in fen
    (lines left out stay as they are). Each corrected line gets a new ledger version (operator, reason: the
    objection's number and the note) and the personal account moves by the difference."""
    _check_staff(staff, objection)
    note = (note or "").strip()[:200]
    if not note:
        raise RecordsError("reason", MSG_REASON, field="note")
    wages = {int(k): int(v) for k, v in wages.items() if v is not None}
    if not wages:
        raise RecordsError("no_correction", MSG_NO_CORRECTION, field="note")
    with transaction.atomic():
        locked = _claimed_by(staff, objection.pk)
        corrected_months = []
        for line in locked.lines.all():
            if line.pk not in wages:
                continue
            versions = LedgerEntry.objects.filter(id_number=locked.id_number, employer_id=locked.employer_id,
                                                  month=line.month, insurance_type=line.insurance_type)
            current = ledger.current(versions.order_by("pk"))[0]
            new = corrections.correct_entry(staff=staff, entry=current, wage_fen=wages[line.pk],
                                            reason=f"{locked.number}: {note}", request=request)
            line.corrected_entry_id = new.pk
            line.save(update_fields=["corrected_entry_id"])
            corrected_months.append(f"{line.month:%Y-%m} {line.insurance_type}")
        if not corrected_months:
            raise RecordsError("no_correction", MSG_NO_CORRECTION, field="note")
        _move(locked, staff=staff, to_state=rules.CORRECTED, note=note)
        locked.decided_by, locked.decided_at, locked.decision_note = staff, timezone.now(), note
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        params = _params(locked, note=note, months=", ".join(corrected_months))
        _tell(locked, Text(SUBJECT_CORRECTED), Text(BODY_CORRECTED, params), Text(SMS_CORRECTED, params))
        record_event(event_type="records.objection_corrected", actor=staff, request=request,
                     subject_type="objection", subject_id=str(locked.pk),
                     data={"person": mask_id_number(locked.id_number), "lines": corrected_months, "note": note})
    return locked


def reject(*, staff, objection: Objection, note: str, request=None) -> Objection:
    """Decide that the record stays as it is, with the reason."""
    _check_staff(staff, objection)
    note = (note or "").strip()[:1000]
    if not note:
        raise RecordsError("reason", MSG_REASON, field="note")
    with transaction.atomic():
        locked = _claimed_by(staff, objection.pk)
        _move(locked, staff=staff, to_state=rules.REJECTED, note=note)
        locked.decided_by, locked.decided_at, locked.decision_note = staff, timezone.now(), note
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        params = _params(locked, note=note)
        _tell(locked, Text(SUBJECT_REJECTED), Text(BODY_REJECTED, params), Text(SMS_REJECTED, params))
        record_event(event_type="records.objection_rejected", actor=staff, request=request,
                     subject_type="objection", subject_id=str(locked.pk), data={"note": note})
    return locked


def _params(objection: Objection, **extra) -> dict:
    return {"number": objection.number, "person": mask_id_number(objection.id_number),
            "employer": objection.employer.name, **extra}


def recipients(objection: Objection) -> list:
    """Who is told of the decision: whoever raised it, the person (their account, if they have one) and the
    employer's legal representative."""
    users = {objection.raised_by_id: objection.raised_by}
    person = get_user_model().objects.filter(id_number=objection.id_number, is_staff=False).first()
    if person is not None:
        users.setdefault(person.pk, person)
    for membership in EmployerMembership.objects.filter(
            employer_id=objection.employer_id, revoked_at__isnull=True,
            role=EmployerMembership.Role.REPRESENTATIVE).select_related("user"):
        users.setdefault(membership.user_id, membership.user)
    return list(users.values())


def _tell(objection: Objection, subject: Text, body: Text, sms: Text) -> None:
    link = f"/records/objections/{objection.pk}/"
    for user in recipients(objection):
        post_message(user=user, subject=subject, body=body, link=link)
        send_sms_to_user(user=user, purpose="records_objection", text=sms)
