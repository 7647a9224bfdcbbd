"""Card events exchanged with the banks (issue 12, "Banks and transit operators"): which state changes the bank
is told about, the signature of every HTTP message in either direction, the retry schedule of the outbox and
the comparison of freeze states. Pure Python (no Django); the format is in docs/formats.md, "Bank card events",
with test vectors in docs/vectors/bank_events.json.

Signature: `HMAC-SHA256(secret, timestamp + "." + body)` as lower-case hex, where `timestamp` is the Unix time
in whole seconds as decimal ASCII and `body` the exact bytes of the request body. Sent in the headers
`X-Sscard-Bank` (the bank's code), `X-Sscard-Timestamp` and `X-Sscard-Signature` (`sha256=<hex>`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from .cardstates import LOST, CardState

HEADER_BANK = "X-Sscard-Bank"
HEADER_TIMESTAMP = "X-Sscard-Timestamp"
HEADER_SIGNATURE = "X-Sscard-Signature"
SIGNATURE_PREFIX = "sha256="
# A signed message older or newer than this (seconds) is refused as stale.
TIMESTAMP_WINDOW_S = 300

# Retry schedule of an undelivered event: 1 min, 2, 4, ... at most 1 h apart.
BACKOFF_BASE_S = 60
BACKOFF_MAX_S = 3600


class Kind:
    """What the bank is told (outgoing) or tells us (incoming)."""

    LOSS = "loss"  # the card was reported lost (temporarily): freeze it
    LOSS_WITHDRAWN = "loss_withdrawn"  # the loss report was withdrawn or lapsed: unfreeze it
    FORMAL_LOSS = "formal_loss"  # formally reported lost: it stays frozen
    REPLACED = "replaced"  # the card is void, a replacement was issued
    CANCELLED = "cancelled"  # the card is void


OUTGOING_KINDS = (Kind.LOSS, Kind.LOSS_WITHDRAWN, Kind.FORMAL_LOSS, Kind.REPLACED, Kind.CANCELLED)
INCOMING_KINDS = (Kind.LOSS, Kind.LOSS_WITHDRAWN)


def outgoing_kind(from_state: str, to_state: str, channel: str) -> str | None:
    """The event the card's bank is told about for this state change, or None (nothing for the bank: enabling,
    expiry, or a change the bank itself reported, which is never echoed back to it)."""
    if channel == "bank":
        return None
    if to_state == CardState.TEMPORARILY_LOST:
        return Kind.LOSS
    if to_state == CardState.ACTIVE and from_state == CardState.TEMPORARILY_LOST:
        return Kind.LOSS_WITHDRAWN
    if to_state == CardState.FORMALLY_LOST:
        return Kind.FORMAL_LOSS
    if to_state == CardState.REPLACED:
        return Kind.REPLACED
    if to_state == CardState.CANCELLED:
        return Kind.CANCELLED
    return None


def incoming_target(kind: str) -> str | None:
    """The state an incoming event from the bank moves the card to (None: not an event a bank sends)."""
    return {Kind.LOSS: CardState.TEMPORARILY_LOST.value, Kind.LOSS_WITHDRAWN: CardState.ACTIVE.value}.get(kind)


def backoff_seconds(attempts: int) -> int:
    """The wait after `attempts` failed deliveries: 60, 120, 240, ... capped at 3600."""
    return min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1))


def sign(secret: bytes, timestamp: int | str, body: bytes) -> str:
    """The signature (lower-case hex) of `body` sent at `timestamp` with the bank's `secret`."""
    message = str(int(timestamp)).encode("ascii") + b"." + body
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_headers(*, bank_code: str, secret: bytes, timestamp: int, body: bytes) -> dict[str, str]:
    return {HEADER_BANK: bank_code, HEADER_TIMESTAMP: str(int(timestamp)),
            HEADER_SIGNATURE: SIGNATURE_PREFIX + sign(secret, timestamp, body), "Content-Type": "application/json"}


class SignatureError(Exception):
    """`code`: bad_signature (missing, malformed or wrong) or stale_timestamp."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def verify(*, secret: bytes, timestamp: str | None, signature: str | None, body: bytes, now: float) -> None:
    """Raise `SignatureError` unless `signature` is `sha256=<hex>` of `body` at `timestamp` and `timestamp` is
    within TIMESTAMP_WINDOW_S of `now`. The signature is checked first (in constant time), so a stale answer
    is given only to a sender holding the secret."""
    if not timestamp or not timestamp.isdigit() or len(timestamp) > 12 or not signature:
        raise SignatureError("bad_signature")
    if not signature.startswith(SIGNATURE_PREFIX):
        raise SignatureError("bad_signature")
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected, signature[len(SIGNATURE_PREFIX):].strip().lower()):
        raise SignatureError("bad_signature")
    if abs(now - int(timestamp)) > TIMESTAMP_WINDOW_S:
        raise SignatureError("stale_timestamp")


@dataclass(frozen=True)
class Differences:
    frozen_only_at_bank: list[str]  # frozen at the bank, not lost here
    lost_only_here: list[str]  # lost here, not frozen at the bank
    unknown: list[str]  # on the bank's list but not a card of this bank here


def compare_freezes(*, frozen_at_bank: set[str], lost_here: set[str], known_here: set[str]) -> Differences:
    """The two kinds of difference between the bank's frozen cards and ours in a lost state (card numbers,
    sorted), and the numbers on the bank's list that are no card of this bank here."""
    return Differences(
        frozen_only_at_bank=sorted((frozen_at_bank & known_here) - lost_here),
        lost_only_here=sorted(lost_here - frozen_at_bank),
        unknown=sorted(frozen_at_bank - known_here),
    )


FROZEN_STATES = frozenset(LOST)
