"""The generic HTTP card-event adapter: each event is POSTed as JSON to `<base URL>/card-events`, the list of
frozen cards is read with a GET of `<base URL>/frozen-cards`; both signed with the bank's HMAC secret
(`sscard.domain.bank_events.sign`). The bank acknowledges an event by answering 200 with `{"event_id": ...}`
(the same id); anything else (refused connection, timeout, another status, another id) is retried with
backoff. Banks deduplicate by `event_id`: a retry after a lost answer carries the same id and body."""

from __future__ import annotations

import json
import time

import requests
from django.conf import settings
from django.core.checks import Error

from sscard.domain import bank_events

from .base import BankEventAdapter, DeliveryError
from .registry import register, secret_for, url_for


def _timeout() -> float:
    return float(getattr(settings, "BANK_EVENT_TIMEOUT_S", 10))


def _signed(bank_code: str, body: bytes) -> dict[str, str]:
    secret = secret_for(bank_code)
    url = url_for(bank_code)
    if not secret or not url:
        raise DeliveryError("no URL or secret configured for this bank")
    return bank_events.signed_headers(bank_code=bank_code, secret=secret, timestamp=int(time.time()), body=body)


def body_of(payload: dict) -> bytes:
    """The exact bytes sent (and signed): compact JSON, keys sorted, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@register("http")
class HttpAdapter(BankEventAdapter):
    label = "HTTP (signed JSON)"
    pushes = True

    def deliver(self, event) -> None:
        code = event.bank.code
        body = body_of(event.payload)
        headers = _signed(code, body)
        try:
            response = requests.post(f"{url_for(code)}/card-events", data=body, headers=headers,
                                     timeout=_timeout())
        except requests.RequestException as error:
            raise DeliveryError(f"bank not reachable ({type(error).__name__})") from None
        if response.status_code != 200:
            raise DeliveryError(f"bank answered HTTP {response.status_code}")
        try:
            acknowledged = str(response.json().get("event_id", ""))
        except (ValueError, AttributeError):
            raise DeliveryError("bank answered 200 without a JSON acknowledgement") from None
        if acknowledged != str(event.event_id):
            raise DeliveryError("bank acknowledged another event id")

    def fetch_frozen(self, bank) -> set[str]:
        headers = _signed(bank.code, b"")
        try:
            response = requests.get(f"{url_for(bank.code)}/frozen-cards", headers=headers, timeout=_timeout())
        except requests.RequestException as error:
            raise DeliveryError(f"bank not reachable ({type(error).__name__})") from None
        if response.status_code != 200:
            raise DeliveryError(f"bank answered HTTP {response.status_code}")
        try:
            cards = response.json()["cards"]
        except (ValueError, KeyError, TypeError):
            raise DeliveryError("bank answered without a list of cards") from None
        if not isinstance(cards, list):
            raise DeliveryError("bank answered without a list of cards")
        return {str(number).strip() for number in cards if str(number).strip()}

    def checks(self) -> list:
        messages = []
        for code, adapter in (getattr(settings, "BANK_EVENT_ADAPTERS", {}) or {}).items():
            if adapter == self.identifier and not (url_for(code) and secret_for(code)):
                messages.append(Error(
                    f"Bank {code!r} uses the http card-event adapter without a URL or a secret.",
                    hint="Set SSCARD_BANK_EVENT_URLS and SSCARD_BANK_EVENT_SECRETS for it.", id="cards.E011"))
        return messages
