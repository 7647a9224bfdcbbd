"""SMS and in-site messages: the only ways this project sends anything to a person."""

import logging

from django.db import transaction
from django.utils import timezone

from sscard.domain.masking import mask_phone

from .models import Message
from .sms.base import SmsDeliveryError
from .sms.registry import get_gateway

logger = logging.getLogger(__name__)


def _deliver(*, phone: str, text: str, purpose: str) -> None:
    gateway = get_gateway()
    masked = mask_phone(phone)
    try:
        message_id = gateway.send(phone, text, purpose=purpose)
    except SmsDeliveryError as error:
        # Never the text (it may carry a one-time code) and never the full number.
        logger.error("SMS to %s for %s failed via %s: %s", masked, purpose, gateway.identifier, error)
        return
    logger.info("SMS to %s for %s sent via %s (message id %s)", masked, purpose, gateway.identifier,
                message_id or "-")


def send_sms(*, phone: str, text: str, purpose: str) -> None:
    """Send an SMS through the configured gateway after the current transaction commits.

    A rolled-back transaction sends nothing; outside a transaction the SMS goes at once. A gateway failure is
    logged (masked number and purpose only) and not raised: the change that asked for the SMS is already
    committed.
    """
    text, purpose = str(text), str(purpose)
    transaction.on_commit(lambda: _deliver(phone=phone, text=text, purpose=purpose), robust=True)


def post_message(*, user, subject: str, body: str, link: str = "") -> Message:
    """Put a message in the user's in-site inbox ("My messages"). `link` is a path on this site."""
    link = str(link or "")
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValueError("a message link must be a path on this site, such as /card/applications/12")
    return Message.objects.create(user=user, subject=str(subject)[:200], body=str(body), link=link)


def mark_read(*, message: Message) -> Message:
    """Mark one message read (once: the first reading time is kept)."""
    if message.read_at is None:
        now = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
    return message


def mark_all_read(*, user) -> int:
    """Mark every unread message of `user` read; returns how many were unread."""
    return Message.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
