"""Fixtures every test shares. Browser-specific machinery lives in tests/browser/conftest.py."""

import faulthandler
import os
import sys
import threading

import pytest
from django.core.cache import cache
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

# The machines are shared and noisy: a property test is judged by its answers, never by its speed (Hypothesis'
# default deadline of 200 ms per example fails at random under load).
hypothesis_settings.register_profile("sscard", deadline=None)
hypothesis_settings.load_profile("sscard")


def pytest_configure(config):
    # WhiteNoise warns once per middleware set-up that STATIC_ROOT (filled by collectstatic) is missing:
    # tests serve static files from the apps' folders instead.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


# A test still running after this many seconds aborts the whole run with every thread's traceback, so that
# CI fails with a clue instead of hanging for ever (a browser wait that never ends, a lock never released).
TEST_TIMEOUT = int(os.environ.get("SSCARD_TEST_TIMEOUT", "600"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if TEST_TIMEOUT <= 0:
        yield
        return

    def abort():
        capture = item.config.pluginmanager.getplugin("capturemanager")
        if capture is not None:
            capture.suspend_global_capture(in_=True)
        sys.stderr.write(f"\n*** {item.nodeid} still running after {TEST_TIMEOUT}s (SSCARD_TEST_TIMEOUT): "
                         "aborting the test run; the threads' tracebacks follow ***\n")
        sys.stderr.flush()
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        os._exit(3)

    watchdog = threading.Timer(TEST_TIMEOUT, abort)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield
    finally:
        watchdog.cancel()


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_manifest(django_test_environment):
    """Serve static files from the apps' folders, as in development.

    With debug off (as in tests) the settings pick WhiteNoise's manifest storage, whose manifest only
    exists after `collectstatic` (a deployment step). Tests do not run collectstatic, so without this every
    `{% static %}` would fail.
    """
    from django.conf import settings

    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start and end every test with an empty cache: rate-limit counters, cached sessions and the cached
    configuration live there (and in each process's short-lived copy of the configuration)."""
    from sscard.core.configcache import reset_local_copies

    cache.clear()
    reset_local_copies()
    yield
    cache.clear()
    reset_local_copies()


@pytest.fixture(autouse=True)
def _default_language():
    """Start and end every test in the default language: a request through LocaleMiddleware leaves its
    language active in the thread, and translated reference data (modeltranslation) reads that language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def pytest_collection_modifyitems(config, items):
    """Transactional tests (live server, threads) empty every table when they end, which would also wipe the
    data the migrations seed (stages, banks, outlets, holidays, staff roles). Restore it after each of them
    (pytest-django's serialized rollback), so no test depends on which tests ran before it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))
        if transactional and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


# --- The audit chain stays verifiable -------------------------------------------------------------------
# After every test that used the database and passed, `manage.py audit_verify` must pass on what the test
# left behind (before the test's rollback or flush): no code path may write an audit or access event that
# breaks the hash chain or a seal. Tests that tamper with audit rows on purpose use `without_db_guard` or
# the `breaks_audit_chain` marker.
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_serialized_rollback"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.sscard_call_passed = report.passed


@pytest.fixture(autouse=True)
def _audit_verify_after_test(request):
    uses_db = request.node.get_closest_marker("django_db") is not None or DB_FIXTURES & set(request.fixturenames)
    on_purpose = "without_db_guard" in request.fixturenames or request.node.get_closest_marker("breaks_audit_chain")
    if not uses_db or on_purpose:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so this check runs before its rollback
    yield
    if not getattr(request.node, "sscard_call_passed", False):
        return
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit:
        pytest.fail(f"audit_verify fails after this test: {err.getvalue().strip()}", pytrace=False)
