"""Card tasks: temporary loss reports lapse by themselves (Celery beat, hourly)."""

from celery import shared_task

from . import loss


@shared_task(name="sscard.cards.lapse_temporary_losses")
def lapse_temporary_losses() -> int:
    return loss.lapse_temporary_losses()
