import pytest


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(username="c-notify-1", password="x" * 12, real_name="张三",
                                                 id_number="360426199101010071", phone="13812341234")


@pytest.fixture
def other_citizen(django_user_model):
    return django_user_model.objects.create_user(username="c-notify-2", password="x" * 12, real_name="李四",
                                                 id_number="120103198806018241", phone="13912345678")


@pytest.fixture
def en_client(client):
    """A browser asking for English pages (the source language), so assertions read plainly."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def citizen_client(en_client, citizen):
    en_client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    return en_client


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "worker: starts a real Celery worker against Redis and PostgreSQL "
                   "(skipped with a printed reason unless SSCARD_CELERY_WORKER_TEST=1, as in CI)")
