"""Replacement (lost or damaged) and renewal: who may apply and when (each refusal its own message), the fee
and its payment at the counter, the case waiting while unpaid, the old card void when the new card is issued,
the loss that can no longer be withdrawn or lapse, the hand-over of the new card, the refund on rejection."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from sscard.applications import photos
from sscard.applications import selectors as app_selectors
from sscard.applications import services as app_services
from sscard.applications.models import Application, Payment
from sscard.cards import delivery, loss, replacement
from sscard.cards.models import Card, CardReplacement, CardStatusChange
from sscard.cards.services import CardError
from sscard.casework.reasons import REJECTION_REASONS
from sscard.casework.services import CaseworkError, review
from sscard.domain.casestates import Role, State
from sscard.reference.models import ServiceSettings
from tests.casework.conftest import (
    give_card,
    move_to,
    new_application,
    new_citizen,
    new_staff,
    receive,
    wuchang,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield

PICKUP = {"delivery": "pickup", "outlet": None}


def held_card(state="active", *, expiry=date(2036, 11, 1)):
    """A card its holder collected (the first application closed), then put in `state`."""
    application = new_application(state=State.IN_PRODUCTION)
    card = give_card(application)
    app_services.change_state(application=application, to_state=State.READY_FOR_PICKUP, role=Role.SUPERVISOR)
    app_services.change_state(application=application, to_state=State.COLLECTED, role=Role.SUPERVISOR)
    Card.objects.filter(pk=card.pk).update(state=state, expiry_date=expiry)
    card.refresh_from_db()
    return card


def pickup():
    return {**PICKUP, "outlet": wuchang()}


def apply(card, kind="replacement", reason="lost", **kwargs):
    return replacement.apply(user=card.holder, card=card, kind=kind, reason=reason, delivery=pickup(), **kwargs)


def state_of(card):
    return Card.objects.get(pk=card.pk).state


# Written by hand from the brief: (card state, kind, reason, days to expiry, refusal code, message).
TODAY_PLUS = 3650
REFUSALS = [
    ("active", "replacement", "lost", TODAY_PLUS, "report_loss_first",
     "This card is not reported lost. Report the loss first (it blocks the card at once); then apply for a "
     "replacement."),
    ("temporarily_lost", "replacement", "damaged", TODAY_PLUS, "damaged_not_active",
     "Only a card in use can be replaced as damaged. A card reported lost is replaced as lost."),
    ("sealed", "replacement", "damaged", TODAY_PLUS, "not_enabled",
     "A card that has not been enabled yet cannot be replaced or renewed online. Please go to a service outlet."),
    ("cancelled", "replacement", "lost", TODAY_PLUS, "card_void",
     "This card is no longer valid: apply for a new card instead."),
    ("replaced", "renewal", "", 10, "card_void", "This card is no longer valid: apply for a new card instead."),
    ("temporarily_lost", "renewal", "", 10, "renewal_state", "Only a card in use can be renewed."),
    ("active", "renewal", "", 61, "renewal_too_early", None),  # message holds the date: checked below
    ("active", "replacement", "stolen", TODAY_PLUS, "reason", "Choose whether the card is lost or damaged."),
]


@pytest.mark.parametrize(("state", "kind", "reason", "days", "code", "message"), REFUSALS)
def test_each_refusal_has_its_own_message_and_changes_nothing(state, kind, reason, days, code, message):
    card = held_card(state, expiry=timezone.localdate() + timedelta(days=days))
    before = Application.objects.count()
    with pytest.raises(CardError) as error:
        apply(card, kind, reason)
    assert error.value.code == code
    if message:
        assert error.value.translated() == message
    assert Application.objects.count() == before and not Payment.objects.exists()
    assert state_of(card) == state


def test_renewal_opens_the_configured_days_before_expiry():
    expiry = timezone.localdate() + timedelta(days=61)
    card = held_card("active", expiry=expiry)
    with pytest.raises(CardError) as error:
        apply(card, "renewal", "")
    opens = (expiry - timedelta(days=60)).isoformat()
    assert error.value.translated() == f"A card can be renewed from 60 days before its expiry date, that is from {opens}."
    row = ServiceSettings.load()
    row.renewal_window_days = 61
    row.save()
    application = apply(card, "renewal", "")
    assert (application.kind, application.replacement_reason) == ("renewal", "")
    assert not Payment.objects.filter(application=application).exists()  # renewal fee 0 by default


def test_a_replacement_copies_the_holders_data_and_photo_and_opens_the_fee():
    card = held_card("temporarily_lost")
    old = card.application
    application = apply(card)
    assert (application.kind, application.replacement_reason, application.state) == ("replacement", "lost",
                                                                                      "submitted")
    for name in ("subject_name", "subject_id_number", "subject_birth_date", "res_detail", "occupation"):
        assert getattr(application, name) == getattr(old, name)
    assert application.bank == card.bank and application.outlet == wuchang()
    assert application.photo and application.photo != old.photo
    assert photos.read(application.photo) == photos.read(old.photo)
    assert CardReplacement.objects.get(application=application).old_card == card
    payment = Payment.objects.get(application=application)
    assert (payment.amount_fen, payment.gateway, payment.state) == (2000, "counter", "pending")
    assert payment.amount_yuan == "20.00"


def test_the_fee_is_read_from_the_service_settings():
    row = ServiceSettings.load()
    row.replacement_fee_fen, row.renewal_fee_fen = 1550, 800
    row.save()
    assert Payment.objects.get(application=apply(held_card("active"), "replacement", "damaged")).amount_fen == 1550
    renewed = apply(held_card("active", expiry=timezone.localdate() + timedelta(days=30)), "renewal", "")
    assert Payment.objects.get(application=renewed).amount_fen == 800


def test_a_second_replacement_in_progress_is_refused_and_one_person_one_card_still_holds():
    card = held_card("formally_lost")
    first = apply(card)
    with pytest.raises(CardError) as error:
        apply(Card.objects.get(pk=card.pk), "replacement", "lost")
    assert error.value.code == "in_progress"
    assert error.value.translated() == (f"A replacement or renewal of this card is already in progress (office code "
                                        f"{first.display_code}).")
    # A first-card application for the holder stays blocked (an application in progress).
    blocker = app_selectors.blocking_reason(card.holder_id_number, user=card.holder)
    assert blocker.kind == "active" and blocker.application == first
    assert Application.objects.filter(subject_id_number=card.holder_id_number).count() == 2


def test_the_same_submission_twice_makes_one_application():
    card = held_card("temporarily_lost")
    token = uuid.uuid4()
    one, two = apply(card, token=token), apply(card, token=token)
    assert one == two and Application.objects.filter(kind="replacement").count() == 1


def test_an_unpaid_case_waits_in_review_and_goes_on_once_paid_at_the_counter():
    reviewer = new_staff(["reviewer"])
    card = held_card("temporarily_lost")
    application = apply(card)
    review.start_review(staff=reviewer, application=application)
    with pytest.raises(CaseworkError) as error:
        review.approve(staff=reviewer, application=application)
    assert error.value.code == "awaiting_payment"
    assert error.value.translated() == "This application is awaiting payment of its fee: it goes on once the fee is paid."
    assert Application.objects.get(pk=application.pk).state == "under_review"
    # A clerk of another area, or staff without the counter role, cannot record it.
    with pytest.raises(CardError) as other:
        replacement.record_counter_payment(staff=new_staff(["clerk"], areas=("district:420102",)),
                                           application=application)
    assert other.value.code == "area"
    with pytest.raises(CaseworkError):
        replacement.record_counter_payment(staff=reviewer, application=application)
    clerk = new_staff(["clerk"])
    assert replacement.record_counter_payment(staff=clerk, application=application) is True
    assert replacement.record_counter_payment(staff=clerk, application=application) is False  # once only
    payment = Payment.objects.get(application=application)
    assert payment.state == "paid" and payment.paid_at is not None
    review.approve(staff=reviewer, application=application)
    assert Application.objects.get(pk=application.pk).state == "bank_preopening"


def test_the_old_card_is_void_when_the_new_card_is_issued_and_the_new_card_is_handed_over():
    card = held_card("temporarily_lost")
    application = apply(card)
    replacement.record_counter_payment(staff=new_staff(["clerk"]), application=application)
    move_to(application, State.IN_PRODUCTION)
    assert state_of(card) == "temporarily_lost"
    new_card = give_card(application)
    assert state_of(card) == "replaced"
    assert new_card.card_number != card.card_number and new_card.chip_id != card.chip_id
    assert (new_card.state, new_card.holder, new_card.holder_id_number) == ("sealed", card.holder,
                                                                             card.holder_id_number)
    last = CardStatusChange.objects.filter(card=card).order_by("-id").first()
    assert (last.from_state, last.to_state, last.channel, last.actor) == ("temporarily_lost", "replaced", "system",
                                                                          None)
    assert last.note == f"replaced by card {new_card.card_number}"
    # The replacement card goes through the outlet like a first card.
    receive(application)
    clerk = new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"])
    delivery.mark_ready(staff=clerk, application=application)
    delivery.hand_over(staff=clerk, application=application, collector="holder", id_number=card.holder_id_number)
    assert Application.objects.get(pk=application.pk).state == "collected"
    # The holder now holds the new card: a first application is blocked by it, not by the replaced one.
    assert app_selectors.blocking_reason(card.holder_id_number).kind == "card"


def test_a_damaged_active_card_is_replaced_too():
    card = held_card("active")
    application = apply(card, "replacement", "damaged")
    replacement.record_counter_payment(staff=new_staff(["clerk"]), application=application)
    move_to(application, State.IN_PRODUCTION)
    give_card(application)
    assert state_of(card) == "replaced"


def test_a_loss_cannot_be_withdrawn_or_lapse_once_a_replacement_is_applied_for():
    card = held_card("active")
    loss.report_temporary_loss(user=card.holder, card=card)
    card.refresh_from_db()
    application = apply(card)
    with pytest.raises(CardError) as error:
        loss.withdraw_temporary_loss(user=card.holder, card=card)
    assert error.value.code == "replacement_applied"
    assert error.value.translated() == (f"A replacement of this card has been applied for (office code "
                                        f"{application.display_code}): the loss report can no longer be withdrawn.")
    CardStatusChange.objects.filter(card=card).update(at=timezone.now() - timedelta(days=30))
    assert loss.lapse_temporary_losses() == 0
    assert state_of(card) == "temporarily_lost"
    # Once the replacement is withdrawn (unpaid: the order is closed), the loss is the holder's again.
    app_services.withdraw(application=application, user=card.holder)
    assert Payment.objects.get(application=application).state == "failed"
    assert loss.lapse_temporary_losses() == 1


def test_a_paid_counter_fee_is_refunded_when_the_case_is_rejected():
    reviewer, supervisor = new_staff(["reviewer"]), new_staff(["supervisor"])
    card = held_card("formally_lost")
    application = apply(card)
    replacement.record_counter_payment(staff=new_staff(["clerk"]), application=application)
    review.start_review(staff=reviewer, application=application)
    review.propose_rejection(staff=reviewer, application=application, reason_code=_a_rejection_code(), note="x")
    review.decide_rejection(staff=supervisor, application=application, confirm=True)
    payment = Payment.objects.get(application=application)
    assert (payment.state, payment.refunded_at is not None) == ("refunded", True)
    assert state_of(card) == "formally_lost"  # nothing issued: the old card stays as it was


def _a_rejection_code():
    return next(iter(REJECTION_REASONS))


def test_someone_elses_card_cannot_be_replaced():
    card = held_card("temporarily_lost")
    with pytest.raises(CardError) as error:
        replacement.apply(user=new_citizen("李四"), card=card, kind="replacement", reason="lost", delivery=pickup())
    assert error.value.code == "not_yours"
