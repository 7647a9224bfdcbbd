"""Deploy check cards.W001: production without a configured e-card signing key is warned about."""

import pytest

from sscard.cards.checks import check_ecard_key_configured


@pytest.mark.parametrize("debug, configured, warned", [
    (False, False, True),   # production, key generated per server: warned
    (False, True, False),   # production, one configured key
    (True, False, False),   # development: a generated key is fine
    (True, True, False),
])
def test_production_without_a_configured_signing_key_is_warned_about(settings, debug, configured, warned):
    settings.DEBUG = debug
    settings.ECARD_KEY_FILE_CONFIGURED = configured
    ids = [w.id for w in check_ecard_key_configured()]
    assert ids == (["cards.W001"] if warned else [])
