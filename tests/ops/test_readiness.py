"""/readyz answers 200 only when the database and the cache both answer; /healthz stays as it is."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

BROKEN_REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1


def test_ready_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_when_the_cache_is_unreachable(client):
    with override_settings(CACHES=BROKEN_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.db"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "fail"}


def test_not_ready_when_the_database_is_unreachable(client):
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("sscard.ops.views.connection", broken):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "fail", "cache": "ok"}


def test_readiness_answers_get_only(client):
    assert client.post("/readyz").status_code == 405
