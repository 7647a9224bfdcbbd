"""The signature of every settlement API request (`/api/settlement/v1`), in pure Python.

The bank API's scheme (`bank_events`: HMAC-SHA256, `sha256=<hex>`, a 5-minute window, the signature checked
before the time) extended to what a settlement request needs: the method and path are signed too (a signed
pre-settlement cannot be replayed as a settlement) and every request carries a fresh nonce (a signed request
cannot be sent twice, even within the window).

    string to sign = METHOD "\n" path "\n" hex(SHA-256(body)) "\n" timestamp "\n" nonce
    signature      = "sha256=" + hex(HMAC-SHA256(secret, string to sign))

Headers: `X-Sscard-Institution` (the institution code), `X-Sscard-Key-Id`, `X-Sscard-Timestamp` (Unix seconds),
`X-Sscard-Nonce` (16 to 64 characters of [A-Za-z0-9_-], never used twice), `X-Sscard-Signature`.
"""

from __future__ import annotations

import hashlib
import hmac
import re

HEADER_INSTITUTION = "X-Sscard-Institution"
HEADER_KEY_ID = "X-Sscard-Key-Id"
HEADER_TIMESTAMP = "X-Sscard-Timestamp"
HEADER_NONCE = "X-Sscard-Nonce"
HEADER_SIGNATURE = "X-Sscard-Signature"
SIGNATURE_PREFIX = "sha256="
TIMESTAMP_WINDOW_S = 300  # older or newer than this: stale
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def string_to_sign(method: str, path: str, body: bytes, timestamp: int | str, nonce: str) -> bytes:
    return "\n".join((method.upper(), path, hashlib.sha256(body).hexdigest(), str(int(timestamp)), nonce)).encode()


def sign(secret: bytes, method: str, path: str, body: bytes, timestamp: int | str, nonce: str) -> str:
    """The signature header's value."""
    digest = hmac.new(secret, string_to_sign(method, path, body, timestamp, nonce), hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signed_headers(*, institution: str, key_id: str, secret: bytes, method: str, path: str, body: bytes,
                   timestamp: int, nonce: str) -> dict[str, str]:
    return {HEADER_INSTITUTION: institution, HEADER_KEY_ID: key_id, HEADER_TIMESTAMP: str(int(timestamp)),
            HEADER_NONCE: nonce, HEADER_SIGNATURE: sign(secret, method, path, body, timestamp, nonce)}


class SignatureError(Exception):
    """`code`: `bad_signature` (missing, malformed or wrong) or `stale_timestamp`."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def well_formed(timestamp: str | None, nonce: str | None, signature: str | None) -> bool:
    return bool(timestamp and timestamp.isdigit() and len(timestamp) <= 12 and nonce and NONCE_RE.match(nonce)
                and signature and signature.startswith(SIGNATURE_PREFIX))


def verify(*, secrets: list[bytes], method: str, path: str, body: bytes, timestamp: str | None,
           nonce: str | None, signature: str | None, now: float) -> None:
    """Raise `SignatureError` unless `signature` was made with one of `secrets` (two during a key rotation) and
    `timestamp` is within the window of `now`. The signature is checked first (constant time), so only a holder
    of the secret learns that a request was stale."""
    if not well_formed(timestamp, nonce, signature):
        raise SignatureError("bad_signature")
    supplied = signature.strip().lower()
    if not any(hmac.compare_digest(sign(secret, method, path, body, timestamp, nonce), supplied)
               for secret in secrets):
        raise SignatureError("bad_signature")
    if abs(now - int(timestamp)) > TIMESTAMP_WINDOW_S:
        raise SignatureError("stale_timestamp")
