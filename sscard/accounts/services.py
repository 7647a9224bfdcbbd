"""Account actions: each one a function, in a transaction, auditing itself."""

import uuid

from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain.masking import mask_id_number, mask_phone
from sscard.notify.services import post_message, send_sms_to_user
from sscard.notify.texts import Text

from . import limits, smscodes
from .errors import FieldErrors
from .identity.base import IdentityClaim, IdentityMismatch
from .identity.registry import get_provider
from .models import SmsPurpose

User = get_user_model()

# Shown only once the registrant's phone is verified by its SMS code (never before: no oracle for ID numbers).
ID_TAKEN = gettext_noop("An account already exists for this ID number. If it is yours, log in or reset your "
                        "password. If you did not register it, bring your ID card to a service counter: a clerk will "
                        "check it and resolve it.")
# Shown only once the SMS code sent to that phone is verified: its holder may know that it has an account.
ALREADY_PHONE = gettext_noop("This mobile number is already used by another account. Log in with it, or use another "
                             "number.")
WRONG_CODE = gettext_noop("The code is wrong or has expired. Ask for a new code.")
RESETS_LIMITED = gettext_noop("Too many failed attempts to reset a password. Try again in an hour, or come to a "
                              "service counter.")


def _check_password(password: str, user) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return list(error.messages)
    return []


# --- SMS codes -------------------------------------------------------------------------------------------

def request_sms_code(*, phone: str, purpose: str, request=None) -> None:
    """Send a one-time code. For log-in and reset, a number without an account gets nothing, but the answer,
    the limits (resend interval, daily, per client, site-wide), the stored code row and the work done in the
    request are the same (the account is looked up by the delivery task), so the page does not reveal which
    numbers have accounts."""
    smscodes.issue_code(phone=phone, purpose=purpose, request=request,
                        only_to_account=purpose in (SmsPurpose.LOGIN, SmsPurpose.RESET))


# --- Registration ----------------------------------------------------------------------------------------

def register_citizen(*, real_name: str, document_type: str, id_number: str, phone: str, sms_code: str,
                     password: str, accepted_terms: bool, request=None):
    """Create a citizen account. Inputs are already shape-checked (forms).

    Nothing here that depends on stored accounts or on the population register is answered before the SMS
    code proves that the registrant holds the phone. Then, all at once: password rules, identity check, phone
    already used. A taken ID number comes last: the code is used up, the registrant is told to go to a
    counter, and the account's owner is told by SMS (masked data only). Creates the account at most once."""
    if not accepted_terms:
        raise FieldErrors.single("accept_terms", _("You must accept the terms of service and privacy notice."))
    smscodes.check_code(phone=phone, purpose=SmsPurpose.REGISTER, code=sms_code)
    candidate = User(real_name=real_name, id_number=id_number, phone=phone)
    errors: dict[str, list[str]] = {}
    if password_errors := _check_password(password, candidate):
        errors["password1"] = password_errors
    try:
        get_provider().verify(IdentityClaim(real_name=real_name, id_number=id_number))
    except IdentityMismatch as mismatch:
        errors.setdefault("id_number", []).append(_(mismatch.message))
    if User.objects.filter(phone=phone).exists():
        errors["phone"] = [_(ALREADY_PHONE)]
    if errors:
        raise FieldErrors(errors)  # the code stays usable for the corrected form
    owner = User.objects.filter(id_number=id_number).first()
    if owner is not None:
        _registration_with_taken_id_number(owner=owner, phone=phone, sms_code=sms_code, request=request)
        raise FieldErrors.single("id_number", _(ID_TAKEN))
    with transaction.atomic():
        smscodes.consume_code(phone=phone, purpose=SmsPurpose.REGISTER, code=sms_code)
        return create_citizen(real_name=real_name, document_type=document_type, id_number=id_number, phone=phone,
                              password=password, channel="online", request=request,
                              language=translation.get_language() or "")


def _registration_with_taken_id_number(*, owner, phone: str, sms_code: str, request=None) -> None:
    """Someone who verified `phone` tried to register `owner`'s ID number: use the code up (one answer per
    code), audit it, and tell the owner (once a day at most, masked data only, in the site's language: the
    owner's own language is not known)."""
    with transaction.atomic():
        smscodes.consume_code(phone=phone, purpose=SmsPurpose.REGISTER, code=sms_code)
        record_event(event_type="account.registration_id_taken", subject_type="user", subject_id=str(owner.pk),
                     data={"id_number": mask_id_number(owner.id_number or ""), "phone": mask_phone(phone)},
                     request=request)
        if cache.add(f"id-taken-notice:{owner.pk}", 1, 24 * 3600):
            # In the owner's own language (texts: sscard.notify.texts), masked data only.
            params = {"id": mask_id_number(owner.id_number or ""), "phone": mask_phone(phone)}
            if owner.is_active:
                send_sms_to_user(user=owner, purpose="notice:registration_id_taken", text=Text(gettext_noop(
                    "[Hubei Government Services] Someone with the mobile number %(phone)s tried to register a "
                    "new account with your ID number %(id)s. Your account is unchanged. If this was not you "
                    "and it happens again, contact the service hotline."), params))
            post_message(user=owner, subject=Text(gettext_noop("Someone tried to register with your ID number")),
                         body=Text(gettext_noop("Someone with the mobile number %(phone)s tried to register a new "
                                                "account with your ID number %(id)s. It was refused; your account "
                                                "is unchanged."), params))


