"""Append-only, hash-chained audit log: the one way to write it."""

import hashlib
import hmac
import json
import logging
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.domain.masking import mask_id_number, mask_phone

from .models import GENESIS_HASH, AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

# An 18-character resident ID number (17 digits and a check digit or X), standing alone.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
# A mainland mobile number, 11 digits, optionally after the country code 86 / +86.
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d{9})(?![0-9A-Za-z])")

LABEL_MAX = 64


def mask_personal_data(text: str) -> str:
    """Mask ID-number-like and phone-like substrings of `text`."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0).upper()), text)
    return PHONE_RE.sub(lambda m: mask_phone(m.group(1)), text)


def _scrub(value, path: str, found: list[str]):
    """A copy of `value` (JSON types) with personal data masked; `found` collects the paths masked."""
    if isinstance(value, dict):
        return {key: _scrub(item, f"{path}.{key}", found) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, f"{path}[{index}]", found) for index, item in enumerate(value)]
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        masked = mask_personal_data(str(value))
        if masked != str(value):
            found.append(path)
            return masked
        return value
    if isinstance(value, str):
        masked = mask_personal_data(value)
        if masked != value:
            found.append(path)
        return masked
    return value


def _clean_data(event_type: str, data: dict | None) -> dict:
    # Round trip through JSON so the stored value is exactly what is hashed (lazy strings, dates,
    # decimals and UUIDs become strings, tuples become lists).
    plain = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    if not isinstance(plain, dict):
        raise TypeError("audit event data must be a dict")
    found: list[str] = []
    clean = _scrub(plain, "data", found)
    if found:
        logger.warning("audit event %s: personal data masked in %s", event_type, ", ".join(found))
    return clean


def _ip_hash(request) -> str:
    if request is None:
        return ""
    from sscard.web.client import client_address

    address = client_address(request)
    if not address:
        return ""
    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), f"audit-ip|{address}".encode(), hashlib.sha256).hexdigest()


def _actor_and_label(actor, request):
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None:
        return None, "anonymous" if request is not None else "system"
    if actor.is_staff:
        return actor, f"staff:{actor.get_username()}"[:LABEL_MAX]
    return actor, f"user:{actor.pk}"


def _lock_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends. Created if missing (an emptied
    database): from the last event, so a chain that still has events goes on where it stopped."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    last = AuditEvent.objects.order_by("-seq").first()
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=1, last_seq=last.seq if last else 0, last_hash=last.hash if last else GENESIS_HASH
            )
    except IntegrityError:
        pass  # another writer created it first
    return AuditChainHead.objects.select_for_update().get(pk=1)


def record_event(*, event_type: str, actor=None, subject_type: str = "", subject_id: str = "",
                 data: dict | None = None, request=None) -> AuditEvent:
    """Append one audit event in the caller's transaction (a rolled-back change leaves no event).

    `actor` defaults to the request's logged-in user. ID-number-like and phone-like values in `data` and
    `subject_id` are masked before they are stored. Concurrent writers are serialised on the chain head.
    """
    actor, actor_label = _actor_and_label(actor, request)
    clean = _clean_data(event_type, data)
    subject = mask_personal_data(str(subject_id or ""))
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            event_type=event_type,
            actor=actor,
            actor_label=actor_label,
            subject_type=subject_type,
            subject_id=subject,
            data=clean,
            ip_hash=_ip_hash(request),
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event
