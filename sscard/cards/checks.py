"""Deploy check of the e-card signing key: without SSCARD_ECARD_KEY_FILE each server generates a key of its own
into var/, so servers behind one load balancer would sign with different keys and terminals would refuse one
server's tokens as signed by an unknown key."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_ecard_key_configured(app_configs=None, **kwargs):
    if not settings.DEBUG and not settings.ECARD_KEY_FILE_CONFIGURED:
        return [Warning(
            "No e-card signing key is configured: this server generates its own into var/ecard_key.pem.",
            hint="Set SSCARD_ECARD_KEY_FILE to the same Ed25519 private key (PEM) on every server, kept outside "
                 "the code; publish retired public keys with SSCARD_ECARD_EXTRA_KEYS while they rotate out.",
            id="cards.W001",
        )]
    return []


# PIN keys (sscard.cards.pin_keys): ids 020-029, to keep clear of the other checks of this app.
@register(Tags.security, deploy=True)
def check_pin_key_configured(app_configs=None, **kwargs):
    from . import pin_keys

    if not settings.DEBUG and not pin_keys.configured():
        return [Warning(
            "No PIN key is configured: PIN digests are keyed with a key derived from SECRET_KEY.",
            hint="Set SSCARD_PIN_KEYS (key id=key, 32 characters or more, kept outside the database and the code) "
                 "and SSCARD_PIN_KEY_ID; see docs/deploy.md, \"PIN keys\".",
            id="cards.W020",
        )]
    return []


@register(Tags.security)
def check_pin_keys_valid(app_configs=None, **kwargs):
    from . import pin_keys

    return [Error(problem, id="cards.E020") for problem in pin_keys.configuration_problems()]
@register(Tags.security, deploy=True)
def check_hotlist_key_configured(app_configs=None, **kwargs):
    """As cards.W001, for the transit hot list's own signing key."""
    if not settings.DEBUG and not settings.HOTLIST_KEY_FILE_CONFIGURED:
        return [Warning(
            "No hot list signing key is configured: this server generates its own into var/hotlist_key.pem.",
            hint="Set SSCARD_HOTLIST_KEY_FILE to the same Ed25519 private key (PEM) on every server, kept outside "
                 "the code; publish retired public keys with SSCARD_HOTLIST_EXTRA_KEYS while they rotate out.",
            id="cards.W002",
        )]
    return []
