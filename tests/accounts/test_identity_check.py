"""System check accounts.E002: production (debug off) refuses the `rules` identity provider unless acknowledged.

Under `rules` anyone could register a real person's ID number with any name (issue 9), so a deployment must
choose it knowingly. `migrate`, `collectstatic` and `check` (the release steps) run this check.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sscard.accounts.identity.registry import register as identity_providers

# The identity provider's part of the plugin-setting check (sscard.core.checks), E002 from the `rules` provider.
check_identity_provider = identity_providers.check

# (debug, provider, acknowledged) -> the check ids expected, written by hand.
CASES = [
    (False, "rules", False, ["accounts.E002"]),   # production on rules, not acknowledged: refused
    (False, "rules", True, []),                   # acknowledged with SSCARD_ACCEPT_UNVERIFIED_IDENTITY=1
    (True, "rules", False, []),                   # debug (make run) is not production
    (False, "register", False, []),               # the population register verifies names
    (False, "pigeon", True, ["accounts.E001"]),   # an unknown provider is always an error
    (True, "pigeon", False, ["accounts.E001"]),
]


@pytest.mark.parametrize(("debug", "provider", "acknowledged", "expected"), CASES)
def test_identity_provider_check(settings, debug, provider, acknowledged, expected):
    settings.DEBUG = debug
    settings.IDENTITY_PROVIDER = provider
    settings.ACCEPT_UNVERIFIED_IDENTITY = acknowledged
    assert [error.id for error in check_identity_provider()] == expected


def test_the_refusal_names_the_risk_and_the_way_out(settings):
    settings.DEBUG, settings.IDENTITY_PROVIDER, settings.ACCEPT_UNVERIFIED_IDENTITY = False, "rules", False
    [error] = check_identity_provider()
    assert error.is_serious()
    assert "anyone could register a real person's ID number" in error.msg
    assert "SSCARD_IDENTITY_PROVIDER=register" in error.hint
    assert "SSCARD_ACCEPT_UNVERIFIED_IDENTITY=1" in error.hint


def test_manage_check_stops_a_production_start_on_rules(settings):
    settings.DEBUG, settings.IDENTITY_PROVIDER, settings.ACCEPT_UNVERIFIED_IDENTITY = False, "rules", False
    with pytest.raises(SystemCheckError, match="accounts.E002"):
        call_command("check")
    settings.ACCEPT_UNVERIFIED_IDENTITY = True
    call_command("check")  # acknowledged: the release steps run


def test_the_test_settings_acknowledge_rules_explicitly(settings):
    # pyproject's pytest env sets SSCARD_ACCEPT_UNVERIFIED_IDENTITY=1: the suite runs in production settings
    # (debug off) on the default provider, and says so.
    assert settings.DEBUG is False
    assert settings.IDENTITY_PROVIDER == "rules"
    assert settings.ACCEPT_UNVERIFIED_IDENTITY is True
    assert check_identity_provider() == []
