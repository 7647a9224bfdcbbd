"""A small fixed-window rate limit per client, on the Django cache (Redis in production)."""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from sscard.web.client import client_address


def client_key(request) -> str:
    """A keyed hash of the client address: the limit never stores the address itself."""
    address = client_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), f"ratelimit|{address}".encode(), hashlib.sha256).hexdigest()[:32]


def hit(request, scope: str, limit: int, window: int = 60) -> bool:
    """Count one attempt; False when the client has used up `limit` attempts in the current window.

    One cache round trip for a client already counted in this window (INCR), two for its first attempt.
    """
    bucket = int(time.time() // window)
    key = f"rl:{scope}:{client_key(request)}:{bucket}"
    try:
        count = cache.incr(key)
    except ValueError:  # first attempt in this window (or the key just expired)
        if cache.add(key, 1, timeout=window + 5):
            count = 1
        else:  # another request created it in between
            count = cache.incr(key)
    return count <= limit
