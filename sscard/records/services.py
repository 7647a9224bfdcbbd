"""Everything that writes the employer registry and enrolment: one function per business action, keyword
arguments, one transaction, its audit event; a refusal is a `RecordsError` (stable `code`, English msgid,
the form field it is about) and changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.core import ratelimit
from sscard.core.errors import DomainError
from sscard.domain import enrolment as rules
from sscard.domain import regions
from sscard.domain.idnumber import IdNumberError, parse_id_number
from sscard.domain.masking import mask_id_number
from sscard.domain.uscc import CreditCodeError, validate_credit_code
from sscard.notify.services import post_message, send_sms_to_user
from sscard.notify.texts import Text

from . import selectors
from .models import Employer, EmployerMembership, Enrolment
from .roles import OFFICER_GROUP, perm

MSG_NOT_CITIZEN = gettext_noop("Only a citizen with a real-name account can register an employer.")
MSG_NOT_REPRESENTATIVE = gettext_noop(
    "Only the legal representative can register the employer: the representative's name and ID number must be "
    "those of your real-name account. Agents are authorised by the representative once the employer is approved.")
MSG_REGISTERED = gettext_noop("An employer with this unified social credit code is already registered or waiting "
                              "for review.")
MSG_DISTRICT = gettext_noop("Choose the district (county level) where the employer is registered.")
MSG_REQUIRED = gettext_noop("Please fill in this field.")
MSG_PERMISSION = gettext_noop("Your role does not allow this action.")
MSG_AREA = gettext_noop("This employer is not in your area.")
MSG_DECIDED = gettext_noop("This registration was already decided: it is now %(state)s.")
MSG_REASON = gettext_noop("Give the reason.")
MSG_NOT_MEMBER = gettext_noop("You do not act for this employer.")
MSG_NOT_APPROVED = gettext_noop("The employer's registration is not approved: it cannot act yet.")
MSG_REPRESENTATIVE_ONLY = gettext_noop("Only the legal representative can authorise or revoke agents.")
MSG_NO_ACCOUNT = gettext_noop(
    "No real-name account matches this name and ID number. The person must first register on this portal with "
    "their real name; then you can authorise them.")
MSG_TOO_MANY = gettext_noop("Too many attempts. Try again in an hour.")
MSG_ALREADY_MEMBER = gettext_noop("This person already acts for the employer.")
MSG_NOT_AGENT = gettext_noop("This authorisation is not an open agent authorisation of the employer.")
MSG_ENROLLED_HERE = gettext_noop("This person is already enrolled with your employer.")
MSG_ENROLLED_ELSEWHERE = gettext_noop(
    "This person is enrolled in employee insurance with another employer. A person is enrolled with one employer "
    "at a time: the other employer must stop the enrolment first.")
MSG_NOT_ENROLLED = gettext_noop("This enrolment is not an open enrolment of your employer.")

SMS_APPROVED = gettext_noop("The registration of %(name)s is approved. You can act for it in the employer "
                            "workspace.")
SMS_REJECTED = gettext_noop("The registration of %(name)s was not approved: %(reason)s")
SUBJECT_APPROVED = gettext_noop("Employer registration approved")
SUBJECT_REJECTED = gettext_noop("Employer registration not approved")
BODY_APPROVED = gettext_noop("The registration of %(name)s (unified social credit code %(code)s) is approved. Choose "
                             "it in the employer workspace to enrol employees and authorise agents.")
BODY_REJECTED = gettext_noop("The registration of %(name)s (unified social credit code %(code)s) was not approved. "
                             "Reason: %(reason)s")
SUBJECT_GRANTED = gettext_noop("You can act for an employer")
BODY_GRANTED = gettext_noop("%(employer)s authorised you as its agent. Choose it in the employer workspace.")
SMS_GRANTED = gettext_noop("%(employer)s authorised you as its agent on the social security portal.")
SUBJECT_REVOKED = gettext_noop("Authorisation ended")
BODY_REVOKED = gettext_noop("%(employer)s ended your authorisation as its agent.")

# Failed look-ups of an agent's name and ID number per representative and hour (no oracle for accounts).
GRANT_FAILURES_PER_HOUR = 10


class RecordsError(DomainError):
    """A rule refused an action on the records; `field` is the form field it is about ("" for the form)."""

    def __init__(self, code: str, message: str, params: dict | None = None, *, field: str = ""):
        super().__init__(code, message, params)
        self.field = field


def _now():
    return timezone.now()


def _id_number(value: str, field: str = "id_number") -> str:
    try:
        return parse_id_number(value).number
    except IdNumberError as error:
        raise RecordsError(f"id_number_{error.code}", error.message, field=field) from None


# --- Employers ----------------------------------------------------------------------------------------------

def register_employer(*, user, credit_code: str, name: str, address: str, representative_name: str,
                      representative_id_number: str, industry_class: int, district_code: str,
                      request=None) -> Employer:
    """A real-name citizen registers the employer they represent; it waits for a records officer's review."""
    if not (user.is_authenticated and user.is_citizen and user.real_name):
        raise RecordsError("not_citizen", MSG_NOT_CITIZEN)
    try:
        code = validate_credit_code(credit_code)
    except CreditCodeError as error:
        raise RecordsError(f"credit_code_{error.code}", error.message, field="credit_code") from None
    for field, value in (("name", name), ("address", address), ("representative_name", representative_name)):
        if not (value or "").strip():
            raise RecordsError("required", MSG_REQUIRED, field=field)
    rep_id = _id_number(representative_id_number, "representative_id_number")
    if rep_id != user.id_number or representative_name.strip() != user.real_name:
        raise RecordsError("not_representative", MSG_NOT_REPRESENTATIVE, field="representative_id_number")
    if not str(industry_class).isdigit() or int(industry_class) not in rules.INDUSTRY_CLASSES:
        raise RecordsError("industry_class", MSG_REQUIRED, field="industry_class")
    region = regions.get_region(district_code or "")
    if region is None or region.level != "county" or region.historical:
        raise RecordsError("district", MSG_DISTRICT, field="district_code")
    try:
        with transaction.atomic():
            if Employer.objects.filter(credit_code=code).exclude(state=Employer.State.REJECTED).exists():
                raise RecordsError("already_registered", MSG_REGISTERED, field="credit_code")
            employer = Employer.objects.create(
                credit_code=code, name=name.strip(), address=address.strip(),
                representative_name=representative_name.strip(), representative_id_number=rep_id,
                industry_class=int(industry_class), district_code=district_code, registered_by=user,
                created_at=_now())
            record_event(event_type="records.employer_registered", actor=user, request=request,
                         subject_type="employer", subject_id=code,
                         data={"district": district_code, "industry_class": int(industry_class)})
    except IntegrityError:  # the same code registered at the same moment: the database kept one
        raise RecordsError("already_registered", MSG_REGISTERED, field="credit_code") from None
    return employer


