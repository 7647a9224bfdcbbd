"""Ed25519 signing keys from settings: the one way every signer of the service loads its key (e-card tokens,
`cards/ecard_keys.py`; the hot list, `cards/hotlist.py`; yearly statements, `records/statements/keys.py`).

Each signer has its own key file (an Ed25519 private key as PEM, PKCS#8) and may list old public keys in a JWK set
file for as long as what they signed is still shown. In development and tests a missing key file is generated once
(the files live in var/, ignored, never committed). The key id is given in settings or derived from the public key:
the signer's prefix and 8 hex digits of the key's SHA-256."""

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

from sscard.domain import ecard


@dataclass(frozen=True)
class KeyStore:
    kid: str
    private_key: Ed25519PrivateKey
    public_keys: dict[str, Ed25519PublicKey]

    def jwks(self) -> dict:
        return {"keys": [ecard.public_jwk(kid, key) for kid, key in self.public_keys.items()]}


def derived_kid(public_key: Ed25519PublicKey, prefix: str = "sscard-") -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return prefix + hashlib.sha256(raw).hexdigest()[:8]


def load_private_key(path: Path) -> Ed25519PrivateKey:
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


@functools.lru_cache(maxsize=8)
def build(key_file: str, kid: str, extras_file: str, prefix: str = "sscard-") -> KeyStore:
    """The key store of one signer: its private key, its kid (given, or derived with `prefix`) and the public keys
    a verifier accepts (the extras' and its own)."""
    private_key = load_private_key(Path(key_file))
    kid = kid or derived_kid(private_key.public_key(), prefix)
    public_keys = {}
    if extras_file:
        public_keys.update(ecard.keys_from_jwks(json.loads(Path(extras_file).read_text())))
    public_keys[kid] = private_key.public_key()
    return KeyStore(kid=kid, private_key=private_key, public_keys=public_keys)
