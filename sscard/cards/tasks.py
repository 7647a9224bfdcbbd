"""Card tasks (Celery beat): temporary loss reports lapse by themselves (hourly); cards expire (daily)."""

from celery import shared_task

from . import expiry, loss


@shared_task(name="sscard.cards.lapse_temporary_losses")
def lapse_temporary_losses() -> int:
    return loss.lapse_temporary_losses()


@shared_task(name="sscard.cards.expire_cards")
def expire_cards() -> int:
    return expiry.expire_cards()
