"""The statement signing keys, from settings (loaded like every signer's key, `sscard/core/signing_keys.py`,
with a key of its own: a statement lives for years, an e-card token a minute).

SSCARD_STATEMENT_KEY_FILE: the Ed25519 private key as PEM (PKCS#8); in development and tests generated once into
var/statement_key.pem (ignored, never committed). Its key id is derived from the public key
("sscard-st-" + 8 hex of its SHA-256). Rotation: a new key file signs from then on; list the old public keys in
the JWK set file SSCARD_STATEMENT_EXTRA_KEYS for as long as statements signed with them are shown (years)."""

from django.conf import settings

from sscard.core.signing_keys import KeyStore, build

KID_PREFIX = "sscard-st-"


def key_store() -> KeyStore:
    return build(str(settings.STATEMENT_KEY_FILE), "", settings.STATEMENT_EXTRA_KEYS_FILE, KID_PREFIX)
