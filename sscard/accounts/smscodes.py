"""One-time SMS codes: 6 digits, valid 5 minutes, at most 5 tries, one per phone per 60 s, 10 per phone a day,
and limits per client and site-wide (`limits`)."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sscard.domain.masking import mask_phone
from sscard.notify.services import send_sms

from . import limits
from .errors import FieldErrors
from .models import SmsCode

CODE_LIFETIME = timedelta(minutes=5)
MAX_TRIES = 5
RESEND_INTERVAL_SECONDS = 60
DAILY_LIMIT = 10


def _hash(phone: str, purpose: str, code: str) -> str:
    message = f"{phone}|{purpose}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _start_of_local_day(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def issue_code(*, phone: str, purpose: str, deliver: bool = True, field: str = "phone", request=None) -> None:
    """Create a code for `phone` and send it. `deliver=False` applies the same limits and writes the same row,
    but sends nothing (used where sending would reveal whether an account exists).

    Limits, in order: one code per phone a minute, `DAILY_LIMIT` per phone a day, then per client (address)
    and site-wide per window (settings `SMS_CODE_*`), against SMS pumping. Each refusal trips its limit
    (`limits.tripped`: metric and audit event)."""
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
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        SmsCode.objects.create(phone=phone, purpose=purpose, code_hash=_hash(phone, purpose, code if deliver else
                                                                            secrets.token_hex(8)),
                               created_at=now, expires_at=now + CODE_LIFETIME)
        if deliver:
            send_sms(phone=phone, purpose=f"code:{purpose}", text=_(
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
