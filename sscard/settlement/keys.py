"""Institutions' signing keys: a key id and a random secret, the secret kept encrypted (Fernet) with the server's
key (setting SETTLEMENT_KEY_SECRET, else derived from SECRET_KEY): HMAC needs the secret itself, so it cannot be
stored as a hash. Issued and revoked through these services (audited); an institution may hold two active keys
while it rotates (issue the new one, switch, revoke the old one)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sscard.audit.services import record_event

from .models import InstitutionKey

MAX_ACTIVE_KEYS = 2
_CACHE: dict[str, tuple] = {}  # key id: (fresh until, institution, secret)
_CACHE_SECONDS = 30


class KeyIssueError(Exception):
    pass


def _fernet() -> Fernet:
    configured = getattr(settings, "SETTLEMENT_KEY_SECRET", "") or ""
    raw = hashlib.sha256(b"sscard-settlement-keys:" + (configured or settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(raw))


def issue_key(*, institution, actor, request=None) -> tuple[str, str]:
    """A new key for the institution: (key id, secret). The secret is shown once, here; refused when the
    institution already has MAX_ACTIVE_KEYS active keys (revoke the old one first)."""
    with transaction.atomic():
        active = InstitutionKey.objects.select_for_update().filter(institution=institution, revoked_at__isnull=True)
        if len(active) >= MAX_ACTIVE_KEYS:
            raise KeyIssueError("too_many_keys")
        key_id = "k" + secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        InstitutionKey.objects.create(institution=institution, key_id=key_id, created_at=timezone.now(),
                                      secret_encrypted=_fernet().encrypt(secret.encode()))
        record_event(event_type="settlement.key_issued", actor=actor, request=request, subject_type="institution",
                     subject_id=institution.code, data={"key_id": key_id})
    return key_id, secret


def revoke_key(*, key_id: str, actor, request=None) -> bool:
    with transaction.atomic():
        key = InstitutionKey.objects.select_for_update().filter(key_id=key_id, revoked_at__isnull=True).first()
        if key is None:
            return False
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record_event(event_type="settlement.key_revoked", actor=actor, request=request, subject_type="institution",
                     subject_id=key.institution.code, data={"key_id": key_id})
    _CACHE.pop(key_id, None)
    return True


def key_for(key_id: str):
    """(institution, secret) of an active key, or None; the institution's row (agreement state and dates) is
    read with the key. Both are kept _CACHE_SECONDS in this process: a revocation, or a change of the
    institution's row (suspended, agreement dates), takes effect here at once (`forget`) and in other processes
    within _CACHE_SECONDS. The institution returned is shared: callers must not modify it."""
    key_id = key_id[:32]
    now = time.monotonic()
    cached = _CACHE.get(key_id)
    if cached is not None and cached[0] > now:
        return cached[1], cached[2]
    row = (InstitutionKey.objects.select_related("institution").filter(key_id=key_id, revoked_at__isnull=True)
           .first())
    if row is None:
        return None
    try:
        secret = _fernet().decrypt(bytes(row.secret_encrypted))
    except InvalidToken:  # the server's key changed: the key must be issued again
        return None
    if len(_CACHE) > 1000:
        _CACHE.clear()
    _CACHE[key_id] = (now + _CACHE_SECONDS, row.institution, secret)
    return row.institution, secret


def forget(**kwargs) -> None:
    """Drop this process's cached keys and institutions (a receiver of the institution's post_save)."""
    _CACHE.clear()
