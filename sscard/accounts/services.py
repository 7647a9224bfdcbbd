"""Account actions: each one a function, in a transaction, auditing itself."""

import uuid

from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain.masking import mask_id_number, mask_phone
from sscard.notify.services import post_message

from . import smscodes
from .errors import FieldErrors
from .identity.base import IdentityClaim, IdentityMismatch
from .identity.registry import get_provider
from .models import SmsPurpose

User = get_user_model()

ALREADY_ID = gettext_noop("An account with this ID number already exists. Log in, or reset your password if you forgot it.")
ALREADY_PHONE = gettext_noop("This mobile number is already used by another account. Log in with it, or use another "
                             "number.")


def _check_password(password: str, user) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return list(error.messages)
    return []


# --- SMS codes -------------------------------------------------------------------------------------------

def request_sms_code(*, phone: str, purpose: str) -> None:
    """Send a one-time code. For log-in and reset, a number without an account gets nothing, but the
    answer is the same, so the page does not reveal which numbers have accounts."""
    deliver = True
    if purpose in (SmsPurpose.LOGIN, SmsPurpose.RESET):
        deliver = User.objects.filter(phone=phone, is_staff=False, is_active=True).exists()
    smscodes.issue_code(phone=phone, purpose=purpose, deliver=deliver)


# --- Registration ----------------------------------------------------------------------------------------

def register_citizen(*, real_name: str, document_type: str, id_number: str, phone: str, sms_code: str,
                     password: str, accepted_terms: bool, request=None):
    """Create a citizen account. Inputs are already shape-checked (forms); this checks what needs the
    database, the SMS code and the identity provider, and creates the account at most once."""
    if not accepted_terms:
        raise FieldErrors.single("accept_terms", _("You must accept the terms of service and privacy notice."))
    candidate = User(real_name=real_name, id_number=id_number, phone=phone)
    errors: dict[str, list[str]] = {}
    if User.objects.filter(id_number=id_number).exists():
        errors["id_number"] = [_(ALREADY_ID)]
    if User.objects.filter(phone=phone).exists():
        errors["phone"] = [_(ALREADY_PHONE)]
    if password_errors := _check_password(password, candidate):
        errors["password1"] = password_errors
    try:
        get_provider().verify(IdentityClaim(real_name=real_name, id_number=id_number))
    except IdentityMismatch as mismatch:
        errors.setdefault("id_number", []).append(_(mismatch.message))
    if errors:
        raise FieldErrors(errors)
    smscodes.check_code(phone=phone, purpose=SmsPurpose.REGISTER, code=sms_code)
    with transaction.atomic():
        smscodes.consume_code(phone=phone, purpose=SmsPurpose.REGISTER, code=sms_code)
        return create_citizen(real_name=real_name, document_type=document_type, id_number=id_number, phone=phone,
                              password=password, channel="online", request=request)


