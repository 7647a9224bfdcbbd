"""Reading messages and the SMS outbox."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Message, OutboxSms


def unread_count(user) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(user=user, read_at__isnull=True).count()


def messages_for(user) -> QuerySet[Message]:
    """The user's messages, newest first."""
    return Message.objects.filter(user=user).order_by("-created_at", "-id")


def message_for(user, message_id: int) -> Message:
    """One of the user's own messages; 404 for anyone else's (the same answer as for no message at all)."""
    return get_object_or_404(Message, pk=message_id, user=user)


def latest_outbox(limit: int = 50) -> QuerySet[OutboxSms]:
    return OutboxSms.objects.order_by("-created_at", "-id")[:limit]
