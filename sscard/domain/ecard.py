"""The electronic social security card's token: sign and verify, pure Python (no Django).

Format (see docs/formats.md, "Electronic card token"): a COSE_Sign1 (RFC 9052) carrying a CWT (RFC 8392),
signed with Ed25519 (COSE alg -8, EdDSA), the key id in the protected header, the CBOR bytes in Base45
(RFC 9285) behind the context prefix ``SSC1:``. A terminal needs only the published public keys and its clock:
``verify(token, public_keys, now)`` answers the claims or a failure with one reason code. Revocation is the
online status check (a later part); ``Reason.REVOKED`` is its code, ``check_revoked`` its hook.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import base45
import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "SSC1:"
DEFAULT_LIFETIME_S = 60
MAX_TOKEN_CHARS = 1024  # a real token is ~200 characters; anything far longer is not ours

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_EDDSA = -8

# CWT claim keys (RFC 8392) and our private claims (integer keys below -65536, as RFC 8392 § 4 allows)
CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_NBF = 5
CLAIM_IAT = 6
CLAIM_CTI = 7
CLAIM_CARD = -65537  # the card's public reference (not its number)
CLAIM_HOLDER = -65538  # the holder's name, masked (e.g. "张*"), for the person checking the card

CLAIM_NAMES = {CLAIM_ISS: "iss", CLAIM_EXP: "exp", CLAIM_NBF: "nbf", CLAIM_IAT: "iat", CLAIM_CTI: "cti",
               CLAIM_CARD: "card", CLAIM_HOLDER: "holder"}
CLAIM_KEYS = {name: key for key, name in CLAIM_NAMES.items()}


class Reason(enum.StrEnum):
    """Why a token was refused: one code per cause, stable (terminals and logs use them)."""

    UNREADABLE = "unreadable"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"  # the online status check's answer, not an offline one


@dataclass(frozen=True)
class Verified:
    kid: str
    claims: dict  # by name: iss, card, holder, iat, nbf, exp, cti (bytes as hex)

    ok = True


@dataclass(frozen=True)
class Failed:
    reason: Reason
    kid: str | None = None

    ok = False


Result = Verified | Failed


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_jwk(kid: str, key: Ed25519PublicKey) -> dict:
    """The public key as a JWK (RFC 8037: OKP, Ed25519)."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid, "x": _b64url(raw)}


def keys_from_jwks(jwks: Mapping) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 keys of a JWK set, by kid (other key types are skipped)."""
    keys = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and jwk.get("kid"):
            keys[jwk["kid"]] = public_key_from_raw(_b64url_decode(jwk["x"]))
    return keys


def make_claims(*, card: str, issuer: str, now: int, lifetime_s: int = DEFAULT_LIFETIME_S,
                holder: str | None = None, token_id: bytes | None = None) -> dict:
    """Claims by name for a token valid from ``now`` for ``lifetime_s`` seconds."""
    claims = {"iss": issuer, "card": card, "iat": now, "nbf": now, "exp": now + lifetime_s}
    if holder:
        claims["holder"] = holder
    if token_id:
        claims["cti"] = token_id
    return claims


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign(claims: Mapping, private_key: Ed25519PrivateKey, kid: str) -> str:
    """The token for ``claims`` (by name, see CLAIM_NAMES), signed with ``private_key`` under ``kid``."""
    payload = cbor2.dumps({CLAIM_KEYS[name]: value for name, value in claims.items()})
    protected = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: kid.encode()})
    signature = private_key.sign(_sig_structure(protected, payload))
    message = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    return PREFIX + base45.b45encode(message).decode("ascii")


def _decode(token: str) -> tuple[bytes, bytes, bytes, str] | None:
    """(protected, payload, signature, kid) or None when the token is not a well-formed COSE_Sign1 of ours."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or not token.startswith(PREFIX):
        return None
    try:
        message = cbor2.loads(base45.b45decode(token[len(PREFIX):].strip()))
        if isinstance(message, cbor2.CBORTag):
            if message.tag != COSE_SIGN1_TAG:
                return None
            message = message.value
        protected, _unprotected, payload, signature = message
        header = cbor2.loads(protected)
        kid = header[HEADER_KID]
        if header.get(HEADER_ALG) != ALG_EDDSA or not isinstance(payload, bytes) or len(signature) != 64:
            return None
        return protected, payload, signature, kid.decode("utf-8")
    except Exception:  # noqa: BLE001 - any malformed input (Base45, CBOR, shape) is just "unreadable"
        return None


def _claims_by_name(payload: bytes) -> dict | None:
    try:
        raw = cbor2.loads(payload)
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(raw, dict):
        return None
    claims = {CLAIM_NAMES[key]: value for key, value in raw.items() if key in CLAIM_NAMES}
    for name in ("exp", "nbf", "iat"):
        if name in claims and (not isinstance(claims[name], int) or isinstance(claims[name], bool)):
            return None
    if "exp" not in claims or not isinstance(claims.get("card"), str):
        return None
    if isinstance(claims.get("cti"), bytes):
        claims["cti"] = claims["cti"].hex()
    return claims


def verify(token: str, public_keys: Mapping[str, Ed25519PublicKey], now: int, *, leeway_s: int = 0,
           check_revoked: Callable[[dict], bool] | None = None) -> Result:
    """Verify offline: the claims (``Verified``) or why not (``Failed``), checked in this order:
    unreadable, unknown key, bad signature, not yet valid, expired, then (online only) revoked."""
    decoded = _decode(token)
    if decoded is None:
        return Failed(Reason.UNREADABLE)
    protected, payload, signature, kid = decoded
    key = public_keys.get(kid)
    if key is None:
        return Failed(Reason.UNKNOWN_KEY, kid)
    try:
        key.verify(signature, _sig_structure(protected, payload))
    except InvalidSignature:
        return Failed(Reason.BAD_SIGNATURE, kid)
    claims = _claims_by_name(payload)
    if claims is None:  # signed by us but not a token we issue: refuse rather than guess
        return Failed(Reason.UNREADABLE, kid)
    if "nbf" in claims and now + leeway_s < claims["nbf"]:
        return Failed(Reason.NOT_YET_VALID, kid)
    if now - leeway_s >= claims["exp"]:
        return Failed(Reason.EXPIRED, kid)
    if check_revoked is not None and check_revoked(claims):
        return Failed(Reason.REVOKED, kid)
    return Verified(kid, claims)
