"""The registry of SMS gateways (Open Forms pattern): each gateway module registers its class by id."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import SmsGateway


class Registry:
    def __init__(self) -> None:
        self._gateways: dict[str, type[SmsGateway]] = {}

    def __call__(self, identifier: str):
        """Class decorator: `@register("outbox")`."""

        def decorator(cls: type[SmsGateway]) -> type[SmsGateway]:
            if identifier in self._gateways:
                raise ValueError(f"SMS gateway {identifier!r} is already registered")
            cls.identifier = identifier
            self._gateways[identifier] = cls
            return cls

        return decorator

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._gateways

    def __iter__(self):
        return iter(sorted(self._gateways))

    def get(self, identifier: str) -> SmsGateway:
        try:
            return self._gateways[identifier]()
        except KeyError:
            known = ", ".join(self) or "none"
            raise ImproperlyConfigured(f"Unknown SMS gateway {identifier!r} (registered: {known})") from None


register = Registry()


def get_gateway() -> SmsGateway:
    """The gateway chosen by `settings.SMS_GATEWAY` (environment: SSCARD_SMS_GATEWAY)."""
    return register.get(settings.SMS_GATEWAY)
