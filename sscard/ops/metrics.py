"""Prometheus metrics: request latency, Celery queue depths and task failures, exposed at `/metrics`.

The counters that lower apps increment (task outcomes, abuse-limit trips) are `sscard.core.metrics`.

Several processes serve the site (server workers, Celery workers). When `PROMETHEUS_MULTIPROC_DIR` is set
(see docs/deploy.md) every process writes its samples there and `/metrics` adds them up; otherwise the
numbers are this process's own.
"""

import logging
import os
import threading

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

# The counters that lower apps increment are defined in core (they may not import ops), on the default
# registry that `render` exposes; the task signals below count into them too.
from sscard.core.metrics import LIMIT_TRIPS, TASK_FAILURES, TASK_RETRIES, TASK_SUCCESSES  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)

# Buckets in seconds, dense below 100 ms where our latency goals sit.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_LATENCY = Histogram(
    "sscard_http_request_duration_seconds",
    "Time to answer an HTTP request, by view name and status class.",
    ["view", "method", "status"],
    buckets=LATENCY_BUCKETS,
)


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(view=view, method=method, status=status_class(status)).observe(seconds)


# --- Celery -----------------------------------------------------------------------------------------

_signals_connected = False


def connect_celery_signals() -> None:
    """Count task outcomes, in whichever process runs the task (a worker, or this one when eager)."""
    global _signals_connected
    if _signals_connected:
        return
    from celery import signals

    def _name(sender) -> str:
        return getattr(sender, "name", None) or str(sender)

    def on_failure(sender=None, **kwargs):
        TASK_FAILURES.labels(task=_name(sender)).inc()

    def on_retry(sender=None, **kwargs):
        TASK_RETRIES.labels(task=_name(sender)).inc()

    def on_success(sender=None, **kwargs):
        TASK_SUCCESSES.labels(task=_name(sender)).inc()

    def on_prerun(sender=None, task_id=None, **kwargs):
        from .logs import task_var

        task_var.set((_name(sender), task_id or ""))

    def on_postrun(sender=None, **kwargs):
        from .logs import task_var

        task_var.set(None)

    signals.task_failure.connect(on_failure, weak=False)
    signals.task_retry.connect(on_retry, weak=False)
    signals.task_success.connect(on_success, weak=False)
    signals.task_prerun.connect(on_prerun, weak=False)
    signals.task_postrun.connect(on_postrun, weak=False)
    signals.worker_init.connect(start_worker_exporter, weak=False)
    _signals_connected = True


def start_worker_exporter(**kwargs) -> None:
    """A Celery worker on a host of its own exposes its task counters on `SSCARD_WORKER_METRICS_PORT`."""
    port = os.environ.get("SSCARD_WORKER_METRICS_PORT")
    if not port:
        return
    from prometheus_client import start_http_server

    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    address = os.environ.get("SSCARD_WORKER_METRICS_ADDRESS", "127.0.0.1")
    if registry is None:
        start_http_server(int(port), addr=address)
    else:
        start_http_server(int(port), addr=address, registry=registry)
    log.info("worker metrics on %s:%s", address, port)


class QueueDepthCollector:
    """`sscard_celery_queue_depth{queue}`: messages waiting in each Celery queue (Redis LLEN), read at
    scrape time; `sscard_celery_broker_up` says whether the broker answered."""

    def __init__(self):
        self._client = None
        self._lock = threading.Lock()

    def _redis(self, url: str):
        with self._lock:
            if self._client is None:
                import redis

                self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
            return self._client

    def collect(self):
        from django.conf import settings

        from sscard.celery import QUEUE_NAMES

        up = GaugeMetricFamily("sscard_celery_broker_up", "1 when the Celery broker answered the last scrape.")
        depth = GaugeMetricFamily("sscard_celery_queue_depth", "Messages waiting in a Celery queue.",
                                  labels=["queue"])
        broker = getattr(settings, "CELERY_BROKER_URL", "")
        if not broker or not broker.startswith(("redis://", "rediss://", "unix://")):
            # Embedded default: tasks run in-process, there is no queue to measure.
            return [depth]
        try:
            client = self._redis(broker)
            with client.pipeline(transaction=False) as pipe:
                for name in QUEUE_NAMES:
                    pipe.llen(name)
                lengths = pipe.execute()
        except Exception as error:  # noqa: BLE001 - a down broker is a metric, not an error page
            log.warning("queue depth unavailable: %s", type(error).__name__)
            up.add_metric([], 0)
            return [up, depth]
        up.add_metric([], 1)
        for name, length in zip(QUEUE_NAMES, lengths, strict=True):
            depth.add_metric([name], int(length))
        return [up, depth]


class OutboxCollector:
    """`sscard_outbox_oldest_pending_seconds` and `sscard_outbox_pending`: undelivered messages in the
    outbox (docs/deploy.md, "Outbox"), read from the database at scrape time."""

    def collect(self):
        oldest = GaugeMetricFamily("sscard_outbox_oldest_pending_seconds",
                                   "Age of the oldest message waiting in the outbox (0 when none).")
        pending = GaugeMetricFamily("sscard_outbox_pending", "Messages waiting in the outbox.")
        try:
            from sscard.notify.models import PendingDelivery
            from sscard.notify.services import oldest_pending_age_seconds

            age = oldest_pending_age_seconds()
            count = PendingDelivery.objects.filter(status=PendingDelivery.Status.PENDING).count()
        except Exception as error:  # noqa: BLE001 - a scrape must not fail because of the database
            log.warning("outbox metrics unavailable: %s", type(error).__name__)
            return []
        oldest.add_metric([], age)
        pending.add_metric([], count)
        return [oldest, pending]


class AccessLogCollector:
    """`sscard_access_log_oldest_unsealed_seconds`: age of the oldest access-log row (public look-ups) not yet
    sealed into the audit chain. Beat seals every minute; a growing age means the beat or worker is down."""

    def collect(self):
        oldest = GaugeMetricFamily("sscard_access_log_oldest_unsealed_seconds",
                                   "Age of the oldest access event not yet sealed into the audit chain (0 when none).")
        try:
            from sscard.audit.services import oldest_unsealed_access_age_seconds

            age = oldest_unsealed_access_age_seconds()
        except Exception as error:  # noqa: BLE001 - a scrape must not fail because of the database
            log.warning("access log metrics unavailable: %s", type(error).__name__)
            return []
        oldest.add_metric([], age)
        return [oldest]


_queue_registry = CollectorRegistry(auto_describe=False)
_queue_registry.register(QueueDepthCollector())
_queue_registry.register(OutboxCollector())
_queue_registry.register(AccessLogCollector())


def render() -> bytes:
    """The exposition text for `/metrics`."""
    multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc_dir:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=multiproc_dir)
        process_metrics = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        process_metrics = generate_latest(REGISTRY)
    return process_metrics + generate_latest(_queue_registry)
