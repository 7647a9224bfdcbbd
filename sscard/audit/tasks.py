"""Audit tasks: sealing the access log into the chain (Celery beat, every minute)."""

from celery import shared_task

from . import services


@shared_task(name="sscard.audit.seal_access_events")
def seal_access_events() -> int:
    return sum(seal.data["count"] for seal in services.seal_access_events())
