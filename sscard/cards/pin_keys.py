"""Keyed digests of social security PINs: HMAC-SHA256 with a secret key held outside the database.

A PIN has 10^6 values: a plain or salted hash in a database dump is reversed by trying them all. Keyed with a
secret that is not in the database (setting `SSCARD_PIN_KEYS`), the dump alone reveals nothing. The message is
`sscard-pin-v1|<card number>|<pin>`, so equal PINs on two cards have different digests. Every digest is stored
with its key id: keys rotate (the current id `SSCARD_PIN_KEY_ID` digests new PINs; an older key still listed
checks the PINs made with it, which are re-digested with the current key at their next successful check).

Without configured keys (development, tests) the key is derived from SECRET_KEY under the key id
`dev-derived-from-secret-key`; `check --deploy` warns about it (cards.W020). Once keys are configured that key
only checks (and re-digests) the PINs made with it. Nothing here logs a PIN.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

DEV_KEY_ID = "dev-derived-from-secret-key"
MIN_KEY_LENGTH = 32


class UnknownPinKey(Exception):
    """A digest was made with a key that is no longer configured: the PIN cannot be checked (reset it)."""


def configured() -> bool:
    return bool(settings.PIN_KEYS)


def keys() -> dict[str, bytes]:
    """Every key a stored digest may name. The key derived from SECRET_KEY stays readable once keys are
    configured, so PINs set before are checked and re-digested with the current key, like any rotated key."""
    derived = hmac.new(settings.SECRET_KEY.encode(), b"sscard.cards.pin_keys development PIN key",
                       hashlib.sha256).digest()
    return {DEV_KEY_ID: derived, **{key_id: key.encode() for key_id, key in settings.PIN_KEYS.items()}}


def current_key_id() -> str:
    if not settings.PIN_KEYS:
        return DEV_KEY_ID
    if settings.PIN_KEY_ID:
        return settings.PIN_KEY_ID
    return next(iter(settings.PIN_KEYS))  # one key (the system check cards.E020 refuses several without an id)


def digest(*, card_number: str, pin: str, key_id: str | None = None) -> tuple[str, str]:
    """(key id, hex digest) of `pin` for the card `card_number`, with `key_id` or the current key."""
    key_id = key_id or current_key_id()
    key = keys().get(key_id)
    if key is None:
        raise UnknownPinKey(key_id)
    message = f"sscard-pin-v1|{card_number}|{pin}".encode()
    return key_id, hmac.new(key, message, hashlib.sha256).hexdigest()


def matches(*, card_number: str, pin: str, key_id: str, stored: str) -> bool:
    """Whether `pin` is the card's PIN, compared in constant time. Raises `UnknownPinKey`."""
    _key_id, candidate = digest(card_number=card_number, pin=pin, key_id=key_id)
    return hmac.compare_digest(candidate, stored)


def configuration_problems() -> list[str]:
    """What is wrong with the configured keys (for the system check cards.E020), in English."""
    problems = []
    if settings.PIN_KEYS:
        for key_id, key in settings.PIN_KEYS.items():
            if not key_id or len(key) < MIN_KEY_LENGTH:
                problems.append(f"SSCARD_PIN_KEYS: the key {key_id!r} is shorter than {MIN_KEY_LENGTH} characters.")
            if len(key_id) > 32:
                problems.append(f"SSCARD_PIN_KEYS: the key id {key_id[:40]!r} is longer than 32 characters.")
        if settings.PIN_KEY_ID and settings.PIN_KEY_ID not in settings.PIN_KEYS:
            problems.append(f"SSCARD_PIN_KEY_ID {settings.PIN_KEY_ID!r} is not a key id of SSCARD_PIN_KEYS.")
        if not settings.PIN_KEY_ID and len(settings.PIN_KEYS) > 1:
            problems.append("SSCARD_PIN_KEYS holds several keys: SSCARD_PIN_KEY_ID must name the current one.")
    elif settings.PIN_KEY_ID:
        problems.append("SSCARD_PIN_KEY_ID is set but SSCARD_PIN_KEYS is empty.")
    initial = settings.INITIAL_PIN
    if not (len(initial) == 6 and initial.isascii() and initial.isdigit()):
        problems.append("SSCARD_INITIAL_PIN must be 6 digits.")
    return problems
