"""Cancellation of a card by staff (注销): a clerk requests it (death, settling abroad, duplicate), a supervisor,
another person of the same area, confirms (the card is cancelled, with its history row, and the holder told by
SMS in their language) or declines (nothing changes)."""

import pytest
from django.urls import reverse
from django.utils import translation

from sscard.accounts.services import set_preferred_language
from sscard.audit.models import AuditEvent
from sscard.cards import cancellation
from sscard.cards.models import Card, CardCancellation, CardStatusChange
from sscard.cards.services import CardError
from sscard.casework.services.base import CaseworkError
from sscard.domain.casestates import State
from sscard.notify.models import PendingDelivery
from tests.casework.conftest import give_card, jiangan, new_application, new_staff, staff_client, wuchang

pytestmark = pytest.mark.django_db


def _card(state="active"):
    card = give_card(new_application(state=State.IN_PRODUCTION))  # a Wuchang case
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


def _clerk():
    return new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"])


def _supervisor(area="district:420106"):
    return new_staff(["supervisor"], areas=[area])


def _state(card):
    return Card.objects.get(pk=card.pk).state


def _sms(card):
    return list(PendingDelivery.objects.filter(recipient=card.holder.phone, purpose="card_cancelled")
                .values_list("text", flat=True))


def test_a_clerk_requests_through_the_page_and_a_supervisor_confirms_the_card_is_cancelled_and_the_holder_told():
    card = _card("active")
    set_preferred_language(user=card.holder, language="es")
    clerk, supervisor = _clerk(), _supervisor()
    page = staff_client(clerk).post(
        reverse("casework:counter_card_action", args=[card.card_number, "cancel"]),
        {"cancel-expected_state": "active", "cancel-reason": "settled_abroad", "cancel-note": "Pasaporte visto"},
        follow=True).content.decode()
    assert (f"The cancellation of card {card.card_number} is requested. It takes effect when a supervisor "
            "confirms it.") in page
    assert "is waiting for a supervisor" in page and 'id="action-cancel"' not in page
    request = CardCancellation.objects.get(card=card)
    assert (request.reason, request.note, request.requested_by, request.decision) == (
        "settled_abroad", "Pasaporte visto", clerk, "pending")
    assert _state(card) == "active" and not _sms(card)  # nothing happens before the supervisor confirms

    boss = staff_client(supervisor)
    listing = boss.get(reverse("casework:cancellations")).content.decode()
    assert card.card_number in listing and "Settled abroad" in listing and "Confirm the cancellation" in listing
    page = boss.post(reverse("casework:cancellation_decide", args=[request.pk]),
                     {"decision": "confirm", "note": "ok"}, follow=True).content.decode()
    assert f"Confirmed: card {card.card_number} is cancelled and the holder was told by SMS." in page
    assert _state(card) == "cancelled"
    row = CardStatusChange.objects.get(card=card)
    assert (row.from_state, row.to_state, row.channel, row.actor, row.note) == (
        "active", "cancelled", "counter", supervisor, "cancellation: settled_abroad")
    request.refresh_from_db()
    assert (request.decision, request.decided_by, request.decision_note) == ("confirmed", supervisor, "ok")
    assert _sms(card) == [f"La tarjeta de la seguridad social {card.card_number} ha sido cancelada (Residencia en el "
                          "extranjero) y ya no se puede usar. Si cree que es un error, acuda a una oficina de "
                          "atención."]
    events = list(AuditEvent.objects.filter(subject_id=card.card_number).values_list("event_type", flat=True))
    assert {"cards.cancellation_requested", "card.state_changed", "cards.cancellation_confirmed"} <= set(events)


def test_the_sms_is_in_the_holders_language_chinese_by_default():
    card = _card("temporarily_lost")
    request = cancellation.request_cancellation(staff=_clerk(), card=card, reason="death")
    cancellation.decide_cancellation(staff=_supervisor(), cancellation=request, confirm=True)
    assert _sms(card) == [f"社保卡{card.card_number}已注销（持卡人死亡），不能再使用。如您认为有误，请到服务网点办理。"]


def test_the_requester_cannot_confirm_their_own_request():
    card = _card("active")
    supervisor = _supervisor()  # a supervisor may also request at a counter
    request = cancellation.request_cancellation(staff=supervisor, card=card, reason="duplicate", note="two cards")
    with pytest.raises(CardError) as refused:
        cancellation.decide_cancellation(staff=supervisor, cancellation=request, confirm=True)
    assert refused.value.code == "own_request"
    request.refresh_from_db()
    assert request.decision == "pending" and _state(card) == "active" and not _sms(card)
    page = staff_client(supervisor).get(reverse("casework:cancellations")).content.decode()
    assert "Requested by you: another supervisor decides." in page and "Confirm the cancellation" not in page
    page = staff_client(supervisor).post(reverse("casework:cancellation_decide", args=[request.pk]),
                                         {"decision": "confirm"}, follow=True).content.decode()
    assert "A cancellation must be confirmed by someone other than the person who requested it." in page
    assert _state(card) == "active"


