"""Records tasks: open bills past their due date fall into arrears (Celery beat, daily)."""

from celery import shared_task

from . import payments


@shared_task(name="sscard.records.mark_arrears")
def mark_arrears() -> int:
    return payments.mark_arrears()


# The yearly statement batch's chunk task (registered with Celery by this import).
from .statements.tasks import make_chunk  # noqa: E402,F401
