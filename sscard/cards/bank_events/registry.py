"""Card-event bank adapters by id. Which bank uses which adapter is the setting BANK_EVENT_ADAPTERS ({bank code:
adapter id}, environment SSCARD_BANK_EVENT_ADAPTERS="icbc=http,boc=file_exchange"); a bank not listed uses the
file exchange. `CardsConfig.ready` imports the adapter modules; the system check cards.E010 refuses an unknown
id."""

from __future__ import annotations

from django.conf import settings

from sscard.core.registry import Registry

from .base import BankEventAdapter

DEFAULT = "file_exchange"

register: Registry[BankEventAdapter] = Registry(
    "card-event bank adapter", base=BankEventAdapter, setting="BANK_EVENT_ADAPTERS",
    env="SSCARD_BANK_EVENT_ADAPTERS", check_id="cards.E010", default=DEFAULT,
)


def get(identifier: str) -> BankEventAdapter:
    return register.get(identifier)


def adapter_for(bank) -> BankEventAdapter:
    """The adapter the setting names for `bank` (by its code), the file exchange where it names none."""
    return register.configured(bank.code)


def pushing_ids() -> list[str]:
    """The ids of the adapters whose events the task pushes (the sweeper's filter)."""
    return [identifier for identifier in register if register.plugin_class(identifier).pushes]


def secret_for(bank_code: str) -> bytes | None:
    """The bank's shared HMAC secret (BANK_EVENT_SECRETS, environment SSCARD_BANK_EVENT_SECRETS), or None."""
    secret = (getattr(settings, "BANK_EVENT_SECRETS", {}) or {}).get(bank_code)
    return secret.encode() if secret else None


def url_for(bank_code: str) -> str:
    return (getattr(settings, "BANK_EVENT_URLS", {}) or {}).get(bank_code, "").rstrip("/")
