"""The registry of identity providers: each provider module registers its class by id; the setting
IDENTITY_PROVIDER (SSCARD_IDENTITY_PROVIDER) picks one. `AccountsConfig.ready` imports the modules."""

from sscard.core.registry import Registry

from .base import IdentityProvider

register: Registry[IdentityProvider] = Registry(
    "identity provider", base=IdentityProvider, setting="IDENTITY_PROVIDER", env="SSCARD_IDENTITY_PROVIDER",
    check_id="accounts.E001",
)


def get_provider(provider_id: str | None = None) -> IdentityProvider:
    """The provider registered under `provider_id`, by default the one the setting names."""
    return register.get(provider_id) if provider_id else register.configured()
