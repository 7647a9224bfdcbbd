"""Everything that writes cards. Called by the back office inside its own transactions."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sscard.audit.services import record_event

from .models import Card, CardState


def create_sealed_card(*, application, card_number: str, chip_id: str, issue_date: date, expiry_date: date,
                       bank_account: str, manufacturer: str, actor=None, request=None) -> Card:
    """Create the card the manufacturer made for `application`: sealed until the holder enables it."""
    card = Card.objects.create(
        application=application, holder=application.applicant, holder_id_number=application.subject_id_number,
        card_number=card_number, chip_id=chip_id.upper(), issue_date=issue_date, expiry_date=expiry_date,
        bank=application.bank, bank_account=bank_account, manufacturer=manufacturer, state=CardState.SEALED,
    )
    record_event(event_type="card.created", actor=actor, request=request, subject_type="card",
                 subject_id=card.card_number,
                 data={"application": application.office_code, "state": card.state,
                       "expiry_date": expiry_date.isoformat(), "manufacturer": manufacturer})
    return card


def mark_delivered(*, card: Card, actor=None, request=None) -> Card:
    card.delivered_at = timezone.now()
    card.save(update_fields=["delivered_at"])
    return card


def taken(*, card_numbers: set[str], chip_ids: set[str]) -> set[tuple[str, str, int]]:
    """(card number, chip id, application id) of the cards that already use one of these numbers or ids."""
    return {(c.card_number, c.chip_id, c.application_id) for c in
            Card.objects.filter(card_number__in=card_numbers) | Card.objects.filter(chip_id__in=chip_ids)}