def decide_employer(*, staff, employer: Employer, approve: bool, reason: str = "", request=None) -> Employer:
    """A records officer of the employer's area approves or rejects (with a reason) a pending registration;
    the representative is told in their inbox and by SMS, in their language. Approval makes the registering
    citizen the employer's legal representative in the workspace."""
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("review_employer"))):
        raise RecordsError("permission", MSG_PERMISSION)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise RecordsError("reason", MSG_REASON, field="reason")
    with transaction.atomic():
        locked = Employer.objects.select_for_update().select_related("registered_by").get(pk=employer.pk)
        if not selectors.employers_visible_to(staff).filter(pk=locked.pk).exists():
            raise RecordsError("area", MSG_AREA)
        if locked.state != Employer.State.PENDING:
            raise RecordsError("decided", MSG_DECIDED, {"state": locked.get_state_display()})
        locked.state = Employer.State.APPROVED if approve else Employer.State.REJECTED
        locked.decided_at, locked.decided_by, locked.decision_reason = _now(), staff, reason
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
        representative = locked.registered_by
        params = {"name": locked.name, "code": locked.credit_code, "reason": reason}
        if approve:
            EmployerMembership.objects.create(employer=locked, user=representative,
                                              role=EmployerMembership.Role.REPRESENTATIVE, granted_by=staff,
                                              granted_at=locked.decided_at)
            post_message(user=representative, subject=Text(SUBJECT_APPROVED), body=Text(BODY_APPROVED, params),
                         link="/records/employer/")
            send_sms_to_user(user=representative, purpose="employer_decision", text=Text(SMS_APPROVED, params))
        else:
            post_message(user=representative, subject=Text(SUBJECT_REJECTED), body=Text(BODY_REJECTED, params))
            send_sms_to_user(user=representative, purpose="employer_decision", text=Text(SMS_REJECTED, params))
        record_event(event_type="records.employer_approved" if approve else "records.employer_rejected",
                     actor=staff, request=request, subject_type="employer", subject_id=locked.credit_code,
                     data={"reason": reason})
    return locked


