import pytest
from django.test import override_settings

from sscard.cards.ecard_keys import key_store
from tests.casework.conftest import client, private_media, seeded  # noqa: F401 - shared fixtures


@pytest.fixture
def site_keys(tmp_path):
    """The e-card signing key of the test's own (generated into its temporary directory)."""
    with override_settings(ECARD_KEY_FILE=tmp_path / "ecard_key.pem", ECARD_KID="", ECARD_EXTRA_KEYS_FILE=""):
        yield key_store()
