"""The e-card key store, from settings: the signing key (its kid) and the public keys terminals accept.

Rotation: put the new private key in SSCARD_ECARD_KEY_FILE (a new kid is derived from it) and list the old
public key in the JWK set of SSCARD_ECARD_EXTRA_KEYS for as long as tokens signed with it may be in use
(a token lives `ServiceSettings.ecard_token_seconds`, 60 by default, so a few minutes is enough). Both are published at
/.well-known/sscard-ecard-keys.json.
"""

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)
from django.conf import settings

from sscard.domain import ecard


@dataclass(frozen=True)
class KeyStore:
    kid: str
    private_key: Ed25519PrivateKey
    public_keys: dict[str, Ed25519PublicKey]

    def jwks(self) -> dict:
        return {"keys": [ecard.public_jwk(kid, key) for kid, key in self.public_keys.items()]}


def derived_kid(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "sscard-" + hashlib.sha256(raw).hexdigest()[:8]


def _load_private_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        # Development and tests only: a key generated once into an ignored file (never committed).
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        path.write_bytes(pem)
        path.chmod(0o600)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


@functools.lru_cache(maxsize=4)
def _build(key_file: str, kid: str, extras_file: str) -> KeyStore:
    private_key = _load_private_key(Path(key_file))
    kid = kid or derived_kid(private_key.public_key())
    public_keys = {}
    if extras_file:
        public_keys.update(ecard.keys_from_jwks(json.loads(Path(extras_file).read_text())))
    public_keys[kid] = private_key.public_key()
    return KeyStore(kid=kid, private_key=private_key, public_keys=public_keys)


def key_store() -> KeyStore:
    return _build(str(settings.ECARD_KEY_FILE), settings.ECARD_KID, settings.ECARD_EXTRA_KEYS_FILE)
