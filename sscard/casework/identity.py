"""Giving a squatted ID number back to its holder (issue 9).

Under the `rules` identity provider anyone can register a real person's ID number with any name, and so block
that person's account and card (one ID number, one account). At a service counter:

1. a clerk sees the person's identity document, records which document it was, verifies the person's mobile
   phone with an SMS code and proposes the correction (`propose_correction`);
2. a supervisor, another person, working in the same area confirms or declines it (`decide_correction`).
   Confirmed: the wrong account is disabled and its ID number freed (its row and audit history stay), a new
   account is opened for the holder with that ID number and the verified phone (no password: the holder logs
   in with an SMS code and sets one), and both are notified (the wrong account's phone by SMS, the holder by
   SMS and in-site message; masked data only).

Each action runs in one transaction with the rows it depends on locked and their state checked again, and
audits itself. The right account is always a new one opened at the counter: a citizen account cannot exist
without an ID number, so the holder cannot already have an account of their own for it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sscard.accounts import smscodes
from sscard.accounts.errors import FieldErrors
from sscard.accounts.models import SmsPurpose
from sscard.accounts.services import create_citizen
from sscard.audit.services import record_event
from sscard.domain.masking import mask_id_number, mask_phone
from sscard.notify.services import post_message, send_sms_to_user
from sscard.notify.texts import Localized, Text

from .identity_selectors import blocking_applications, outlets_of
from .models import IdentityCorrection
from .services import CaseworkError, require

SUBJECT = "id_number_correction"

MSG_OUTLET = gettext_noop("This outlet is not in your area.")
MSG_AREA = gettext_noop("This correction was proposed at an outlet outside your area.")
MSG_NO_HOLDER = gettext_noop("No account holds this ID number: the person can register online with it.")
MSG_STAFF_HOLDER = gettext_noop("This ID number belongs to a staff account: it cannot be corrected here.")
MSG_SAME_PHONE = gettext_noop("The account holding this ID number uses this same mobile number, so it is the "
                              "person's own account: help them reset the password instead.")
MSG_PHONE_TAKEN = gettext_noop("This mobile number is used by another account. Ask for a mobile number of the "
                               "person's own.")
MSG_PENDING = gettext_noop("A correction of this ID number is already waiting for a supervisor's confirmation.")
MSG_DECIDED = gettext_noop("This correction was already decided by someone else a moment ago. Reload the page.")
MSG_OWN = gettext_noop("A correction must be confirmed by someone other than the person who proposed it.")
MSG_MOVED = gettext_noop("The ID number is no longer held by the account this correction disables: decline it.")
MSG_PHONE_TAKEN_SINCE = gettext_noop("The verified mobile number has been taken by another account since the "
                                     "proposal: decline it and propose again with another number.")

SMS_WRONG = gettext_noop(
    "[Hubei Government Services] Your account registered with ID number %(id_number)s has been closed: the holder "
    "of that ID number proved their identity at a service counter. If you think this is a mistake, bring your own "
    "identity document to a service counter.")
SMS_RIGHT = gettext_noop(
    "[Hubei Government Services] Your ID number %(id_number)s is now registered to your own account, mobile "
    "number %(phone)s. Log in with an SMS code and set a password.")
MESSAGE_SUBJECT = gettext_noop("Your ID number has been given back to you")
MESSAGE_BODY = gettext_noop(
    "An account registered by someone else with your ID number %(id_number)s was closed after you proved your "
    "identity at %(outlet)s. Your ID number now belongs to this account. Set a password with \"Forgot password\" "
    "and an SMS code to your mobile number %(phone)s.")


def _in_area(staff, outlet) -> bool:
    return outlets_of(staff).filter(pk=outlet.pk).exists()


def send_phone_code(*, staff, phone: str) -> None:
    """Send the person at the counter a code, to prove the mobile number is theirs."""
    require(staff, "resolve_id_number")
    smscodes.issue_code(phone=phone, purpose=SmsPurpose.REGISTER, field="phone")


def _check_proposal(*, staff, outlet, id_number: str, phone: str):
    """The rules of a proposal; returns the account holding the ID number."""
    require(staff, "resolve_id_number")
    if not _in_area(staff, outlet):
        raise CaseworkError("area", MSG_OUTLET)
    User = get_user_model()
    holder = User.objects.filter(id_number=id_number).first()
    if holder is None:
        raise FieldErrors.single("id_number", _(MSG_NO_HOLDER))
    if holder.is_staff:
        raise FieldErrors.single("id_number", _(MSG_STAFF_HOLDER))
    if holder.phone == phone:
        raise FieldErrors.single("phone", _(MSG_SAME_PHONE))
    if User.objects.filter(phone=phone).exists():
        raise FieldErrors.single("phone", _(MSG_PHONE_TAKEN))
    if IdentityCorrection.objects.filter(id_number=id_number, outcome=IdentityCorrection.Outcome.PENDING).exists():
        raise CaseworkError("pending", MSG_PENDING)
    return holder


def propose_correction(*, staff, outlet, id_number: str, real_name: str, document_type: str, document_seen: str,
                       phone: str, sms_code: str, note: str = "", request=None) -> IdentityCorrection:
    """A clerk, having seen the person's document and with the code sent to their phone, proposes to give the
    ID number back. Nothing changes for either account until a supervisor confirms."""
    _check_proposal(staff=staff, outlet=outlet, id_number=id_number, phone=phone)
    smscodes.check_code(phone=phone, purpose=SmsPurpose.REGISTER, code=sms_code)
    try:
        with transaction.atomic():
            User = get_user_model()
            holder = _check_proposal(staff=staff, outlet=outlet, id_number=id_number, phone=phone)
            holder = User.objects.select_for_update().get(pk=holder.pk)
            if holder.id_number != id_number:
                raise FieldErrors.single("id_number", _(MSG_NO_HOLDER))
            smscodes.consume_code(phone=phone, purpose=SmsPurpose.REGISTER, code=sms_code)
            correction = IdentityCorrection.objects.create(
                id_number=id_number, wrong_account=holder, real_name=real_name, document_type=document_type,
                document_seen=document_seen.strip(), phone=phone, outlet=outlet, note=note.strip(),
                proposed_by=staff, proposed_at=timezone.now())
            record_event(event_type="casework.id_number_correction_proposed", actor=staff, request=request,
                         subject_type=SUBJECT, subject_id=str(correction.pk),
                         data={"id_number": mask_id_number(id_number), "wrong_account": holder.pk,
                               "phone": mask_phone(phone), "document_type": document_type, "outlet": outlet.pk})
    except IntegrityError:
        # Another clerk proposed a correction of the same ID number at the same moment.
        raise CaseworkError("pending", MSG_PENDING) from None
    return correction


def _notify(correction: IdentityCorrection, wrong, right) -> None:
    """Both people told, each in their own language (texts: sscard.notify.texts), masked data only."""
    masked_id = mask_id_number(correction.id_number)
    outlet = correction.outlet
    send_sms_to_user(user=wrong, text=Text(SMS_WRONG, {"id_number": masked_id}), purpose="id_number_correction")
    params = {"id_number": masked_id, "phone": mask_phone(right.phone),
              "outlet": Localized.capture(lambda: outlet.label)}
    send_sms_to_user(user=right, text=Text(SMS_RIGHT, params), purpose="id_number_correction")
    post_message(user=right, subject=Text(MESSAGE_SUBJECT), body=Text(MESSAGE_BODY, params))


def decide_correction(*, staff, correction: IdentityCorrection, confirm: bool, note: str = "",
                      request=None) -> IdentityCorrection:
    """A supervisor other than the proposer confirms the correction (the wrong account is disabled, the
    holder's account opened with the ID number, both told) or declines it (nothing changes)."""
    require(staff, "confirm_id_number")
    User = get_user_model()
    with transaction.atomic():
        locked = (IdentityCorrection.objects.select_for_update(of=("self",)).select_related("outlet")
                  .get(pk=correction.pk))
        if not _in_area(staff, locked.outlet):
            raise CaseworkError("area", MSG_AREA)
        if locked.outcome != IdentityCorrection.Outcome.PENDING:
            raise CaseworkError("stale", MSG_DECIDED)
        if locked.proposed_by_id == staff.pk:
            raise CaseworkError("own", MSG_OWN)
        locked.decided_by, locked.decided_at, locked.decision_note = staff, timezone.now(), note.strip()
        masked_id = mask_id_number(locked.id_number)
        if not confirm:
            locked.outcome = IdentityCorrection.Outcome.DECLINED
            locked.save(update_fields=["outcome", "decided_by", "decided_at", "decision_note"])
            record_event(event_type="casework.id_number_correction_declined", actor=staff, request=request,
                         subject_type=SUBJECT, subject_id=str(locked.pk),
                         data={"id_number": masked_id, "note": locked.decision_note})
            correction.refresh_from_db()
            return correction
        wrong = User.objects.select_for_update().get(pk=locked.wrong_account_id)
        if wrong.id_number != locked.id_number:
            raise CaseworkError("moved", MSG_MOVED)
        if User.objects.filter(phone=locked.phone).exists():
            raise CaseworkError("phone", MSG_PHONE_TAKEN_SINCE)
        # Disable the wrong account and free the ID number (unique); the row and its history stay.
        wrong.is_active, wrong.id_number = False, None
        wrong.save(update_fields=["is_active", "id_number"])
        record_event(event_type="account.disabled", actor=staff, request=request, subject_type="user",
                     subject_id=str(wrong.pk),
                     data={"reason": "id_number_squatted", "id_number": masked_id, "correction": locked.pk})
        try:
            right = create_citizen(real_name=locked.real_name, document_type=locked.document_type,
                                   id_number=locked.id_number, phone=locked.phone,
                                   password=None,  # unusable: the holder logs in with an SMS code, sets one
                                   channel="counter", request=request)
        except FieldErrors:
            raise CaseworkError("phone", MSG_PHONE_TAKEN_SINCE) from None
        locked.outcome, locked.right_account = IdentityCorrection.Outcome.CONFIRMED, right
        locked.save(update_fields=["outcome", "right_account", "decided_by", "decided_at", "decision_note"])
        record_event(event_type="casework.id_number_correction_confirmed", actor=staff, request=request,
                     subject_type=SUBJECT, subject_id=str(locked.pk),
                     data={"id_number": masked_id, "wrong_account": wrong.pk, "right_account": right.pk,
                           "proposed_by": locked.proposed_by_id, "note": locked.decision_note,
                           "blocking_applications": blocking_applications(locked).count()})
        _notify(locked, wrong, right)
    correction.refresh_from_db()
    return correction


def record_view(*, staff, correction: IdentityCorrection, request=None) -> None:
    """A staff read of a correction (masked personal data) is an audit event."""
    record_event(event_type="casework.id_number_correction_viewed", actor=staff, request=request,
                 subject_type=SUBJECT, subject_id=str(correction.pk))