def create_citizen(*, real_name: str, document_type: str, id_number: str, phone: str, password: str,
                   channel: str, request=None, language: str = ""):
    """Create the account of a verified person (online after the SMS code; at a counter; demo data).
    `language`: the one they registered in (online: the page's), kept as their preferred language."""
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User(username=f"c-{uuid.uuid4().hex[:20]}", real_name=real_name, document_type=document_type,
                        id_number=id_number, phone=phone, phone_verified_at=now,
                        terms_version=settings.TERMS_VERSION, terms_accepted_at=now,
                        preferred_language=_known_language(language))
            user.set_password(password)
            user.save()
            record_event(event_type="account.registered", actor=user, subject_type="user", subject_id=str(user.pk),
                         data={"id_number": mask_id_number(id_number), "phone": mask_phone(phone), "channel": channel,
                               "terms_version": settings.TERMS_VERSION, "document_type": document_type},
                         request=request)
            post_message(user=user, subject=Text(gettext_noop("Welcome to the social security card service")),
                         body=Text(gettext_noop("Your account is registered with your real name. From My homepage "
                                                "you can apply for your social security card and follow its "
                                                "progress.")))
    except IntegrityError:
        # A concurrent registration with the same ID number or phone won the race.
        raise FieldErrors({"__all__": [_("This ID number or mobile number has just been registered. "
                                         "Log in instead.")]}) from None
    return user


def _known_language(code: str) -> str:
    code = (code or "").lower()
    return code if code in {lang for lang, _name in settings.LANGUAGES} else ""


def set_preferred_language(*, user, language: str) -> bool:
    """Keep the language a signed-in person chose (the language switch): their SMS, messages and notes
    follow it from now on. Returns whether it changed; an unknown code is ignored."""
    code = _known_language(language)
    if not code or not getattr(user, "pk", None) or user.preferred_language == code:
        return False
    user.preferred_language = code
    user.save(update_fields=["preferred_language"])
    return True


def account_language(user) -> str:
    """The language a signed-in session shows: the account's preferred one ("" when none is kept yet)."""
    return _known_language(getattr(user, "preferred_language", ""))


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
    """Log in with an SMS code. The code is checked the same way whether the number has an account or not
    (numbers without one got a code row nobody knows), so the answers are the same."""
    user = User.objects.filter(phone=phone, is_staff=False, is_active=True).first()
    try:
        smscodes.check_code(phone=phone, purpose=SmsPurpose.LOGIN, code=sms_code)
        if user is None:  # cannot be right (no code was sent), answered as a wrong code all the same
            raise FieldErrors.single("sms_code", _(WRONG_CODE))
        with transaction.atomic():
            smscodes.consume_code(phone=phone, purpose=SmsPurpose.LOGIN, code=sms_code)
    except FieldErrors:
        record_event(event_type="login.failed", actor=user, subject_type="user" if user else "",
                     subject_id=str(user.pk) if user else "", data={"method": "sms"}, request=request)
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
    """Set a new password with a code sent to the account's phone.

    The code is verified first, the same way whether the number has an account or not; only then are the
    password rules (which look at the account's ID number, phone and name) applied, so no answer depends on
    the account before its secret is verified. If the rules refuse the password the code stays usable, for the
    corrected password (its holder has proven they hold the phone). Failed resets (wrong, expired, missing
    code) are counted per phone and per client (settings `PASSWORD_RESET_*`) and audited."""
    reset_limits = limits.reset_failure_limits(phone=phone, request=request)
    for limit in reset_limits:
        if limit.used_up():
            limits.tripped(limit, request=request, data={"phone": mask_phone(phone)})
            raise FieldErrors.single("__all__", _(RESETS_LIMITED))
    user = User.objects.filter(phone=phone, is_staff=False, is_active=True).first()
    try:
        smscodes.check_code(phone=phone, purpose=SmsPurpose.RESET, code=sms_code)
        if user is None:  # cannot be right (no code was sent), answered as a wrong code all the same
            raise FieldErrors.single("sms_code", _(WRONG_CODE))
    except FieldErrors:
        for limit in reset_limits:
            limit.hit()
        record_event(event_type="account.password_reset_failed", subject_type="user" if user else "",
                     subject_id=str(user.pk) if user else "", data={"phone": mask_phone(phone), "reason": "code"},
                     request=request)
        raise
    if password_errors := _check_password(password, user):
        raise FieldErrors({"password1": password_errors})
    with transaction.atomic():
        smscodes.consume_code(phone=phone, purpose=SmsPurpose.RESET, code=sms_code)
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event(event_type="account.password_reset", actor=user, subject_type="user",
                     subject_id=str(user.pk), request=request)
        post_message(user=user, subject=Text(gettext_noop("Your password was changed")),
                     body=Text(gettext_noop("Your password was reset with an SMS code. If this was not you, "
                                            "contact the service hotline at once.")))


def change_phone(*, user, new_phone: str, sms_code: str, password: str, request=None) -> None:
    if not user.check_password(password):
        raise FieldErrors.single("password", _("The password is wrong."))
    if new_phone == user.phone:
        raise FieldErrors.single("phone", _("This is already your mobile number."))
    # Whether the new number has an account is said only to whoever proved they hold it.
    smscodes.check_code(phone=new_phone, purpose=SmsPurpose.CHANGE_PHONE, code=sms_code)
    if User.objects.filter(phone=new_phone).exclude(pk=user.pk).exists():
        raise FieldErrors.single("phone", _(ALREADY_PHONE))
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
            post_message(user=user, subject=Text(gettext_noop("Your mobile number was changed")),
                         body=Text(gettext_noop("Your mobile number is now %(phone)s."),
                                   {"phone": mask_phone(new_phone)}))
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