def test_a_declined_request_changes_nothing_and_a_new_one_can_be_made():
    card = _card("active")
    clerk, supervisor = _clerk(), _supervisor()
    request = cancellation.request_cancellation(staff=clerk, card=card, reason="death")
    page = staff_client(supervisor).post(reverse("casework:cancellation_decide", args=[request.pk]),
                                         {"decision": "decline", "note": "the holder is alive"},
                                         follow=True).content.decode()
    assert f"Declined: card {card.card_number} was not changed." in page
    request.refresh_from_db()
    assert (request.decision, request.decided_by, request.decision_note) == ("declined", supervisor,
                                                                            "the holder is alive")
    assert _state(card) == "active" and not CardStatusChange.objects.exists() and not _sms(card)
    assert AuditEvent.objects.filter(event_type="cards.cancellation_declined").count() == 1
    with pytest.raises(CardError) as refused:  # decided once, not twice
        cancellation.decide_cancellation(staff=_supervisor(), cancellation=request, confirm=True)
    assert refused.value.code == "decided"
    again = cancellation.request_cancellation(staff=clerk, card=card, reason="duplicate")
    assert again.decision == "pending"


@pytest.mark.parametrize(("state", "pending", "reason", "code", "message"), [
    ("active", True, "death", "pending",
     "A cancellation of this card is already waiting for a supervisor's confirmation."),
    ("cancelled", False, "death", "already_cancelled", "This card has already been cancelled."),
    ("active", False, "bored", "reason", "Choose the reason for the cancellation."),
])
def test_each_refused_request_has_its_message_and_changes_nothing(state, pending, reason, code, message):
    card = _card(state)
    clerk = _clerk()
    if pending:
        cancellation.request_cancellation(staff=_clerk(), card=card, reason="duplicate")
    before = list(CardCancellation.objects.values_list("pk", flat=True))
    with pytest.raises(CardError) as refused:
        cancellation.request_cancellation(staff=clerk, card=card, reason=reason)
    with translation.override("en"):
        assert refused.value.code == code and refused.value.translated() == message
    assert list(CardCancellation.objects.values_list("pk", flat=True)) == before and _state(card) == state


def test_a_second_request_through_the_page_is_refused_with_its_message():
    card = _card("active")
    cancellation.request_cancellation(staff=_clerk(), card=card, reason="duplicate")
    page = staff_client(_clerk()).post(
        reverse("casework:counter_card_action", args=[card.card_number, "cancel"]),
        {"cancel-expected_state": "active", "cancel-reason": "death"}, follow=True).content.decode()
    assert "A cancellation of this card is already waiting for a supervisor&#x27;s confirmation." in page
    assert CardCancellation.objects.filter(card=card).count() == 1


def test_only_a_supervisor_of_the_cards_area_decides_and_only_counter_staff_of_the_area_request():
    card = _card("active")
    request = cancellation.request_cancellation(staff=_clerk(), card=card, reason="death")
    with pytest.raises(CaseworkError) as refused:  # a clerk has no confirm_cancellation permission
        cancellation.decide_cancellation(staff=_clerk(), cancellation=request, confirm=True)
    assert refused.value.code == "permission"
    elsewhere = _supervisor("district:420102")
    with pytest.raises(CardError) as refused:
        cancellation.decide_cancellation(staff=elsewhere, cancellation=request, confirm=True)
    assert refused.value.code == "area"
    client = staff_client(elsewhere)
    assert card.card_number not in client.get(reverse("casework:cancellations")).content.decode()
    assert client.post(reverse("casework:cancellation_decide", args=[request.pk]),
                       {"decision": "confirm"}).status_code == 404
    assert staff_client(_clerk()).post(reverse("casework:cancellation_decide", args=[request.pk]),
                                       {"decision": "confirm"}).status_code == 403
    with pytest.raises(CardError) as refused:
        cancellation.request_cancellation(staff=new_staff(["clerk"], areas=[f"outlet:{jiangan().pk}"]), card=card,
                                          reason="duplicate")
    assert refused.value.code == "area"
    with pytest.raises(CaseworkError):
        cancellation.request_cancellation(staff=new_staff(["reviewer"]), card=card, reason="duplicate")
    request.refresh_from_db()
    assert request.decision == "pending" and _state(card) == "active"


def test_a_card_cancelled_meanwhile_leaves_the_request_waiting_and_says_why():
    card = _card("active")
    request = cancellation.request_cancellation(staff=_clerk(), card=card, reason="duplicate")
    Card.objects.filter(pk=card.pk).update(state="cancelled")  # e.g. by the system meanwhile
    with pytest.raises(CardError) as refused:
        cancellation.decide_cancellation(staff=_supervisor(), cancellation=request, confirm=True)
    assert refused.value.code == "unchanged"
    request.refresh_from_db()
    assert request.decision == "pending" and not _sms(card)


def test_the_database_holds_at_most_one_waiting_request_per_card():
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    card = _card("active")
    clerk = _clerk()
    CardCancellation.objects.create(card=card, reason="death", requested_by=clerk, requested_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():  # two clerks at the same moment: one row waits
        CardCancellation.objects.create(card=card, reason="duplicate", requested_by=clerk, requested_at=timezone.now())
    CardCancellation.objects.create(card=card, reason="duplicate", requested_by=clerk, requested_at=timezone.now(),
                                    decision="declined")  # decided rows are history, any number of them


def test_only_the_supervisor_role_may_confirm_a_cancellation():
    from django.contrib.auth.models import Group

    holders = set(Group.objects.filter(permissions__codename="confirm_cancellation").values_list("name", flat=True))
    assert holders == {"casework:supervisor"}
