"""A fake payment gateway speaking the generic HTTP protocol of docs/formats.md, on 127.0.0.1 and a random
port, in a thread: it checks the signature of every request, signs every answer, keeps its orders in memory,
and builds the signed notifications a real gateway would send."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "test-secret-do-not-use"
MERCHANT = "SSCARD-TEST"


def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()


class FakeGateway:
    def __init__(self):
        self.orders: dict[str, dict] = {}
        self.requests: list[tuple[str, dict]] = []
        self.fail_with: int | None = None  # answer every request with this HTTP status
        self.refunds_fail = False
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not hmac.compare_digest(sign(body), self.headers.get("X-Signature", "")):
                    return self._answer(401, {"error": "bad signature"})
                data = json.loads(body)
                gateway.requests.append((self.path, data))
                if gateway.fail_with:
                    return self._answer(gateway.fail_with, {"error": "down"})
                return self._answer(*gateway.handle(self.path, data))

            def _answer(self, status: int, data: dict):
                out = encode(data)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.send_header("X-Signature", sign(out))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, path: str, data: dict) -> tuple[int, dict]:
        if data.get("merchant") != MERCHANT:
            return 403, {"error": "unknown merchant"}
        order_id = data["order_id"]
        if path == "/orders":
            order = self.orders.setdefault(order_id, {"amount_fen": data["amount_fen"], "status": "pending",
                                                      "notify_url": data["notify_url"]})
            return 200, {"order_id": order_id, "pay_url": f"{self.url}/pay/{order_id}", "status": order["status"]}
        order = self.orders.get(order_id)
        if order is None:
            return 404, {"order_id": order_id, "error": "unknown order"}
        if path == "/orders/query":
            return 200, {"order_id": order_id, "status": order["status"], "amount_fen": order["amount_fen"],
                         "transaction_id": order.get("transaction_id", "")}
        if path == "/refunds":
            if self.refunds_fail:
                return 500, {"order_id": order_id, "error": "refund failed"}
            order["status"] = "refunded"
            return 200, {"order_id": order_id, "status": "refunded"}
        return 404, {"error": "no such path"}

    def pay(self, order_id: str, transaction_id: str = "T-0001") -> tuple[bytes, str]:
        """The holder pays: the order is paid; returns the signed notification (body, signature) to send."""
        order = self.orders[order_id]
        order.update(status="paid", transaction_id=transaction_id)
        body = encode({"merchant": MERCHANT, "order_id": order_id, "amount_fen": order["amount_fen"],
                       "status": "paid", "transaction_id": transaction_id})
        return body, sign(body)
