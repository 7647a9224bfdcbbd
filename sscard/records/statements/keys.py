"""The statement signing keys, from settings (the same handling as the e-card's keys, `sscard/cards/ecard_keys.py`,
with a key of its own: a statement lives for years, an e-card token a minute).

SSCARD_STATEMENT_KEY_FILE: the Ed25519 private key as PEM (PKCS#8); in development and tests generated once into
var/statement_key.pem (ignored, never committed). Its key id is derived from the public key
("sscard-st-" + 8 hex of its SHA-256). Rotation: a new key file signs from then on; list the old public keys in
the JWK set file SSCARD_STATEMENT_EXTRA_KEYS for as long as statements signed with them are shown (years)."""

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


def derived_kid(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "sscard-st-" + hashlib.sha256(raw).hexdigest()[:8]


def _load_private_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        path.write_bytes(pem)
        path.chmod(0o600)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


@functools.lru_cache(maxsize=4)
def _build(key_file: str, extras_file: str) -> KeyStore:
    private_key = _load_private_key(Path(key_file))
    kid = derived_kid(private_key.public_key())
    public_keys = {}
    if extras_file:
        public_keys.update(ecard.keys_from_jwks(json.loads(Path(extras_file).read_text())))
    public_keys[kid] = private_key.public_key()
    return KeyStore(kid=kid, private_key=private_key, public_keys=public_keys)


def key_store() -> KeyStore:
    return _build(str(settings.STATEMENT_KEY_FILE), settings.STATEMENT_EXTRA_KEYS_FILE)
