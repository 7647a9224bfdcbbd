"""A local fake bank for the http card-event adapter: an http.server in a thread on 127.0.0.1 (random port)
that checks our signature, records what it received, and can be up, down (connection refused), slow, or
answer 500. `frozen` is the list of frozen cards it answers at /frozen-cards."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sscard.domain import bank_events


class FakeBank:
    def __init__(self, secret: bytes, code: str = "icbc"):
        self.secret = secret
        self.code = code
        self.mode = "up"  # up / 500 / slow / wrong_id
        self.received: list[dict] = []  # event bodies accepted (signature good)
        self.seen_ids: set[str] = set()  # the bank deduplicates by event_id
        self.frozen: list[str] = []
        self.port = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeBank:
        bank = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, data: dict):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _verified(self, body: bytes) -> bool:
                try:
                    bank_events.verify(secret=bank.secret, timestamp=self.headers.get(bank_events.HEADER_TIMESTAMP),
                                       signature=self.headers.get(bank_events.HEADER_SIGNATURE), body=body,
                                       now=time.time())
                except bank_events.SignatureError:
                    return False
                return self.headers.get(bank_events.HEADER_BANK) == bank.code

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if bank.mode == "slow":
                    time.sleep(1.5)
                if bank.mode == "500":
                    return self._answer(500, {"error": "down for maintenance"})
                if self.path != "/card-events" or not self._verified(body):
                    return self._answer(401, {"error": "bad signature"})
                event = json.loads(body)
                if event["event_id"] not in bank.seen_ids:
                    bank.seen_ids.add(event["event_id"])
                    bank.received.append(event)
                answer_id = "00000000-0000-0000-0000-000000000000" if bank.mode == "wrong_id" else event["event_id"]
                self._answer(200, {"event_id": answer_id})

            def do_GET(self):
                if self.path != "/frozen-cards" or not self._verified(b""):
                    return self._answer(401, {"error": "bad signature"})
                self._answer(200, {"cards": bank.frozen})

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Down: the port refuses connections until `start()` again (same port)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
