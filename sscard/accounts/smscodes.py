"""One-time SMS codes: 6 digits, valid 5 minutes, at most 5 tries, one per phone per 60 s, 10 per phone a day,
and limits per client and site-wide (`limits`)."""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sscard.domain.masking import mask_phone
from sscard.notify.services import send_sms

from . import limits
from .errors import FieldErrors
from .models import SmsCode

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=5)
MAX_TRIES = 5
RESEND_INTERVAL_SECONDS = 60
DAILY_LIMIT = 10
PENDING = "pending"  # the hash of a code row until its task gave it a code (no code's hash looks like it)


def _hash(phone: str, purpose: str, code: str) -> str:
    message = f"{phone}|{purpose}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _start_of_local_day(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def issue_code(*, phone: str, purpose: str, only_to_account: bool = False, field: str = "phone",
               request=None) -> None:
    """Make a code for `phone` and have it sent.

    Limits, in order: one code per phone a minute, `DAILY_LIMIT` per phone a day, then per client (address)
    and site-wide per window (settings `SMS_CODE_*`), against SMS pumping. Each refusal trips its limit
    (`limits.tripped`: metric and audit event).

    The request then writes one code row and queues one task, whatever the number: whether the number has an
    account (`only_to_account`, for log-in and reset) is looked at by the task (`deliver_code`), on a worker,
    so neither the answer, nor the limits, nor the answer's timing say which numbers have accounts."""
    now = timezone.now()
    masked = {"purpose": purpose, "phone": mask_phone(phone)}
    throttle_key = f"sms-throttle:{_hash(phone, 'throttle', '')}"
    recent = SmsCode.objects.filter(phone=phone, created_at__gt=now - timedelta(seconds=RESEND_INTERVAL_SECONDS))
    resend_refused = FieldErrors.single(field, _("A code was sent to this number less than a minute ago. "
                                                 "Wait a minute before asking for another one."))
    resend_limit = limits.phone_limit("sms_phone_interval", phone, 1, RESEND_INTERVAL_SECONDS)
    if cache.get(throttle_key) or recent.exists():
        limits.tripped(resend_limit, request=request, data=masked)
        raise resend_refused
    if SmsCode.objects.filter(phone=phone, created_at__gte=_start_of_local_day(now)).count() >= DAILY_LIMIT:
        limits.tripped(limits.phone_limit("sms_phone_day", phone, DAILY_LIMIT, 86400), request=request, data=masked)
        raise FieldErrors.single(field, _("This number has received the most codes allowed in one day (%(n)d). "
                                          "Try again tomorrow.") % {"n": DAILY_LIMIT})
    for limit in limits.sms_code_limits(request):
        if not limit.hit():
            limits.tripped(limit, request=request, data=masked)
            if limit.scope == "sms_site":
                message = _("The SMS service is very busy right now. Try again in a while, or come to a "
                            "service counter.")
            else:
                message = _("Too many codes were requested from your network. Try again later.")
            raise FieldErrors.single(field, message)
    if not cache.add(throttle_key, 1, RESEND_INTERVAL_SECONDS):  # a concurrent request for this phone won
        limits.tripped(resend_limit, request=request, data=masked)
        raise resend_refused
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        # No code yet (PENDING matches none): `deliver_code` gives the row its code, or leaves it codeless.
        row = SmsCode.objects.create(phone=phone, purpose=purpose, code_hash=PENDING, created_at=now,
                                     expires_at=now + CODE_LIFETIME)
        transaction.on_commit(lambda: _queue(row.pk, only_to_account, language), robust=True)


def _queue(code_id: int, only_to_account: bool, language: str) -> None:
    from .tasks import send_code

    try:
        send_code.apply_async(args=[code_id, only_to_account, language])
    except Exception as error:  # noqa: BLE001 - kombu/redis raise many kinds; the person must still get a code
        logger.warning("SMS code %s not queued (%s): delivered in-process", code_id, type(error).__name__)
        deliver_code(code_id=code_id, only_to_account=only_to_account, language=language)


def deliver_code(*, code_id: int, only_to_account: bool, language: str) -> None:
    """The task side of `issue_code`: give the row a code and send it by SMS (through the outbox), unless
    `only_to_account` and the number has no active citizen account: then the row gets a hash no code matches,
    so trying a code for it is answered exactly as for a wrong code. Idempotent (a task may run twice).

    The SMS speaks the account's preferred language when the number has an account, else `language` (the
    request's). Only the worker looks at the account, so the request's answer says nothing about it."""
    from django.contrib.auth import get_user_model

    from .services import account_language  # services imports this module

    with transaction.atomic():
        row = SmsCode.objects.select_for_update().filter(pk=code_id, code_hash=PENDING, used_at__isnull=True).first()
        if row is None or row.expires_at <= timezone.now():
            return
        account = get_user_model().objects.filter(phone=row.phone, is_staff=False, is_active=True).first()
        deliver = not only_to_account or account is not None
        language = account_language(account) or language
        code = f"{secrets.randbelow(1_000_000):06d}"
        row.code_hash = _hash(row.phone, row.purpose, code if deliver else secrets.token_hex(8))
        row.save(update_fields=["code_hash"])
        if deliver:
            with translation.override(language):
                send_sms(phone=row.phone, purpose=f"code:{row.purpose}", text=_(
                    "[Hubei Government Services] Your verification code is %(code)s. It is valid for 5 minutes. "
                    "Do not tell it to anyone."
                ) % {"code": code})


def _latest(phone: str, purpose: str, *, lock: bool):
    queryset = SmsCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).order_by("-created_at")
    if lock:
        queryset = queryset.select_for_update()
    return queryset.first()


def check_code(*, phone: str, purpose: str, code: str, field: str = "sms_code") -> None:
    """Check a code without using it up. A wrong code counts as a try, committed even if the caller fails."""
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise FieldErrors.single(field, _("Enter the 6-digit code from the SMS."))
    with transaction.atomic():
        row = _latest(phone, purpose, lock=True)
        if row is None or row.expires_at <= timezone.now():
            raise FieldErrors.single(field, _("The code has expired or was never sent. Ask for a new code."))
        if row.attempts >= MAX_TRIES:
            raise FieldErrors.single(field, _("Too many wrong codes. Ask for a new code."))
        if not hmac.compare_digest(row.code_hash, _hash(phone, purpose, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = MAX_TRIES - row.attempts
            if left <= 0:
                message = _("The code is wrong. Too many wrong codes: ask for a new code.")
            else:
                message = _("The code is wrong. You have %(left)d more tries.") % {"left": left}
            error = FieldErrors.single(field, message)  # raised after the block so the try is committed
        else:
            error = None
    if error:
        raise error


def consume_code(*, phone: str, purpose: str, code: str, field: str = "sms_code") -> None:
    """Use the code up. Call inside the caller's transaction, after `check_code` succeeded."""
    row = _latest(phone, purpose, lock=True)
    if row is None or row.attempts >= MAX_TRIES or row.expires_at <= timezone.now() or not hmac.compare_digest(
        row.code_hash, _hash(phone, purpose, (code or "").strip())
    ):
        raise FieldErrors.single(field, _("The code has already been used or has expired. Ask for a new code."))
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
