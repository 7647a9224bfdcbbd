"""The rate limiter on Redis: one pipelined round trip on its own redis-py client, never through the cache
backend's private client (`RedisCache._cache`), and counted under the cache's own key."""

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from sscard.core import ratelimit

from .conftest import REDIS_URL, redis_cache_at


@pytest.fixture
def redis_cache():
    with redis_cache_at("django.core.cache.backends.redis.RedisCache", "the rate limiter's Redis path") as cache:
        yield cache


def test_counting_on_redis_does_not_use_the_cache_backends_private_client(redis_cache, monkeypatch):
    def private(self):
        raise AssertionError("the rate limiter reached into RedisCache._cache")

    with monkeypatch.context() as patch:
        patch.setattr(RedisCache, "_cache", property(private))
        assert [ratelimit.hit_key("test", "k1", 3, window=600) for _ in range(4)] == [True, True, True, False]
    # the count is under the cache's own key, so the cache's public API reads it
    assert ratelimit.used_up("test", "k1", 4, window=600) is True
    assert ratelimit.used_up("test", "k2", 1, window=600) is False


def test_the_counter_expires_with_its_window(redis_cache):
    ratelimit.hit_key("test", "k3", 5, window=60)
    full_key = redis_cache.make_and_validate_key(ratelimit._cache_key("test", "k3", 60))
    ttl = redis.Redis.from_url(REDIS_URL).ttl(full_key)
    assert 0 < ttl <= 65


def test_a_nonce_and_its_count_go_in_one_round_trip_and_the_count_is_hit_keys(redis_cache):
    """A signed API's nonce is new once; the attempts are counted under the same key as `hit_key`, with the
    window's expiry."""
    answers = [ratelimit.first_use_and_hit("nonce-n1", 60, "test", "k4", 2, window=60) for _ in range(3)]
    assert answers == [(True, True), (False, True), (False, False)]
    assert ratelimit.used_up("test", "k4", 3, window=60) is True
    full_key = redis_cache.make_and_validate_key(ratelimit._cache_key("test", "k4", 60))
    assert 0 < redis.Redis.from_url(REDIS_URL).ttl(full_key) <= 65
