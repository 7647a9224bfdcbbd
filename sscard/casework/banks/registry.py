"""Bank adapters by id. Which bank uses which adapter is the setting BANK_ADAPTERS ({bank code: adapter id},
environment SSCARD_BANK_ADAPTERS="icbc=file_exchange,..."); a bank not listed uses the file exchange.
`CaseworkConfig.ready` imports the adapter modules."""

from __future__ import annotations

from sscard.core.registry import Registry

from .base import BankAdapter

DEFAULT = "file_exchange"

register: Registry[BankAdapter] = Registry(
    "bank adapter", base=BankAdapter, setting="BANK_ADAPTERS", env="SSCARD_BANK_ADAPTERS",
    check_id="casework.E001", default=DEFAULT,
)


def get(identifier: str) -> BankAdapter:
    return register.get(identifier)


def adapter_for(bank) -> BankAdapter:
    """The adapter the setting names for `bank` (by its code), the file exchange where it names none."""
    return register.configured(bank.code)


def identifiers() -> list[str]:
    return list(register)
