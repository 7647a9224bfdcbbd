"""The registry of payment gateways: the setting PAYMENT_GATEWAY (SSCARD_PAYMENT_GATEWAY) picks one, "counter"
by default. `ApplicationsConfig.ready` imports the gateway modules."""

from sscard.core.registry import Registry

from .base import PaymentGateway

DEFAULT = "counter"

register: Registry[PaymentGateway] = Registry(
    "payment gateway", base=PaymentGateway, setting="PAYMENT_GATEWAY", env="SSCARD_PAYMENT_GATEWAY",
    check_id="applications.E001", default=DEFAULT,
)


def configured() -> PaymentGateway:
    """The gateway new payments go through."""
    return register.configured()


def get(identifier: str) -> PaymentGateway:
    """The gateway a payment was opened with (it stays with it, whatever the setting says later)."""
    return register.get(identifier)