def make_records_officer(*, user, actor=None) -> None:
    """Give a member of staff the records officer role (their areas are their casework areas)."""
    with transaction.atomic():
        user.groups.add(Group.objects.get(name=OFFICER_GROUP))
        record_event(event_type="records.officer_role_granted", actor=actor, subject_type="user",
                     subject_id=str(user.pk))
    for attr in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)


# --- Employer users -----------------------------------------------------------------------------------------

def acting_membership(*, user, employer: Employer) -> EmployerMembership:
    """The user's open membership of an approved employer, or a refusal."""
    membership = (EmployerMembership.objects.filter(employer=employer, user=user, revoked_at__isnull=True)
                  .select_related("employer").first()) if getattr(user, "is_authenticated", False) else None
    if membership is None:
        raise RecordsError("not_member", MSG_NOT_MEMBER)
    if membership.employer.state != Employer.State.APPROVED:
        raise RecordsError("not_approved", MSG_NOT_APPROVED)
    return membership


def _representative(user, employer) -> EmployerMembership:
    membership = acting_membership(user=user, employer=employer)
    if membership.role != EmployerMembership.Role.REPRESENTATIVE:
        raise RecordsError("representative_only", MSG_REPRESENTATIVE_ONLY)
    return membership


def grant_agent(*, user, employer: Employer, id_number: str, name: str, request=None) -> EmployerMembership:
    """The legal representative authorises a person, named by ID number and name, as an agent.

    The person must have a real-name account whose ID number AND name match: one answer ("no account matches
    this name and ID number") whether the ID number has no account or the name differs, so the answer tells no
    more than the representative already knows; failed look-ups are limited per representative and hour."""
    _representative(user, employer)
    agent_id = _id_number(id_number)
    name = (name or "").strip()
    if not name:
        raise RecordsError("required", MSG_REQUIRED, field="name")
    key = ratelimit.value_key(f"grant:{user.pk}")
    if ratelimit.used_up("records_grant", key, GRANT_FAILURES_PER_HOUR, 3600):
        raise RecordsError("too_many", MSG_TOO_MANY)
    agent = get_user_model().objects.filter(id_number=agent_id, real_name=name, is_staff=False,
                                            is_active=True).first()
    if agent is None:
        ratelimit.hit_key("records_grant", key, GRANT_FAILURES_PER_HOUR, 3600)
        raise RecordsError("no_account", MSG_NO_ACCOUNT, field="id_number")
    try:
        with transaction.atomic():
            membership = EmployerMembership.objects.create(employer=employer, user=agent,
                                                           role=EmployerMembership.Role.AGENT, granted_by=user,
                                                           granted_at=_now())
            params = {"employer": employer.name}
            post_message(user=agent, subject=Text(SUBJECT_GRANTED), body=Text(BODY_GRANTED, params),
                         link="/records/employer/")
            send_sms_to_user(user=agent, purpose="employer_agent", text=Text(SMS_GRANTED, params))
            record_event(event_type="records.agent_granted", actor=user, request=request, subject_type="employer",
                         subject_id=employer.credit_code, data={"agent": mask_id_number(agent_id)})
    except IntegrityError:
        raise RecordsError("already_member", MSG_ALREADY_MEMBER, field="id_number") from None
    return membership


