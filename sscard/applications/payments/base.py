"""What a payment gateway does: open an order for a payment, say where the holder pays it, answer its status,
refund it, and read the gateway's signed notification that it was paid."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


class GatewayError(Exception):
    """The gateway could not be reached or refused the request (the message never holds the secret)."""


class NotificationRefused(Exception):
    """A notification the gateway (or someone pretending to be it) sent is refused: `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Notification:
    order_id: str
    amount_fen: int
    status: str  # "paid" (anything else is refused by the service)
    reference: str = ""  # the gateway's own transaction number


@dataclass(frozen=True)
class OrderStatus:
    status: str  # "pending", "paid", "failed" or "refunded"
    amount_fen: int | None = None
    reference: str = ""


class PaymentGateway(ABC):
    """Registered by id with `registry.register("<id>")`, which sets `identifier`."""

    identifier: str = ""
    # True: the holder pays online, redirected to `start`'s pay URL. False: the holder pays at a counter.
    online: bool = False

    @abstractmethod
    def start(self, *, payment, return_url: str, notify_url: str) -> str:
        """Open the order for `payment` at the gateway (idempotent by `payment.order_id`); the URL where the
        holder pays it ("" when there is none: paid at a counter). Raises `GatewayError`."""

    @abstractmethod
    def query(self, *, payment) -> OrderStatus:
        """The gateway's view of the order. Raises `GatewayError`."""

    @abstractmethod
    def refund(self, *, payment) -> None:
        """Pay the amount back (idempotent: a refunded order refunded again is fine). Raises `GatewayError`."""

    def parse_notification(self, *, body: bytes, headers) -> Notification:
        """The payment notification in `body`, once its signature is checked; `NotificationRefused`."""
        raise NotificationRefused("not_supported")

    def check_config(self) -> list[str]:
        return []

    def checks(self) -> list:
        from django.core.checks import Error

        return [Error(problem, hint=f"Needed by the payment gateway {self.identifier!r}.", id="applications.E002")
                for problem in self.check_config()]
