"""The HTTP gateway against a real HTTP server on 127.0.0.1 (an ephemeral port), started by the test."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sscard.notify.sms.base import SmsDeliveryError
from sscard.notify.sms.http import HttpGateway

TOKEN = "test-token-123"


class FakeProvider(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProviderHandler)
        self.received: list[dict] = []
        self.status = 200
        self.reply: bytes = b'{"message_id": "prov-1"}'
        self.delay = 0.0

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sms/send"


class ProviderHandler(BaseHTTPRequestHandler):
    server: FakeProvider

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", "0"))
        self.server.received.append({
            "path": self.path,
            "headers": {key.lower(): value for key, value in self.headers.items()},
            "body": self.rfile.read(length),
        })
        if self.server.delay:
            time.sleep(self.server.delay)
        try:
            self.send_response(self.server.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(self.server.reply)))
            self.end_headers()
            self.wfile.write(self.server.reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = FakeProvider()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP_URL = server.url
    settings.SMS_HTTP_TOKEN = TOKEN
    settings.SMS_HTTP_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_posts_json_with_the_bearer_token_and_returns_the_providers_id(provider):
    message_id = HttpGateway().send("13812341234", "Your code is 482913.", purpose="code:login")

    assert message_id == "prov-1"
    [request] = provider.received
    assert request["path"] == "/sms/send"
    assert request["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["content-type"] == "application/json"
    assert json.loads(request["body"]) == {"phone": "13812341234", "text": "Your code is 482913.",
                                           "purpose": "code:login"}


def test_a_2xx_answer_without_an_id_is_still_a_success(provider):
    provider.status, provider.reply = 202, b"accepted"
    assert HttpGateway().send("13812341234", "hello", purpose="notice") == ""


@pytest.mark.parametrize("status", [400, 401, 500, 503, 302])
def test_a_non_2xx_answer_raises_a_delivery_error_without_the_text(provider, status):
    provider.status, provider.reply = status, b'{"error": "nope"}'
    with pytest.raises(SmsDeliveryError, match=f"HTTP {status}") as error:
        HttpGateway().send("13812341234", "Your code is 482913.", purpose="code:login")
    assert "482913" not in str(error.value) and "13812341234" not in str(error.value)


def test_a_provider_slower_than_the_timeout_raises_a_delivery_error(provider, settings):
    settings.SMS_HTTP_TIMEOUT = 0.2
    provider.delay = 1.0
    started = time.monotonic()
    with pytest.raises(SmsDeliveryError, match="did not answer within 0.2 s"):
        HttpGateway().send("13812341234", "hello", purpose="notice")
    assert time.monotonic() - started < 1.0


def test_an_unreachable_provider_raises_a_delivery_error(provider, settings):
    provider.shutdown()
    provider.server_close()
    with pytest.raises(SmsDeliveryError, match="unreachable"):
        HttpGateway().send("13812341234", "hello", purpose="notice")


def test_missing_settings_raise_a_delivery_error(settings):
    settings.SMS_HTTP_URL = ""
    settings.SMS_HTTP_TOKEN = ""
    with pytest.raises(SmsDeliveryError, match="SMS_HTTP_URL"):
        HttpGateway().send("13812341234", "hello", purpose="notice")