def revoke_agent(*, user, employer: Employer, membership: EmployerMembership, request=None) -> EmployerMembership:
    _representative(user, employer)
    with transaction.atomic():
        locked = EmployerMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if (locked.employer_id != employer.pk or locked.role != EmployerMembership.Role.AGENT
                or locked.revoked_at is not None):
            raise RecordsError("not_agent", MSG_NOT_AGENT)
        locked.revoked_at, locked.revoked_by = _now(), user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        post_message(user=locked.user, subject=Text(SUBJECT_REVOKED), body=Text(BODY_REVOKED, {"employer": employer.name}))
        record_event(event_type="records.agent_revoked", actor=user, request=request, subject_type="employer",
                     subject_id=employer.credit_code, data={"agent": locked.user.masked_id_number})
    return locked


# --- Enrolment ----------------------------------------------------------------------------------------------

def _rule(error: rules.EnrolmentRuleError, field: str) -> RecordsError:
    return RecordsError(error.code, error.message, error.params, field=field)


def enrol(*, user, employer: Employer, id_number: str, name: str, start_month, types, request=None) -> Enrolment:
    """The employer enrols an employee (增员) from a start month in the chosen insurance types. A person is
    enrolled with one employer at a time: the database keeps one open enrolment per ID number, so two employers
    enrolling the same person at the same moment get one row and one clear refusal."""
    acting_membership(user=user, employer=employer)
    person = _id_number(id_number)
    name = (name or "").strip()
    if not name:
        raise RecordsError("required", MSG_REQUIRED, field="name")
    types = [t for t in types if t in rules.INSURANCE_TYPES]
    today = timezone.localdate()
    try:
        with transaction.atomic():
            current = Enrolment.objects.filter(id_number=person, end_month__isnull=True).first()
            if current is not None:
                if current.employer_id == employer.pk:
                    raise RecordsError("enrolled_here", MSG_ENROLLED_HERE, field="id_number")
                raise RecordsError("enrolled_elsewhere", MSG_ENROLLED_ELSEWHERE, field="id_number")
            last_end = Enrolment.objects.filter(id_number=person).aggregate(m=Max("end_month"))["m"]
            try:
                rules.check_start(start=start_month, today=today, types=types, last_end=last_end)
            except rules.EnrolmentRuleError as error:
                raise _rule(error, "types" if error.code == "no_types" else "start_month") from None
            enrolment = Enrolment.objects.create(
                employer=employer, id_number=person, name=name, start_month=rules.month_of(start_month),
                created_by=user, created_at=_now(), **{t: True for t in types})
            record_event(event_type="records.enrolled", actor=user, request=request, subject_type="employer",
                         subject_id=employer.credit_code,
                         data={"person": mask_id_number(person), "start": rules.format_month(start_month),
                               "types": types})
    except IntegrityError:  # enrolled elsewhere a moment ago
        raise RecordsError("enrolled_elsewhere", MSG_ENROLLED_ELSEWHERE, field="id_number") from None
    return enrolment


def stop_enrolment(*, user, employer: Employer, enrolment: Enrolment, end_month, request=None) -> Enrolment:
    """The employer stops an employee (减员): the end month is the last month covered. The row stays as history."""
    acting_membership(user=user, employer=employer)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.employer_id != employer.pk or locked.end_month is not None:
            raise RecordsError("not_enrolled", MSG_NOT_ENROLLED)
        try:
            rules.check_end(start=locked.start_month, end=end_month, today=timezone.localdate())
        except rules.EnrolmentRuleError as error:
            raise _rule(error, "end_month") from None
        locked.end_month, locked.stopped_by, locked.stopped_at = rules.month_of(end_month), user, _now()
        locked.save(update_fields=["end_month", "stopped_by", "stopped_at"])
        record_event(event_type="records.enrolment_stopped", actor=user, request=request, subject_type="employer",
                     subject_id=employer.credit_code,
                     data={"person": mask_id_number(locked.id_number), "end": rules.format_month(end_month)})
    return locked
