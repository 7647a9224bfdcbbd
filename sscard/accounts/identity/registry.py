from django.conf import settings

from .base import IdentityProvider

_providers: dict[str, type[IdentityProvider]] = {}


def register(cls: type[IdentityProvider]) -> type[IdentityProvider]:
    _providers[cls.id] = cls
    return cls


def get_provider(provider_id: str | None = None) -> IdentityProvider:
    from . import population, rules  # noqa: F401 - importing registers the built-in providers

    key = provider_id or settings.IDENTITY_PROVIDER
    try:
        return _providers[key]()
    except KeyError:
        raise LookupError(f"unknown identity provider {key!r}; known: {sorted(_providers)}") from None
