"""Transit operators and their API tokens: create an operator, issue a token (shown once), revoke one, and
authenticate a request's token.

A token reads `sht_<token id>.<secret>`: the id (12 hex characters) finds the row, the secret (43 characters,
32 random bytes) is compared with its stored SHA-256 in constant time. The secret is random and long, so a fast
hash is enough: nobody can guess it from its hash, and a database dump alone lets nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.core.errors import DomainError

from .transit_models import TransitOperator, TransitToken

PREFIX = "sht_"
TOKEN_PATTERN = re.compile(r"sht_([0-9a-f]{12})\.([A-Za-z0-9_-]{43})")
CITY_PATTERN = re.compile(r"\d{6}")

MSG_TOKEN_MISSING = gettext_noop("Send the operator's token in the Authorization header: Bearer sht_....")
MSG_TOKEN_INVALID = gettext_noop("This token is not valid.")
MSG_TOKEN_REVOKED = gettext_noop("This token has been revoked. Ask for a new one.")
MSG_OPERATOR_INACTIVE = gettext_noop("This transit operator is not active.")
MSG_BAD_CITY = gettext_noop("A city code has 6 digits (GB/T 2260), e.g. 420100.")


class TransitAuthError(DomainError):
    """A request's token refused: `token_missing`, `token_invalid`, `token_revoked`, `operator_inactive`."""


class TransitOperatorError(DomainError):
    pass


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def create_operator(*, code: str, name: str, cities: list[str], actor=None) -> TransitOperator:
    for city in cities:
        if not CITY_PATTERN.fullmatch(city):
            raise TransitOperatorError("bad_city", MSG_BAD_CITY)
    with transaction.atomic():
        operator = TransitOperator.objects.create(code=code, name=name, cities=",".join(cities))
        record_event(event_type="transit.operator_created", actor=actor, subject_type="transit_operator",
                     subject_id=code, data={"cities": cities})
    return operator


def issue_token(*, operator: TransitOperator, label: str = "", actor=None) -> str:
    """A new token for `operator`; the returned string is the only time its secret is seen."""
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    with transaction.atomic():
        TransitToken.objects.create(operator=operator, token_id=token_id, secret_sha256=_hash(secret), label=label)
        record_event(event_type="transit.token_issued", actor=actor, subject_type="transit_operator",
                     subject_id=operator.code, data={"token_id": token_id, "label": label})
    return f"{PREFIX}{token_id}.{secret}"


def revoke_token(*, token_id: str, actor=None) -> TransitToken:
    with transaction.atomic():
        token = TransitToken.objects.select_for_update().select_related("operator").get(token_id=token_id)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_event(event_type="transit.token_revoked", actor=actor, subject_type="transit_operator",
                         subject_id=token.operator.code, data={"token_id": token_id})
    return token


_DUMMY_HASH = _hash("x" * 43)


def authenticate(authorization: str) -> TransitOperator:
    """The operator whose token is in the `Authorization` header value, or `TransitAuthError`. Whether a token
    was revoked, or its operator is inactive, is told only to whoever knows its secret."""
    scheme, _sep, value = (authorization or "").strip().partition(" ")
    match = TOKEN_PATTERN.fullmatch(value.strip()) if scheme.lower() == "bearer" else None
    if match is None:
        raise TransitAuthError("token_missing", MSG_TOKEN_MISSING)
    token_id, secret = match.groups()
    # One raw query (every hot list request is authenticated: the ORM's compilation would cost as much).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.secret_sha256, t.revoked_at, o.id, o.code, o.name, o.cities, o.active "
                       f"FROM {TransitToken._meta.db_table} t JOIN {TransitOperator._meta.db_table} o "
                       f"ON o.id = t.operator_id WHERE t.token_id = %s", [token_id])
        row = cursor.fetchone()
    ok = hmac.compare_digest(row[0] if row else _DUMMY_HASH, _hash(secret))
    if row is None or not ok:
        raise TransitAuthError("token_invalid", MSG_TOKEN_INVALID)
    _hash_, revoked_at, pk, code, name, cities, active = row
    if revoked_at is not None:
        raise TransitAuthError("token_revoked", MSG_TOKEN_REVOKED)
    if not active:
        raise TransitAuthError("operator_inactive", MSG_OPERATOR_INACTIVE)
    return TransitOperator(id=pk, code=code, name=name, cities=cities, active=bool(active))
