"""A small fixed-window rate limit per client, on the Django cache (Redis in production)."""

import hashlib
import hmac
import math
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache

from sscard.web.client import client_address


def value_key(value: str) -> str:
    """A keyed hash of any value a limit is counted under (an address, a phone number): the cache never
    holds the value itself."""
    return hmac.new(settings.SECRET_KEY.encode(), f"ratelimit|{value}".encode(), hashlib.sha256).hexdigest()[:32]


def client_key(request) -> str:
    """A keyed hash of the client address: the limit never stores the address itself."""
    return value_key(client_address(request) or "unknown")


def _count_in_redis(key: str, timeout: int) -> int:
    """SET NX EX + INCR in one pipelined round trip (Django's `incr` costs two: EXISTS, then INCR)."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    full_key = cache.make_and_validate_key(key)
    client = cache._cache.get_client(full_key, write=True)  # the cache's own redis-py client and pool
    pipe = client.pipeline(transaction=False)
    pipe.set(full_key, 0, ex=timeout, nx=True)
    pipe.incr(full_key)
    return int(pipe.execute()[1])


def _count_in_cache(key: str, timeout: int) -> int:
    """Any other cache (local memory on the embedded default): add, or increment what is there."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    try:
        return cache.incr(key)
    except ValueError:  # first attempt in this window (or the key just expired)
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # another request created it in between


def _cache_key(scope: str, key: str, window: int) -> str:
    return f"rl:{scope}:{key}:{int(time.time() // window)}"


def hit_key(scope: str, key: str, limit: int, window: int = 60) -> bool:
    """Count one attempt under `key` (already a hash, see `value_key`; "site" for a site-wide limit);
    False when `limit` attempts are used up in the current window."""
    redis = isinstance(caches[DEFAULT_CACHE_ALIAS], RedisCache)
    count = (_count_in_redis if redis else _count_in_cache)(_cache_key(scope, key, window), window + 5)
    return count <= limit


def used_up(scope: str, key: str, limit: int, window: int = 60) -> bool:
    """Whether `limit` attempts under `key` are already used up in the current window, without counting one:
    for limits on failures, checked before an attempt and counted (`hit_key`) only when it fails."""
    return (caches[DEFAULT_CACHE_ALIAS].get(_cache_key(scope, key, window)) or 0) >= limit


def hit(request, scope: str, limit: int, window: int = 60) -> bool:
    """Count one attempt; False when the client has used up `limit` attempts in the current window."""
    return hit_key(scope, client_key(request), limit, window)


def retry_after(window: int = 60) -> int:
    """Whole seconds until the current window of `hit` ends and its count starts again (for `Retry-After`)."""
    return max(1, math.ceil(window - time.time() % window))
