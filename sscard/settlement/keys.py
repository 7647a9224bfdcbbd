"""Institutions' signing keys: a key id and a random secret, the secret kept encrypted (Fernet) with the server's
key (setting SETTLEMENT_KEY_SECRET, else derived from SECRET_KEY): HMAC needs the secret itself, so it cannot be
stored as a hash. Issued and revoked through these services (audited); an institution may hold two active keys
while it rotates (issue the new one, switch, revoke the old one).

Staff issue and revoke keys on the institution's staff page (`issue_key_for_staff`, `revoke_key_for_staff`): the
permission `reference.manage_institution_agreement` (those who approve and suspend agreements), the secret shown
once on the answer to the form; the command `settlement_key` does the same from a shell. The audit events hold the
key id, never the secret."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.core.errors import DomainError
from sscard.reference.models import DesignatedInstitution

from .models import InstitutionKey

MAX_ACTIVE_KEYS = 2
MANAGE_PERMISSION = "reference.manage_institution_agreement"
MSG_NOT_ALLOWED = gettext_noop("You may not issue or revoke an institution's keys.")
MSG_TOO_MANY = gettext_noop("The institution has two active keys: revoke the old one first.")
MSG_NO_KEY = gettext_noop("This institution has no active key with this id.")
_CACHE: dict[str, tuple] = {}  # key id: (fresh until, institution, secret)
_CACHE_SECONDS = 30


class KeyIssueError(Exception):
    pass


class KeyManagementError(DomainError):
    """Staff may not, or cannot, issue or revoke this key."""


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


def revoke_key(*, key_id: str, actor, request=None, institution=None) -> bool:
    """Revoke an active key (of `institution` only, when given); False when there is no such key."""
    with transaction.atomic():
        keys = InstitutionKey.objects.select_for_update().filter(key_id=key_id, revoked_at__isnull=True)
        if institution is not None:
            keys = keys.filter(institution=institution)
        key = keys.first()
        if key is None:
            return False
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record_event(event_type="settlement.key_revoked", actor=actor, request=request, subject_type="institution",
                     subject_id=key.institution.code, data={"key_id": key_id})
    _CACHE.pop(key_id, None)
    return True


def _managed_institution(staff, institution_pk: int) -> DesignatedInstitution | None:
    if not (staff and staff.is_authenticated and staff.is_staff and staff.has_perm(MANAGE_PERMISSION)):
        raise KeyManagementError("not_allowed", MSG_NOT_ALLOWED)
    return DesignatedInstitution.objects.filter(pk=institution_pk).first()


def issue_key_for_staff(*, staff, institution_pk: int, request=None) -> tuple[DesignatedInstitution, str, str]:
    """The staff page's "Issue a key": (institution, key id, secret); None for an unknown institution is the
    caller's 404 (`KeyManagementError` "not_found")."""
    institution = _managed_institution(staff, institution_pk)
    if institution is None:
        raise KeyManagementError("not_found", MSG_NO_KEY)
    try:
        key_id, secret = issue_key(institution=institution, actor=staff, request=request)
    except KeyIssueError:
        raise KeyManagementError("too_many_keys", MSG_TOO_MANY) from None
    return institution, key_id, secret


def revoke_key_for_staff(*, staff, institution_pk: int, key_id: str, request=None) -> DesignatedInstitution:
    institution = _managed_institution(staff, institution_pk)
    if institution is None:
        raise KeyManagementError("not_found", MSG_NO_KEY)
    if not revoke_key(key_id=key_id[:32], actor=staff, request=request, institution=institution):
        raise KeyManagementError("no_key", MSG_NO_KEY)
    return institution


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
