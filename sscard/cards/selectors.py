"""Everything that reads cards, and what the delivery pages of the staff workbench list."""

from django.db.models import Case, Prefetch, QuerySet, When

from sscard.applications.models import Application
from sscard.casework import selectors as case_selectors
from sscard.casework.models import ProductionBatch
from sscard.domain.casestates import State

from .models import Card, CardCancellation, CardStatusChange


def cards_of(user) -> QuerySet[Card]:
    """The cards of the user's own applications (for themselves or their children), newest first."""
    return (Card.objects.filter(holder=user).select_related("application", "application__outlet", "bank", "pin")
            .prefetch_related(Prefetch("changes", queryset=CardStatusChange.objects.order_by("at", "id"))))


def card_of(user, card_number: str) -> Card | None:
    return cards_of(user).filter(card_number=card_number).first()


# --- Delivery (staff workbench; every list starts from the back office's gate `cases_visible_to`) ----------

def waiting_for_post(staff) -> QuerySet[Application]:
    """Produced cards to be posted, in the staff member's areas."""
    return (case_selectors.cases_visible_to(staff)
            .filter(state=State.IN_PRODUCTION, delivery="post", batch_item__card__isnull=False))


def ready_at_counter(staff) -> QuerySet[Application]:
    """Cards ready for pick-up at the clerk's outlets, oldest application first."""
    return case_selectors.cases_visible_to(staff).filter(state=State.READY_FOR_PICKUP).order_by("submitted_at")


def batch_at_counter(staff, number: str) -> ProductionBatch | None:
    """A batch holding at least one case of the clerk's areas: the counter acts on those cases only (the
    services filter every case through `cases_visible_to`); other batches are as if they did not exist."""
    return (ProductionBatch.objects.filter(number=number, items__application__in=case_selectors.cases_visible_to(staff).values("pk"))
            .distinct().first())



def outlet_batches(staff) -> list[dict]:
    """For the clerk: batches holding produced pick-up cards for the clerk's outlets."""
    visible = case_selectors.cases_visible_to(staff).filter(delivery="pickup", batch_item__card__isnull=False)
    rows: dict[str, dict] = {}
    for application in visible.select_related("batch_item__batch", "casefile").order_by("submitted_at"):
        batch = application.batch_item.batch
        row = rows.setdefault(batch.number, {"batch": batch, "to_receive": 0, "to_mark_ready": 0,
                                              "ready": 0, "collected": 0})
        casefile = case_selectors.casefile_of(application)
        received = casefile is not None and casefile.received_at_outlet is not None
        if application.state == State.IN_PRODUCTION and not received:
            row["to_receive"] += 1
        elif application.state == State.IN_PRODUCTION:
            row["to_mark_ready"] += 1
        elif application.state == State.READY_FOR_PICKUP:
            row["ready"] += 1
        elif application.state == State.COLLECTED:
            row["collected"] += 1
    return list(rows.values())


# --- The counter card page (staff workbench; every read starts from `cases_visible_to`) ---------------------

def cards_at_counter(staff) -> QuerySet[Card]:
    """The cards of the cases in the staff member's areas; other cards are as if they did not exist."""
    return (Card.objects.filter(application__in=case_selectors.cases_visible_to(staff).values("pk"))
            .select_related("application", "bank", "holder"))


def find_cards_at_counter(staff, query: str) -> list[Card]:
    """The cards of the staff member's areas with this card number, or of the holder with this ID number
    (newest first). A card of another area is not found, exactly as a card that does not exist."""
    query = "".join(query.split()).upper()
    if not query:
        return []
    cards = cards_at_counter(staff)
    return list(cards.filter(card_number=query) if len(query) != 18 else cards.filter(holder_id_number=query))


def card_at_counter(staff, card_number: str) -> Card | None:
    return (cards_at_counter(staff).filter(card_number=card_number)
            .prefetch_related(Prefetch("changes", queryset=CardStatusChange.objects.select_related("actor")
                                       .order_by("at", "id"))).first())


def pending_cancellation(card: Card) -> CardCancellation | None:
    return card.cancellations.filter(decision=CardCancellation.Decision.PENDING).select_related("requested_by").first()


def cancellations_visible_to(staff) -> QuerySet[CardCancellation]:
    """Cancellations of the cards in the staff member's areas: the waiting ones first, then the newest."""
    return (CardCancellation.objects.filter(card__in=cards_at_counter(staff).values("pk"))
            .select_related("card", "card__application", "requested_by", "decided_by")
            .order_by(Case(When(decision=CardCancellation.Decision.PENDING, then=0), default=1),
                      "-requested_at", "-id"))


def cancellation_for(staff, pk: int) -> CardCancellation | None:
    return cancellations_visible_to(staff).filter(pk=pk).first()

