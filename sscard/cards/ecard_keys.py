"""The e-card key store, from settings: the signing key (its kid) and the public keys terminals accept.

Rotation: put the new private key in SSCARD_ECARD_KEY_FILE (a new kid is derived from it) and list the old
public key in the JWK set of SSCARD_ECARD_EXTRA_KEYS for as long as tokens signed with it may be in use
(a token lives `ServiceSettings.ecard_token_seconds`, 60 by default, so a few minutes is enough). Both are published at
/.well-known/sscard-ecard-keys.json.
"""

from django.conf import settings

from sscard.core.signing_keys import KeyStore, build, derived_kid  # noqa: F401 (the e-card's names for them)


def key_store() -> KeyStore:
    return build(str(settings.ECARD_KEY_FILE), settings.ECARD_KID, settings.ECARD_EXTRA_KEYS_FILE)