def create_citizen(*, real_name: str, document_type: str, id_number: str, phone: str, password: str,
                   channel: str, request=None):
    """Create the account of a verified person (online after the SMS code; at a counter; demo data)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User(username=f"c-{uuid.uuid4().hex[:20]}", real_name=real_name, document_type=document_type,
                        id_number=id_number, phone=phone, phone_verified_at=now,
                        terms_version=settings.TERMS_VERSION, terms_accepted_at=now)
            user.set_password(password)
            user.save()
            record_event(event_type="account.registered", actor=user, subject_type="user", subject_id=str(user.pk),
                         data={"id_number": mask_id_number(id_number), "phone": mask_phone(phone), "channel": channel,
                               "terms_version": settings.TERMS_VERSION, "document_type": document_type},
                         request=request)
            post_message(user=user, subject=_("Welcome to the social security card service"),
                         body=_("Your account is registered with your real name. From My homepage you can "
                                "apply for your social security card and follow its progress."))
    except IntegrityError:
        # A concurrent registration with the same ID number or phone won the race.
        raise FieldErrors({"__all__": [_("This ID number or mobile number has just been registered. "
                                         "Log in instead.")]}) from None
    return user


def create_staff(*, username: str, password: str, real_name: str, is_superuser: bool = False):
    """Create a member of agency staff (roles and areas are assigned in the back office)."""
    with transaction.atomic():
        user = User(username=username, real_name=real_name, is_staff=True, is_superuser=is_superuser)
        user.set_password(password)
        user.save()
        record_event(event_type="staff.created", subject_type="user", subject_id=str(user.pk),
                     data={"username": username})
    return user


# --- Log in / out ----------------------------------------------------------------------------------------

def start_session(*, request, user, method: str) -> None:
    login(request, user, backend="sscard.accounts.backends.CitizenBackend")
    record_event(event_type="login.succeeded", actor=user, subject_type="user", subject_id=str(user.pk),
                 data={"method": method}, request=request)


def log_in_with_password(*, request, identifier: str, password: str):
    """Authenticate a citizen by ID number or phone and password; counts failures for lockout."""
    user = django_authenticate(request, identifier=identifier, password=password)
    if user is None or user.is_staff:
        record_event(event_type="login.failed", data={"method": "password"}, request=request)
        if getattr(request, "axes_locked_out", False):
            return None
        raise FieldErrors.single("__all__", _("The ID number / mobile number or the password is wrong."))
    start_session(request=request, user=user, method="password")
    return user


def log_in_with_sms(*, request, phone: str, sms_code: str):
    user = User.objects.filter(phone=phone, is_staff=False, is_active=True).first()
    if user is None:
        # Same message as a wrong code: do not reveal whether the number has an account.
        record_event(event_type="login.failed", data={"method": "sms"}, request=request)
        raise FieldErrors.single("sms_code", _("The code is wrong or has expired. Ask for a new code."))
    try:
        smscodes.check_code(phone=phone, purpose=SmsPurpose.LOGIN, code=sms_code)
        with transaction.atomic():
            smscodes.consume_code(phone=phone, purpose=SmsPurpose.LOGIN, code=sms_code)
    except FieldErrors:
        record_event(event_type="login.failed", actor=user, subject_type="user", subject_id=str(user.pk),
                     data={"method": "sms"}, request=request)
        raise
    start_session(request=request, user=user, method="sms")
    return user


def log_in_staff(*, request, username: str, password: str, otp_token: str = ""):
    """Staff log in on their own page; with STAFF_OTP_REQUIRED a TOTP code is needed too."""
    from django_otp import login as otp_login
    from django_otp import match_token

    user = django_authenticate(request, username=username, password=password)
    if user is None or not user.is_staff:
        record_event(event_type="staff.login.failed", data={"username": username[:32]}, request=request)
        if getattr(request, "axes_locked_out", False):
            return None
        raise FieldErrors.single("__all__", _("The username or password is wrong."))
    device = None
    if settings.STAFF_OTP_REQUIRED:
        device = match_token(user, (otp_token or "").strip()) if otp_token else None
        if device is None:
            record_event(event_type="staff.login.failed", actor=user, data={"reason": "otp"}, request=request)
            raise FieldErrors.single("otp_token", _("Enter the current 6-digit code from your authenticator app."))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    record_event(event_type="staff.login.succeeded", actor=user, subject_type="user", subject_id=str(user.pk),
                 request=request)
    return user


def log_out(*, request) -> None:
    if request.user.is_authenticated:
        record_event(event_type="logout", actor=request.user, subject_type="user",
                     subject_id=str(request.user.pk), request=request)
    logout(request)


# --- Password and phone ----------------------------------------------------------------------------------

def reset_password(*, phone: str, sms_code: str, password: str, request=None) -> None:
    user = User.objects.filter(phone=phone, is_staff=False, is_active=True).first()
    if user is None:
        raise FieldErrors.single("sms_code", _("The code is wrong or has expired. Ask for a new code."))
    if password_errors := _check_password(password, user):
        raise FieldErrors({"password1": password_errors})
    smscodes.check_code(phone=phone, purpose=SmsPurpose.RESET, code=sms_code)
    with transaction.atomic():
        smscodes.consume_code(phone=phone, purpose=SmsPurpose.RESET, code=sms_code)
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event(event_type="account.password_reset", actor=user, subject_type="user",
                     subject_id=str(user.pk), request=request)
        post_message(user=user, subject=_("Your password was changed"),
                     body=_("Your password was reset with an SMS code. If this was not you, contact the "
                            "service hotline at once."))


def change_phone(*, user, new_phone: str, sms_code: str, password: str, request=None) -> None:
    if not user.check_password(password):
        raise FieldErrors.single("password", _("The password is wrong."))
    if new_phone == user.phone:
        raise FieldErrors.single("phone", _("This is already your mobile number."))
    if User.objects.filter(phone=new_phone).exclude(pk=user.pk).exists():
        raise FieldErrors.single("phone", _(ALREADY_PHONE))
    smscodes.check_code(phone=new_phone, purpose=SmsPurpose.CHANGE_PHONE, code=sms_code)
    old = user.phone
    try:
        with transaction.atomic():
            smscodes.consume_code(phone=new_phone, purpose=SmsPurpose.CHANGE_PHONE, code=sms_code)
            user.phone = new_phone
            user.phone_verified_at = timezone.now()
            user.save(update_fields=["phone", "phone_verified_at"])
            record_event(event_type="account.phone_changed", actor=user, subject_type="user",
                         subject_id=str(user.pk), data={"old": mask_phone(old or ""), "new": mask_phone(new_phone)},
                         request=request)
            post_message(user=user, subject=_("Your mobile number was changed"),
                         body=_("Your mobile number is now %(phone)s.") % {"phone": mask_phone(new_phone)})
    except IntegrityError:
        raise FieldErrors.single("phone", _(ALREADY_PHONE)) from None


def change_password(*, user, old_password: str, password: str, request=None) -> None:
    if not user.check_password(old_password):
        raise FieldErrors.single("old_password", _("The current password is wrong."))
    if password_errors := _check_password(password, user):
        raise FieldErrors({"password1": password_errors})
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event(event_type="account.password_changed", actor=user, subject_type="user",
                     subject_id=str(user.pk), request=request)
