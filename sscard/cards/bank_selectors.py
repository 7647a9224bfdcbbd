"""What the staff page of bank card events reads, through the area gate: events and reconciliation differences
of the cards whose case is in the staff member's areas."""

from __future__ import annotations

from django.db.models import Count, Q

from sscard.casework import selectors as case_selectors
from sscard.reference.models import PartnerBank

from .bank_events import registry
from .models import BankCardEvent, BankReconciliation, ReconciliationDifference


def _visible_cards(staff):
    return case_selectors.cases_visible_to(staff).values("pk")


def bank_overview(staff) -> list[dict]:
    """Per active bank: its adapter, the counts of the member's events by status, and its latest
    reconciliation with the differences among the member's cards."""
    S = BankCardEvent.Status
    counts = {row["bank"]: row for row in BankCardEvent.objects.filter(card__application__in=_visible_cards(staff))
              .values("bank").annotate(pending=Count("pk", filter=Q(status=S.PENDING)),
                                       sent=Count("pk", filter=Q(status=S.SENT)),
                                       failed=Count("pk", filter=Q(status=S.FAILED)))}
    overview = []
    for bank in PartnerBank.objects.filter(active=True):
        latest = BankReconciliation.objects.filter(bank=bank).first()
        overview.append({
            "bank": bank, "adapter": registry.adapter_for(bank).identifier,
            "counts": counts.get(bank.pk, {"pending": 0, "sent": 0, "failed": 0}),
            "reconciliation": latest,
            "differences": differences(staff, latest) if latest else [],
        })
    return overview


def events_needing_attention(staff, limit: int = 100):
    """The member's events not yet acknowledged (failed first, then the oldest)."""
    S = BankCardEvent.Status
    return (BankCardEvent.objects.filter(card__application__in=_visible_cards(staff),
                                         status__in=[S.FAILED, S.PENDING, S.SENT])
            .select_related("bank", "card").order_by("-status", "created_at")[:limit])


def differences(staff, reconciliation: BankReconciliation):
    return list(ReconciliationDifference.objects.filter(reconciliation=reconciliation,
                                                        card__application__in=_visible_cards(staff))
                .select_related("card").order_by("kind", "card__card_number"))


def latest_reconciliation(bank) -> BankReconciliation | None:
    return BankReconciliation.objects.filter(bank=bank).first()
