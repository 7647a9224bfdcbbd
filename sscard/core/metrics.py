"""The Prometheus counters that apps of every layer increment (task outcomes, abuse-limit trips).

Here in `core` so that `accounts` and `notify` can count without importing `ops`, which sits above them.
They are created on prometheus_client's default registry, the one `sscard.ops.metrics` exposes at `/metrics`
(and, with `PROMETHEUS_MULTIPROC_DIR`, written to the per-process files it adds up). Names and labels are
part of the dashboards and alerts (docs/deploy.md): do not rename them.
"""

from prometheus_client import Counter, disable_created_metrics

disable_created_metrics()  # the `_created` series double the output and nobody graphs them

TASK_FAILURES = Counter(
    "sscard_celery_task_failures_total", "Celery tasks that failed for good (retries exhausted).", ["task"])
TASK_RETRIES = Counter("sscard_celery_task_retries_total", "Celery task retries scheduled.", ["task"])
TASK_SUCCESSES = Counter("sscard_celery_task_successes_total", "Celery tasks that succeeded.", ["task"])
LIMIT_TRIPS = Counter(
    "sscard_limit_trips_total",
    "Requests refused by an abuse limit (SMS codes, password resets), by the limit's scope.",
    ["scope"],
)
STATEMENT_CHECKS = Counter(
    "sscard_statement_verifications_total",
    "Statement verification codes checked on the public page, by outcome (valid, unreadable, unknown_key, "
    "bad_signature).",
    ["outcome"],
)
