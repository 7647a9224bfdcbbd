"""System checks for the SMS gateway settings."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register()
def check_sms_gateway(app_configs=None, **kwargs):
    from .sms.registry import get_gateway

    try:
        gateway = get_gateway()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="Set SSCARD_SMS_GATEWAY to a registered gateway id.", id="notify.E001")]
    return [
        Error(problem, hint=f"Needed by the SMS gateway {gateway.identifier!r}.", id="notify.E002")
        for problem in gateway.check_config()
    ]


@register(Tags.security, deploy=True)
def check_outbox_in_production(app_configs=None, **kwargs):
    if settings.SMS_GATEWAY == "outbox" and not settings.DEBUG:
        return [Warning(
            "SMS go to the development outbox table and reach nobody (one-time codes are stored there).",
            hint="Set SSCARD_SMS_GATEWAY=http with SSCARD_SMS_HTTP_URL and SSCARD_SMS_HTTP_TOKEN.",
            id="notify.W001",
        )]
    return []
