"""Everything that reads payments: whether an application waits for its fee (the back office may not move
it past review until it is paid)."""

from __future__ import annotations

from ..models import Payment


def payment_of(application) -> Payment | None:
    return Payment.objects.filter(application=application).first()


def awaiting_payment(application) -> bool:
    """True when the application has a fee that is not paid yet."""
    return Payment.objects.filter(application=application, state=Payment.State.PENDING).exists()
