"""Operational endpoints: readiness, metrics, and the benchmark ceiling."""

import hmac
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import metrics

log = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"sscard:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to take traffic: the database and the cache (sessions, rate limits) answer.

    The Celery broker is deliberately not checked: a message that cannot be queued waits in the outbox,
    so a broker outage must not take the site out of the load balancer.
    """
    checks = {}
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            log.warning("readiness check %s failed: %s", name, type(error).__name__)
            checks[name] = "fail"
        else:
            checks[name] = "ok"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition, only with `Authorization: Bearer <SSCARD_METRICS_TOKEN>`.

    Fails closed: without a configured token the metrics are served only with debug on (`make run`); in
    production the URL answers 404, as if it did not exist, until a token is set.
    """
    token = settings.METRICS_TOKEN
    if not token and not settings.DEBUG:
        raise Http404
    if token:
        header = request.headers.get("Authorization", "")
        supplied = header[7:] if header.startswith("Bearer ") else ""
        if not hmac.compare_digest(supplied.encode(), token.encode()):
            response = HttpResponse("metrics token required\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return HttpResponse(metrics.render(), content_type="text/plain; version=0.0.4; charset=utf-8")


@never_cache
@require_GET
def bench_ceiling(request: HttpRequest) -> JsonResponse:
    """The smallest possible view, through the same server and middleware: the benchmarks' ceiling.

    Exists only when `SSCARD_BENCH=1`; a 404 otherwise.
    """
    if not settings.BENCH_ENDPOINTS:
        raise Http404
    return JsonResponse({"ok": True})
