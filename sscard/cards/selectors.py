"""Everything that reads cards."""

from django.db.models import QuerySet

from .models import Card


def cards_of(user) -> QuerySet[Card]:
    """The cards of the user's own applications (for themselves or their children), newest first."""
    return Card.objects.filter(holder=user).select_related("application", "bank")


def card_of(user, card_number: str) -> Card | None:
    return cards_of(user).filter(card_number=card_number).first()
