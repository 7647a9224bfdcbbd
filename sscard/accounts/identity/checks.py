"""System checks for the identity provider settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .registry import get_provider
from .rules import RulesProvider


@register(Tags.security)
def check_identity_provider(app_configs=None, **kwargs):
    """An unknown provider is an error; so is the `rules` provider with debug off, unless acknowledged.

    Not a deploy-only check: `migrate`, `collectstatic` and `check` (the release steps) refuse to run, so a
    production deployment cannot start on `rules` by accident. Debug (`make run`) is not production.
    """
    try:
        provider = get_provider()
    except LookupError as error:
        return [Error(str(error), hint="Set SSCARD_IDENTITY_PROVIDER to a registered provider id (register, rules).",
                      id="accounts.E001")]
    if provider.id == RulesProvider.id and not settings.DEBUG and not settings.ACCEPT_UNVERIFIED_IDENTITY:
        return [Error(
            "The identity provider 'rules' checks only the shape of an ID number, not that the name belongs to "
            "it: anyone could register a real person's ID number and block that person's account and card.",
            hint="Set SSCARD_IDENTITY_PROVIDER=register (after `manage.py import_population`) or another provider "
                 "that verifies identities; or, to run on 'rules' knowingly (counter staff resolve squatted ID "
                 "numbers), set SSCARD_ACCEPT_UNVERIFIED_IDENTITY=1.",
            id="accounts.E002",
        )]
    return []
