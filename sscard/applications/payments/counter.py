"""Pay at the counter: the holder pays the fee at a service outlet, where a clerk records the payment
(`sscard.cards.replacement.record_counter_payment`). A refund is paid back at the counter."""

from .base import OrderStatus, PaymentGateway
from .registry import register


@register("counter")
class CounterGateway(PaymentGateway):
    online = False

    def start(self, *, payment, return_url: str, notify_url: str) -> str:
        return ""

    def query(self, *, payment) -> OrderStatus:
        return OrderStatus(payment.state, payment.amount_fen, payment.gateway_reference)

    def refund(self, *, payment) -> None:
        return None  # the clerk pays the fee back in cash; the service records it
