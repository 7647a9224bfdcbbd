"""Everything that writes payments: open one with an application, start it at the gateway, record it paid
(a clerk at the counter, the gateway's notification, or a status query), refund it. Each change is audited;
a notification that is forged, for an unknown order or for another amount changes nothing."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.core.errors import DomainError
from sscard.domain.casestates import State

from ..models import Payment
from . import registry, selectors
from .base import GatewayError, NotificationRefused

SUBJECT = "payment"

MSG_GATEWAY = gettext_noop("The payment service cannot be reached just now. Please try again in a few minutes.")
MSG_NOT_PENDING = gettext_noop("This fee is not waiting for payment (it is: %(state)s).")
MSG_AWAITING_PAYMENT = gettext_noop("This application is awaiting payment of its fee: it goes on once the fee is "
                                    "paid.")
MSG_REFUND = gettext_noop("The fee could not be refunded through the payment service just now; nothing was "
                          "changed. Please try again in a few minutes.")


# Past these the back office works on a case (bank, production): an unpaid fee holds the case before them.
NEEDS_PAYMENT_BEFORE = frozenset({State.BANK_PREOPENING})
# On these a paid fee goes back (refunded through its gateway) and an unpaid order is closed.
CLOSING = frozenset({State.REJECTED, State.WITHDRAWN})


class PaymentError(DomainError):
    """A payment action refused (`code`: bad_signature, unknown_order, wrong_amount, not_paid, gateway, ...)."""


def _audit(event: str, payment: Payment, *, actor=None, request=None, **data) -> None:
    record_event(event_type=f"payment.{event}", actor=actor, request=request, subject_type=SUBJECT,
                 subject_id=payment.order_id,
                 data={"application": payment.application.office_code, "gateway": payment.gateway,
                       "amount_fen": payment.amount_fen, **data})


def open_payment(*, application, amount_fen: int, actor=None, request=None) -> Payment:
    """The fee of `application`, to be paid through the configured gateway (inside the caller's transaction)."""
    gateway = registry.configured()
    payment = Payment.objects.create(application=application, amount_fen=amount_fen, gateway=gateway.identifier,
                                     order_id=f"SS{timezone.localdate():%Y%m%d}{uuid.uuid4().hex[:20].upper()}")
    _audit("opened", payment, actor=actor, request=request)
    return payment


def start_online(*, payment: Payment, return_url: str, notify_url: str, actor=None, request=None) -> str:
    """Open the order at an online gateway and keep its pay URL (called outside a transaction: the gateway is
    asked over the network; the order id makes a retry harmless). Returns the URL to send the holder to."""
    if payment.state != Payment.State.PENDING:
        raise PaymentError("not_pending", MSG_NOT_PENDING, {"state": payment.get_state_display()})
    try:
        pay_url = registry.get(payment.gateway).start(payment=payment, return_url=return_url, notify_url=notify_url)
    except GatewayError:
        raise PaymentError("gateway", MSG_GATEWAY) from None
    if pay_url != payment.pay_url:
        Payment.objects.filter(pk=payment.pk).update(pay_url=pay_url, updated_at=timezone.now())
        payment.pay_url = pay_url
        _audit("started", payment, actor=actor, request=request)
    return pay_url


def mark_paid(*, payment: Payment, reference: str = "", via: str, actor=None, request=None) -> bool:
    """Record `payment` as paid (`via`: "counter", "notification" or "query"). Idempotent: True when this call
    recorded it, False when it was paid already; a refunded or closed payment is refused."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update(of=("self",)).select_related("application").get(pk=payment.pk)
        if locked.state == Payment.State.PAID:
            return False
        if locked.state != Payment.State.PENDING:
            raise PaymentError("not_pending", MSG_NOT_PENDING, {"state": locked.get_state_display()})
        locked.state, locked.paid_at = Payment.State.PAID, timezone.now()
        locked.gateway_reference = reference[:64]
        locked.save(update_fields=["state", "paid_at", "gateway_reference", "updated_at"])
        _audit("paid", locked, actor=actor, request=request, via=via, reference=locked.gateway_reference)
    payment.refresh_from_db()
    return True


def handle_notification(*, gateway_id: str, body: bytes, headers, request=None) -> tuple[Payment, bool]:
    """The gateway's notification that an order was paid: signature, order, amount and status checked before
    anything is written. Returns (payment, recorded now); `PaymentError` with the refusal's code."""
    try:
        gateway = registry.get(gateway_id)
        notification = gateway.parse_notification(body=body, headers=headers)
    except LookupError:
        raise PaymentError("unknown_gateway", MSG_GATEWAY) from None
    except NotificationRefused as refused:
        record_event(event_type="payment.notification_refused", request=request, subject_type=SUBJECT,
                     data={"gateway": gateway_id, "code": refused.code})
        raise PaymentError(refused.code, MSG_GATEWAY) from None
    payment = (Payment.objects.select_related("application")
               .filter(order_id=notification.order_id, gateway=gateway_id).first())
    code = None
    if payment is None:
        code = "unknown_order"
    elif notification.amount_fen != payment.amount_fen:
        code = "wrong_amount"
    elif notification.status != "paid":
        code = "not_paid"
    if code is not None:
        record_event(event_type="payment.notification_refused", request=request, subject_type=SUBJECT,
                     subject_id=notification.order_id[:64], data={"gateway": gateway_id, "code": code})
        raise PaymentError(code, MSG_GATEWAY)
    recorded = mark_paid(payment=payment, reference=notification.reference, via="notification", request=request)
    return payment, recorded


def refresh(*, payment: Payment, request=None) -> Payment:
    """Ask the gateway about a pending payment (the holder is back from the pay page before the notification
    arrived) and record it paid if the gateway says so with the right amount."""
    if payment.state != Payment.State.PENDING or not registry.get(payment.gateway).online:
        return payment
    try:
        status = registry.get(payment.gateway).query(payment=payment)
    except GatewayError:
        return payment
    if status.status == "paid" and status.amount_fen == payment.amount_fen:
        mark_paid(payment=payment, reference=status.reference, via="query", request=request)
    return payment


def settle_on_close(*, application, actor=None, request=None) -> None:
    """The application is rejected or withdrawn (inside its transaction): a paid fee is refunded through its
    gateway (a failure refuses the whole change), an unpaid one is closed."""
    locked = Payment.objects.select_for_update(of=("self",)).filter(application=application).first()
    if locked is None:
        return
    if locked.state == Payment.State.PAID:
        try:
            registry.get(locked.gateway).refund(payment=locked)
        except GatewayError:
            raise PaymentError("refund_failed", MSG_REFUND) from None
        locked.state, locked.refunded_at = Payment.State.REFUNDED, timezone.now()
        locked.save(update_fields=["state", "refunded_at", "updated_at"])
        _audit("refunded", locked, actor=actor, request=request)
    elif locked.state == Payment.State.PENDING:
        locked.state = Payment.State.FAILED
        locked.save(update_fields=["state", "updated_at"])
        _audit("closed", locked, actor=actor, request=request)


def before_state_change(*, application, to_state: str, actor=None, error: type[DomainError]) -> None:
    """Called by `applications.services` inside every state change of an application: the one gate of an unpaid
    fee, whoever moves the case. Raises `error` (the caller's own DomainError class) to refuse. An unpaid fee
    holds the case before bank pre-opening; rejection or withdrawal refunds a paid fee (a failed refund refuses
    the change) or closes an unpaid order."""
    if to_state in NEEDS_PAYMENT_BEFORE and selectors.awaiting_payment(application):
        raise error("awaiting_payment", MSG_AWAITING_PAYMENT)
    if to_state in CLOSING:
        try:
            settle_on_close(application=application, actor=actor)
        except PaymentError as refused:
            raise error(refused.code, refused.message, refused.params) from None
