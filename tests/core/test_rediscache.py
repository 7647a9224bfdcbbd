"""The project's Redis cache backend (sscard/core/rediscache.py): Django's, with one client per pool."""

import pytest

from .conftest import redis_cache_at


@pytest.fixture
def cache():
    with redis_cache_at("sscard.core.rediscache.RedisCache", "the Redis cache backend") as cache:
        yield cache


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
