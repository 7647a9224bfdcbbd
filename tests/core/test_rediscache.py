"""The project's Redis cache backend (sscard/core/rediscache.py): Django's, with one client per pool."""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

REDIS_URL = "redis://127.0.0.1:6379/8"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"the Redis cache backend needs Redis at {REDIS_URL} ({type(error).__name__})")
    prefix = f"test-rc-{uuid.uuid4().hex[:8]}"
    with override_settings(CACHES={"default": {"BACKEND": "sscard.core.rediscache.RedisCache",
                                               "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}):
        yield caches["default"]
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def test_the_cache_keeps_one_client_and_answers_as_djangos(cache):
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is first
    cache.set("k", {"v": [1, "二"]}, 60)
    assert cache.get("k") == {"v": [1, "二"]}
    assert cache.add("k", "other", 60) is False
    assert cache.add("n", 1, 60) is True
    assert cache.incr("n") == 2
    assert cache.get("n") == 2
    cache.delete("k")
    assert cache.get("k", "gone") == "gone"
    assert cache._cache.get_client() is first


def test_the_production_settings_use_it_with_redis():
    from django.conf import settings

    if not settings.REDIS_URL:
        pytest.skip("SSCARD_REDIS_URL is not set: the cache is Django's local-memory cache")
    assert settings.CACHES["default"]["BACKEND"] == "sscard.core.rediscache.RedisCache"
