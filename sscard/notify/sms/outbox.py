"""Development gateway: every SMS is kept in the `OutboxSms` table (shown at /dev/outbox with DEBUG)."""

import uuid

from django.utils.translation import gettext_lazy as _

from .base import SmsGateway
from .registry import register


@register("outbox")
class OutboxGateway(SmsGateway):
    verbose_name = _("Development outbox (nothing is delivered)")

    def send(self, phone: str, text: str, *, purpose: str = "") -> str:
        from ..models import OutboxSms

        message_id = f"outbox-{uuid.uuid4().hex}"
        OutboxSms.objects.create(phone=phone, text=text, purpose=purpose, gateway_message_id=message_id)
        return message_id
