"""Application tasks: deleting uploaded photo originals that are kept no longer (Celery beat, hourly)."""

from celery import shared_task

from . import retention


@shared_task(name="sscard.applications.purge_photo_originals")
def purge_photo_originals() -> int:
    return retention.purge_photo_originals()
