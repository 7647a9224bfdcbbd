"""Card tasks: temporary loss reports lapse by themselves (Celery beat, hourly); cards expire (daily); card events
are pushed to the http banks (after the commit, and by the beat sweeper every minute); the daily freeze
reconciliation."""

from celery import shared_task

from . import bank_incoming, bank_outbox, expiry, loss


@shared_task(name="sscard.cards.lapse_temporary_losses")
def lapse_temporary_losses() -> int:
    return loss.lapse_temporary_losses()


@shared_task(name="sscard.cards.expire_cards")
def expire_cards() -> int:
    return expiry.expire_cards()


@shared_task(name="sscard.cards.deliver_bank_event", acks_late=True)
def deliver_bank_event(event_pk: int) -> str:
    """One delivery attempt of a bank card event. Idempotent (an event no longer pending is skipped); a failure
    is recorded on the row with its next attempt time, which the sweeper honours: no Celery retry here."""
    return bank_outbox.attempt_delivery(event_pk)


@shared_task(name="sscard.cards.sweep_bank_events")
def sweep_bank_events() -> int:
    return bank_outbox.sweep()


@shared_task(name="sscard.cards.reconcile_banks")
def reconcile_banks() -> int:
    return bank_incoming.reconcile_http_banks()
