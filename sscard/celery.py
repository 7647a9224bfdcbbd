"""The Celery application.

Production: `SSCARD_CELERY_BROKER_URL` (or, failing that, `SSCARD_REDIS_URL`) names a Redis broker and
workers run `celery -A sscard worker`; beat runs `celery -A sscard beat`. The embedded default has no
broker: tasks then run eagerly, in the process that queued them (`task_always_eager`).

Delivery guarantees: tasks are acknowledged late (after they ran) and re-queued when a worker dies, so a
task can run twice: every task must be idempotent. Work that must never be lost is written to an outbox
table in the business transaction first (docs/deploy.md, "Outbox"); the task only delivers it.
"""

import os

from celery import Celery, Task
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")

# Queues, each consumed by every worker unless `-Q` narrows it: `notify` (SMS, e-mail: short and
# latency-sensitive) is kept apart from `documents` (PDF rendering: slow) so one cannot starve the other.
QUEUE_NAMES = ("default", "notify", "documents")


class TransientError(Exception):
    """Raise from a task (or a gateway it calls) for a failure worth retrying later."""


class RetryingTask(Task):
    """Base for tasks talking to the outside world: retried with exponential backoff and jitter.

    Network errors (OSError covers `requests`' and `redis`' connection errors) and `TransientError` are
    retried up to `max_retries` times, waiting 2, 4, 8, ... seconds (at most 10 minutes) between tries.
    """

    autoretry_for = (TransientError, OSError, TimeoutError)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8
    acks_late = True


app = Celery("sscard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in QUEUE_NAMES]
app.autodiscover_tasks()
