from tests.casework.conftest import client, private_media, seeded  # noqa: F401 - shared fixtures
