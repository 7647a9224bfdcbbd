"""The registry of SMS gateways (Open Forms pattern): each gateway module registers its class by id; the setting
SMS_GATEWAY (SSCARD_SMS_GATEWAY) picks one. `NotifyConfig.ready` imports the modules."""

from sscard.core.registry import Registry

from .base import SmsGateway

register: Registry[SmsGateway] = Registry(
    "SMS gateway", base=SmsGateway, setting="SMS_GATEWAY", env="SSCARD_SMS_GATEWAY", check_id="notify.E001",
)


def get_gateway() -> SmsGateway:
    """The gateway chosen by `settings.SMS_GATEWAY` (environment: SSCARD_SMS_GATEWAY)."""
    return register.configured()
