"""Deploy check of the SMS gateway. That SSCARD_SMS_GATEWAY names a registered gateway, and that the gateway's
own settings are there, is checked with every registry by `sscard.core.checks`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_outbox_in_production(app_configs=None, **kwargs):
    if settings.SMS_GATEWAY == "outbox" and not settings.DEBUG:
        return [Warning(
            "SMS go to the development outbox table and reach nobody (one-time codes are stored there).",
            hint="Set SSCARD_SMS_GATEWAY=http with SSCARD_SMS_HTTP_URL and SSCARD_SMS_HTTP_TOKEN.",
            id="notify.W001",
        )]
    return []
