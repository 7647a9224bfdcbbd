"""The short-lived configuration cache: a per-process copy in front of the shared cache, both dropped when a
configuration row changes."""

import pytest
from django.core.cache import cache

from sscard.core.configcache import ConfigurationCache, reset_local_copies


@pytest.fixture
def loads():
    calls = []

    def load():
        calls.append(1)
        return {"processing_days": 30 + len(calls)}

    return calls, load


def test_a_value_is_loaded_once_then_served_from_the_process_copy(loads):
    calls, load = loads
    config = ConfigurationCache(["test:config:a"])
    assert config.get("test:config:a", load) == {"processing_days": 31}
    cache.delete("test:config:a")  # even without the shared cache, the process copy answers
    assert config.get("test:config:a", load) == {"processing_days": 31}
    assert len(calls) == 1


def test_another_process_reads_the_shared_copy(loads):
    calls, load = loads
    config = ConfigurationCache(["test:config:b"])
    config.get("test:config:b", load)
    reset_local_copies()  # as if another process, with no copy of its own, asked
    assert config.get("test:config:b", load) == {"processing_days": 31}
    assert len(calls) == 1


@pytest.mark.django_db
def test_forget_drops_the_process_copy_and_the_shared_copy(loads, django_capture_on_commit_callbacks):
    calls, load = loads
    config = ConfigurationCache(["test:config:c"])
    config.get("test:config:c", load)
    with django_capture_on_commit_callbacks(execute=True):
        config.forget()
    assert cache.get("test:config:c") is None
    assert config.get("test:config:c", load) == {"processing_days": 32}
    assert len(calls) == 2


def test_only_declared_keys_are_cached(loads):
    _calls, load = loads
    with pytest.raises(KeyError):
        ConfigurationCache(["test:config:d"]).get("test:config:other", load)
