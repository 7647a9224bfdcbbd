"""Operational tasks."""

from celery import shared_task


@shared_task(name="sscard.ops.ping")
def ping() -> str:
    """A no-op round trip: proves that a worker (or the in-process eager runner) executes tasks."""
    return "pong"
