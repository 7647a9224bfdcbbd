"""Delivery tasks (queue `notify`): the outbox's worker side. See docs/deploy.md, "Outbox"."""

import random

from celery import shared_task

from sscard.celery import RetryingTask
from sscard.core.metrics import TASK_FAILURES

from . import services


@shared_task(bind=True, base=RetryingTask, name="sscard.notify.deliver", max_retries=services.MAX_ATTEMPTS - 1)
def deliver(self, delivery_id: int) -> str:
    """Deliver one outbox row; on failure, retry with exponential backoff (2 s, 4 s, ... at most 10 min).

    Idempotent: a row already sent, given up, or being sent by another worker is skipped. Only the row id
    travels through the broker, never the recipient or the text. Without a broker (eager) there is one
    attempt here; a failed message stays pending for the sweeper instead of blocking the request.
    """
    eager = bool(self.request.is_eager)
    worker = "in-process" if eager else (self.request.hostname or "worker")
    final = (not eager) and self.request.retries >= self.max_retries
    attempt = services.attempt_delivery(delivery_id, worker=worker, final=final)
    if attempt.outcome == "failed":
        TASK_FAILURES.labels(task=self.name).inc()
    elif attempt.outcome == "retry":
        services.record_retry_log(delivery_id, attempt, eager=eager)
        if not eager:
            # Jitter: messages that failed together (a gateway outage) do not all come back together.
            raise self.retry(countdown=attempt.retry_in // 2 + random.randint(0, attempt.retry_in // 2))
    return attempt.outcome


@shared_task(name="sscard.notify.sweep_outbox")
def sweep_outbox() -> int:
    """Beat, every minute: re-queue outbox rows left pending past their due time (broker down, worker lost)."""
    return services.sweep()
