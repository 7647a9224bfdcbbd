"""HTTP gateway: POST {"phone", "text", "purpose"} as JSON to `SMS_HTTP_URL` with a bearer token.

The provider answers 2xx, optionally with JSON `{"message_id": "..."}` (or `{"id": "..."}`); anything else,
a timeout or a connection failure raises `SmsDeliveryError`. Redirects are not followed, so the token is
only ever sent to the configured URL.
"""

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import SmsDeliveryError, SmsGateway
from .registry import register

DEFAULT_TIMEOUT_SECONDS = 10


@register("http")
class HttpGateway(SmsGateway):
    verbose_name = _("HTTP SMS provider")

    def check_config(self) -> list[str]:
        problems = []
        if not settings.SMS_HTTP_URL:
            problems.append("SMS_HTTP_URL (SSCARD_SMS_HTTP_URL) is not set")
        if not settings.SMS_HTTP_TOKEN:
            problems.append("SMS_HTTP_TOKEN (SSCARD_SMS_HTTP_TOKEN) is not set")
        return problems

    def send(self, phone: str, text: str, *, purpose: str = "") -> str:
        if problems := self.check_config():
            raise SmsDeliveryError("; ".join(problems))
        timeout = float(getattr(settings, "SMS_HTTP_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
        try:
            response = requests.post(
                settings.SMS_HTTP_URL,
                json={"phone": phone, "text": text, "purpose": purpose},
                headers={"Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}", "Accept": "application/json"},
                timeout=timeout,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise SmsDeliveryError(f"SMS provider did not answer within {timeout:g} s") from None
        except requests.RequestException as error:
            raise SmsDeliveryError(f"SMS provider unreachable ({type(error).__name__})") from None
        if not 200 <= response.status_code < 300:
            raise SmsDeliveryError(f"SMS provider refused the message (HTTP {response.status_code})")
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            message_id = body.get("message_id") or body.get("id") or ""
            return str(message_id)[:64]
        return ""
