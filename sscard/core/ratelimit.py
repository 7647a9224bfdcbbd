"""A small fixed-window rate limit per client, on the Django cache (Redis in production).

On Redis the counter is one pipelined round trip through this module's own redis-py client (one pool per
process, from the cache's URL), not through the cache backend's private client."""

import hashlib
import hmac
import math
import re
import time

import redis
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache

from sscard.core.client import client_address


def value_key(value: str) -> str:
    """A keyed hash of any value a limit is counted under (an address, a phone number): the cache never
    holds the value itself."""
    return hmac.new(settings.SECRET_KEY.encode(), f"ratelimit|{value}".encode(), hashlib.sha256).hexdigest()[:32]


def client_key(request) -> str:
    """A keyed hash of the client address: the limit never stores the address itself."""
    return value_key(client_address(request) or "unknown")


_redis_clients: dict[str, redis.Redis] = {}


def _redis_client(url: str) -> redis.Redis:
    """A redis-py client for `url`, one connection pool per process (created on first use)."""
    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(url)
    return client


def _redis_url() -> str:
    """The Redis URL of the default cache (the counters live beside the cache's own keys), or ""."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):
        return ""
    location = settings.CACHES[DEFAULT_CACHE_ALIAS]["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else re.split("[;,]", location)[0].strip()


# INCR, and the window's expiry set by the first count: one command, atomic (a script runs whole in Redis).
_COUNT_SCRIPT = ("local n = redis.call('INCR', KEYS[1]) "
                 "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n")
# SET NX EX of a key remembered once, and the count above: one command (a pipeline of the two cost 115 us of
# redis-py CPU a call against 93, on every signed API request).
_ONCE_AND_COUNT_SCRIPT = ("local added = redis.call('SET', KEYS[1], 1, 'EX', ARGV[1], 'NX') "
                          "local n = redis.call('INCR', KEYS[2]) "
                          "if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end "
                          "if added then return {1, n} end return {0, n}")
_count_scripts: dict[tuple[str, str], object] = {}


def _count_in_redis(url: str, key: str, timeout: int) -> int:
    """One round trip, one command (a registered script, EVALSHA): Django's `incr` costs two (EXISTS, then
    INCR), a pipeline of SET NX EX and INCR cost more to build and parse on every public request. The key is
    the cache's own full key (our keys are plain ASCII: no validation needed), so `cache.get` reads the count
    (`used_up`)."""
    return int(_script(url, _COUNT_SCRIPT)(keys=[caches[DEFAULT_CACHE_ALIAS].make_key(key)], args=[timeout]))


def _script(url: str, source: str):
    """A registered script (EVALSHA, loaded again by redis-py if the server lost it), one per URL and source."""
    script = _count_scripts.get((url, source))
    if script is None:
        script = _count_scripts[(url, source)] = _redis_client(url).register_script(source)
    return script


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
    full_key, timeout = _cache_key(scope, key, window), window + 5
    url = _redis_url()
    count = _count_in_redis(url, full_key, timeout) if url else _count_in_cache(full_key, timeout)
    return count <= limit


def first_use_and_hit(once_key: str, once_seconds: int, scope: str, key: str, limit: int,
                      window: int = 60) -> tuple[bool, bool]:
    """(whether `once_key` is new: it is remembered `once_seconds`, like `cache.add`; whether this attempt is within
    `limit` under `key`, counted as `hit_key`). On Redis one round trip for both (a signed API's nonce
    and its per-client limit: one script, `_ONCE_AND_COUNT_SCRIPT`); elsewhere the cache's add, then `hit_key`."""
    full_key, timeout = _cache_key(scope, key, window), window + 5
    url = _redis_url()
    if not url:
        return caches[DEFAULT_CACHE_ALIAS].add(once_key, 1, timeout=once_seconds), hit_key(scope, key, limit, window)
    cache = caches[DEFAULT_CACHE_ALIAS]
    added, count = _script(url, _ONCE_AND_COUNT_SCRIPT)(
        keys=[cache.make_and_validate_key(once_key), cache.make_key(full_key)], args=[once_seconds, timeout])
    return bool(added), int(count) <= limit


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
