"""Delivery by post (tracking number, the citizen confirms receipt) and at an outlet (receive the batch, mark
ready with the outlet's address and hours, hand over after an identity check)."""

import pytest
from django.urls import reverse

from sscard.cards import delivery
from sscard.cards.models import Card
from sscard.casework import services
from sscard.casework.lines import ImportRejected
from sscard.casework.models import CaseFile
from sscard.casework.production import services as production_services
from sscard.domain.casestates import State
from sscard.notify.models import Message
from sscard.reference.models import Manufacturer

from .conftest import give_card, new_application, receive, wuchang

pytestmark = pytest.mark.django_db


def test_posting_tells_the_citizen_who_then_confirms_receipt_online(production, client,
                                                                     django_capture_on_commit_callbacks):
    application = new_application(delivery="post", state=State.IN_PRODUCTION)
    with pytest.raises(services.CaseworkError) as refused:
        delivery.record_tracking(staff=production, application=application, tracking_number="SF1234567890")
    assert refused.value.code == "no_card"
    card = give_card(application)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.record_tracking(staff=production, application=application, tracking_number="SF1234567890")
    assert application.state == State.POSTED
    assert CaseFile.objects.get(application=application).tracking_number == "SF1234567890"
    assert Message.objects.filter(user=application.applicant, body__contains="SF1234567890").exists()

    client.force_login(application.applicant)
    page = client.get(reverse("cards:mine")).content.decode()
    assert card.card_number in page and "I have received my card" in page
    response = client.post(reverse("cards:confirm_receipt", args=[card.card_number]), follow=True)
    assert "the receipt of card" in response.content.decode()
    application.refresh_from_db(), card.refresh_from_db()
    assert application.state == State.COLLECTED and card.delivered_at is not None
    again = client.post(reverse("cards:confirm_receipt", args=[card.card_number]), follow=True)
    assert "not possible while the case is at the stage" in again.content.decode()


def test_tracking_numbers_can_be_imported_idempotently(production):
    cases = [new_application(delivery="post", state=State.IN_PRODUCTION) for _ in range(2)]
    for c in cases:
        give_card(c)
    data = ("office_code,tracking_number\n" + "".join(f"{c.office_code},EMS{i:09d}\n" for i, c in enumerate(cases))).encode()
    assert delivery.import_tracking(staff=production, data=data).applied == 2
    again = delivery.import_tracking(staff=production, data=data)
    assert (again.applied, again.unchanged) == (0, 2)
    pickup = new_application(state=State.IN_PRODUCTION)
    give_card(pickup)
    with pytest.raises(ImportRejected) as rejected:
        delivery.import_tracking(staff=production, data=f"office_code,tracking_number\n{pickup.office_code},EMS1234567\n".encode())
    assert "cannot be posted" in rejected.value.errors[0].message


def test_the_clerk_receives_a_batch_marks_cards_ready_and_the_citizen_learns_where_and_when(
        production, clerk, django_capture_on_commit_callbacks):
    application = new_application(state=State.IN_PRODUCTION)
    batch = production_services.create_batch(staff=production, manufacturer=Manufacturer.objects.get(code="default"))
    with pytest.raises(services.CaseworkError):  # nothing produced yet
        delivery.receive_batch_at_outlet(staff=clerk, batch=batch)
    production_services.import_batch_result(staff=production, batch=batch, data=(
        "office_code,card_number,card_id,issue_date,expiry_date,bank_account\n"
        f"{application.office_code},W00000001,{'ab' * 16},2026-11-20,2036-11-20,6222020200001234567\n").encode())
    with pytest.raises(services.CaseworkError) as refused:
        delivery.mark_ready(staff=clerk, application=application)
    assert refused.value.code == "not_received"
    assert delivery.receive_batch_at_outlet(staff=clerk, batch=batch) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.mark_batch_ready(staff=clerk, batch=batch) == 1
    application.refresh_from_db()
    assert application.state == State.READY_FOR_PICKUP
    message = Message.objects.filter(user=application.applicant).order_by("-id").first()
    outlet = wuchang()
    assert outlet.address in message.body and outlet.hours in message.body
    from sscard.notify.models import OutboxSms

    sms = OutboxSms.objects.filter(phone=application.applicant.phone).order_by("-id").first()
    assert sms is not None and outlet.address in sms.text and outlet.hours in sms.text


def test_hand_over_checks_the_holders_identity(clerk):
    application = new_application(state=State.READY_FOR_PICKUP)
    card = give_card(application)
    with pytest.raises(services.CaseworkError) as refused:
        delivery.hand_over(staff=clerk, application=application, collector="holder", id_number="360426199101010071")
    assert refused.value.code == "id_mismatch"
    delivery.hand_over(staff=clerk, application=application, collector="holder",
                       id_number=application.subject_id_number.lower())
    application.refresh_from_db(), card.refresh_from_db()
    assert application.state == State.COLLECTED and card.delivered_at is not None
    assert card.state == "sealed"  # the holder enables it online


def test_an_authorised_agent_needs_name_valid_id_and_checked_authorisation(clerk):
    application = new_application(state=State.READY_FOR_PICKUP)
    give_card(application)
    for name, number, checked in [("", "360426199101010071", True), ("李四", "360426199101010072", True),
                                  ("李四", "360426199101010071", False)]:
        with pytest.raises(services.CaseworkError) as refused:
            delivery.hand_over(staff=clerk, application=application, collector="agent", id_number=number,
                               agent_name=name, authorisation_checked=checked)
        assert refused.value.code == "agent"
    delivery.hand_over(staff=clerk, application=application, collector="agent", id_number="360426199101010071",
                       agent_name="李四", authorisation_checked=True)
    note = application.changes.last().note
    assert "360426199101010071" not in note and "李*" in note


def test_a_card_cannot_be_handed_over_before_it_is_ready(clerk):
    application = new_application(state=State.IN_PRODUCTION)
    give_card(application)
    receive(application)
    with pytest.raises(services.CaseworkError) as refused:
        delivery.hand_over(staff=clerk, application=application, collector="holder",
                           id_number=application.subject_id_number)
    assert refused.value.code == "not_allowed"
    assert Card.objects.get(application=application).delivered_at is None


def test_a_refused_hand_over_leaves_an_audit_event_and_moves_nothing(clerk):
    from sscard.audit.models import AuditEvent

    application = new_application(state=State.READY_FOR_PICKUP)
    card = give_card(application)
    before = AuditEvent.objects.count()
    with pytest.raises(services.CaseworkError) as refused:
        delivery.hand_over(staff=clerk, application=application, collector="holder", id_number="360426199101010071")
    assert refused.value.code == "id_mismatch"
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.event_type, e.actor_id, e.subject_id, e.data) for e in events] == [
        ("casework.handover_refused", clerk.pk, application.office_code, {"collector": "holder"})]
    assert "360426199101010071" not in str(events[0].data)  # the number presented is not logged
    application.refresh_from_db(), card.refresh_from_db()
    assert application.state == State.READY_FOR_PICKUP and card.delivered_at is None
