"""A generic HTTP payment gateway (docs/formats.md, "Payment gateway (generic HTTP)").

Every body, both ways, is JSON signed with `X-Signature: hex(HMAC-SHA256(secret, raw body))`:
    POST {url}/orders          {"merchant", "order_id", "amount_fen", "currency", "description",
                                "notify_url", "return_url"}  →  {"order_id", "pay_url", "status"}
    POST {url}/orders/query    {"merchant", "order_id"}      →  {"order_id", "status", "amount_fen",
                                                                 "transaction_id"}
    POST {url}/refunds         {"merchant", "order_id", "refund_id", "amount_fen"}  →  {"order_id", "status"}
    gateway → notify_url       {"merchant", "order_id", "amount_fen", "status": "paid", "transaction_id"}
An answer without a valid signature is not believed. Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import requests
from django.conf import settings

from .base import GatewayError, Notification, NotificationRefused, OrderStatus, PaymentGateway
from .registry import register

SIGNATURE_HEADER = "X-Signature"
TIMEOUT_SECONDS = 10


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, signature: str | None) -> bool:
    return bool(secret) and bool(signature) and hmac.compare_digest(sign(secret, body), signature.strip().lower())


def encode(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


@register("http")
class HttpGateway(PaymentGateway):
    online = True

    def check_config(self) -> list[str]:
        problems = []
        for name in ("PAYMENT_HTTP_URL", "PAYMENT_HTTP_MERCHANT", "PAYMENT_HTTP_SECRET"):
            if not getattr(settings, name, ""):
                problems.append(f"{name} (SSCARD_{name}) is not set")
        return problems

    @property
    def _secret(self) -> str:
        return settings.PAYMENT_HTTP_SECRET

    def _post(self, path: str, data: dict) -> dict:
        if problems := self.check_config():
            raise GatewayError("; ".join(problems))
        body = encode({"merchant": settings.PAYMENT_HTTP_MERCHANT, **data})
        try:
            response = requests.post(settings.PAYMENT_HTTP_URL.rstrip("/") + path, data=body, timeout=TIMEOUT_SECONDS,
                                     allow_redirects=False,
                                     headers={"Content-Type": "application/json", "Accept": "application/json",
                                              SIGNATURE_HEADER: sign(self._secret, body)})
        except requests.RequestException as error:
            raise GatewayError(f"payment gateway unreachable ({type(error).__name__})") from None
        if not 200 <= response.status_code < 300:
            raise GatewayError(f"payment gateway refused the request (HTTP {response.status_code})")
        if not signature_ok(self._secret, response.content, response.headers.get(SIGNATURE_HEADER)):
            raise GatewayError("payment gateway answer has no valid signature")
        try:
            answer = json.loads(response.content)
        except ValueError:
            raise GatewayError("payment gateway answer is not JSON") from None
        if not isinstance(answer, dict) or answer.get("order_id") != data["order_id"]:
            raise GatewayError("payment gateway answered for another order")
        return answer

    def start(self, *, payment, return_url: str, notify_url: str) -> str:
        answer = self._post("/orders", {
            "order_id": payment.order_id, "amount_fen": payment.amount_fen, "currency": "CNY",
            "description": f"social security card {payment.application.kind} {payment.application.office_code}",
            "notify_url": notify_url, "return_url": return_url})
        pay_url = answer.get("pay_url")
        if not isinstance(pay_url, str) or not pay_url.startswith(("https://", "http://")):
            raise GatewayError("payment gateway gave no pay URL")
        return pay_url

    def query(self, *, payment) -> OrderStatus:
        answer = self._post("/orders/query", {"order_id": payment.order_id})
        amount = answer.get("amount_fen")
        return OrderStatus(str(answer.get("status", "")), amount if isinstance(amount, int) else None,
                           str(answer.get("transaction_id") or "")[:64])

    def refund(self, *, payment) -> None:
        answer = self._post("/refunds", {"order_id": payment.order_id, "refund_id": f"{payment.order_id}-R",
                                         "amount_fen": payment.amount_fen})
        if answer.get("status") != "refunded":
            raise GatewayError("payment gateway did not refund the order")

    def parse_notification(self, *, body: bytes, headers) -> Notification:
        if not signature_ok(self._secret, body, headers.get(SIGNATURE_HEADER)):
            raise NotificationRefused("bad_signature")
        try:
            data = json.loads(body)
        except ValueError:
            raise NotificationRefused("malformed") from None
        if (not isinstance(data, dict) or not isinstance(data.get("order_id"), str)
                or not isinstance(data.get("amount_fen"), int) or isinstance(data.get("amount_fen"), bool)
                or data.get("merchant") != settings.PAYMENT_HTTP_MERCHANT):
            raise NotificationRefused("malformed")
        return Notification(order_id=data["order_id"], amount_fen=data["amount_fen"], status=str(data.get("status")),
                            reference=str(data.get("transaction_id") or "")[:64])
