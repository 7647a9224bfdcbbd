"""A short-lived cache for configuration rows (service settings, stages, holiday calendars...).

Configuration is read on every look-up, form page or deadline and changes a few times a year. A
`ConfigurationCache` keeps each value for a few seconds in each process (no round trip at all), behind the
shared cache (Redis in production, per process on the embedded default), and drops it from both when `forget`
is called (connect it to the rows' post_save / post_delete signals). Other processes see an administrator's
change within `local_seconds` (shared cache) or `shared_seconds` (embedded default). Callers must not modify
what they get.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

_caches: list[ConfigurationCache] = []


class ConfigurationCache:
    def __init__(self, keys: Iterable[str], *, shared_seconds: int = 30, local_seconds: int = 5):
        """`keys`: every shared-cache key this cache may hold (all are dropped by `forget`)."""
        self.keys = tuple(keys)
        self.shared_seconds = shared_seconds
        self.local_seconds = local_seconds
        self._local: dict[str, tuple[float, object]] = {}
        _caches.append(self)

    def get(self, key: str, load: Callable[[], T]) -> T:
        """The value under `key`: this process's copy while it is fresh, else the shared cache's, else
        `load()` (then kept in both)."""
        if key not in self.keys:
            raise KeyError(f"{key!r} is not one of this configuration cache's keys")
        now = time.monotonic()
        local = self._local.get(key)
        if local is not None and local[0] > now:
            return local[1]
        value = cache.get(key)
        if value is None:
            value = load()
            cache.set(key, value, self.shared_seconds)
        self._local[key] = (now + self.local_seconds, value)
        return value

    def forget(self, **kwargs) -> None:
        """Drop every value (usable as a signal receiver: a row was saved or deleted); again once the
        transaction commits, in case another request cached the old row in between."""

        def forget():
            self._local.clear()
            cache.delete_many(self.keys)

        forget()
        transaction.on_commit(forget)

    def reset_local(self) -> None:
        """Forget this process's copies only."""
        self._local.clear()


def reset_local_copies() -> None:
    """Forget this process's copies in every configuration cache (tests call it between tests: the database
    was rolled back and the shared cache cleared)."""
    for configuration_cache in _caches:
        configuration_cache.reset_local()
