"""Bank adapters by identifier. Which bank uses which adapter is the setting BANK_ADAPTERS
({bank code: adapter identifier}); a bank not listed uses the file exchange."""

from __future__ import annotations

from django.conf import settings

from .base import BankAdapter

DEFAULT = "file_exchange"
_adapters: dict[str, type[BankAdapter]] = {}


def register(cls: type[BankAdapter]) -> type[BankAdapter]:
    if not cls.identifier:
        raise ValueError("a bank adapter needs an identifier")
    _adapters[cls.identifier] = cls
    return cls


def get(identifier: str) -> BankAdapter:
    try:
        return _adapters[identifier]()
    except KeyError:
        raise LookupError(f"no bank adapter {identifier!r}; known: {sorted(_adapters)}") from None


def adapter_for(bank) -> BankAdapter:
    mapping = getattr(settings, "BANK_ADAPTERS", {}) or {}
    return get(mapping.get(bank.code, DEFAULT))


def identifiers() -> list[str]:
    return sorted(_adapters)
