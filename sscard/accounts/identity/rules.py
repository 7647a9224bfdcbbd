from django.conf import settings
from django.core.checks import Error

from .base import IdentityClaim, IdentityProvider
from .registry import register


@register("rules")
class RulesProvider(IdentityProvider):
    """Default: the ID number rules (checked before any provider runs) are the whole verification."""

    def verify(self, claim: IdentityClaim) -> None:
        return None

    def checks(self) -> list:
        """With debug off, `rules` is refused unless acknowledged (SSCARD_ACCEPT_UNVERIFIED_IDENTITY=1).

        Not a deploy-only check: `migrate`, `collectstatic` and `check` (the release steps) refuse to run, so a
        production deployment cannot start on `rules` by accident. Debug (`make run`) is not production.
        """
        if settings.DEBUG or settings.ACCEPT_UNVERIFIED_IDENTITY:
            return []
        return [Error(
            "The identity provider 'rules' checks only the shape of an ID number, not that the name belongs to "
            "it: anyone could register a real person's ID number and block that person's account and card.",
            hint="Set SSCARD_IDENTITY_PROVIDER=register (after `manage.py import_population`) or another provider "
                 "that verifies identities; or, to run on 'rules' knowingly (counter staff resolve squatted ID "
                 "numbers), set SSCARD_ACCEPT_UNVERIFIED_IDENTITY=1.",
            id="accounts.E002",
        )]
