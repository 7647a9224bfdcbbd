import contextlib
import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

REDIS_URL = "redis://127.0.0.1:6379/8"


@contextlib.contextmanager
def redis_cache_at(backend: str, what: str):
    """The default cache on Redis (REDIS_URL) with `backend`, under a key prefix of its own removed afterwards;
    the test is skipped, saying why, when no Redis answers there."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"{what} needs Redis at {REDIS_URL} ({type(error).__name__})")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}):
        yield caches["default"]
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
