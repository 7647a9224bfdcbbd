"""The replacement and renewal pages: "My card" offers them when allowed, the short form leads to the fee
(counter instructions) with the office code, progress shows "awaiting payment", and a clerk records the fee
at the counter page (outlet counter role, own areas only)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sscard.applications.models import Application, Payment
from sscard.audit.models import AuditEvent
from sscard.cards import replacement
from sscard.cards.models import Card, CardStatusChange
from sscard.domain.casestates import State
from tests.casework.conftest import give_card, move_to, new_staff, receive, staff_client, wuchang

from .test_replacement import held_card

pytestmark = pytest.mark.django_db


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_my_card_offers_replacement_for_a_lost_card_and_renewal_only_in_the_window(client):
    lost = held_card("temporarily_lost")
    client.force_login(lost.holder)
    page = _page(client, reverse("cards:mine"))
    assert "Apply for a replacement" in page and ">Renew<" not in page
    soon = held_card("active", expiry=timezone.localdate() + timedelta(days=60))
    client.force_login(soon.holder)
    page = _page(client, reverse("cards:mine"))
    assert ">Renew<" in page and "The card expires within 60 days: renew it now." in page
    later = held_card("active", expiry=timezone.localdate() + timedelta(days=61))
    client.force_login(later.holder)
    page = _page(client, reverse("cards:mine"))
    assert ">Renew<" not in page and "Apply for a replacement" in page  # a damaged card


def test_the_holder_applies_for_a_replacement_and_is_shown_the_counter_fee_and_progress(client):
    card = held_card("formally_lost")
    client.force_login(card.holder)
    url = reverse("cards:replace", args=[card.card_number, "replacement"])
    page = _page(client, url)
    assert "20.00 yuan" in page and "Why do you need a new card?" in page
    response = client.post(url, {"reason": "lost", "delivery": "pickup", "outlet": wuchang().pk}, follow=True)
    application = Application.objects.get(kind="replacement")
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("applications:pay", args=[application.office_code])
    assert application.display_code in page
    assert (f"Pay 20.00 yuan at the counter of any service outlet: give the office code {application.display_code}."
            in page)
    detail = _page(client, reverse("applications:detail", args=[application.office_code]))
    assert "Awaiting payment" in detail and "Replacement card: The card is lost" in detail
    progress = client.post(reverse("applications:progress"),
                           {"code": application.display_code, "id_suffix": card.holder_id_number[-6:]})
    assert "Awaiting payment" in progress.content.decode()
    api = client.get("/api/v1/progress", {"code": application.display_code, "id_suffix": card.holder_id_number[-6:]})
    assert api.json()["awaiting_payment"] is True
    mine = _page(client, reverse("cards:mine"))
    assert "Replacement card in progress:" in mine and "Apply for a replacement" not in mine


def test_a_replacement_of_an_active_card_as_lost_is_refused_on_the_page(client):
    card = held_card("active")
    client.force_login(card.holder)
    page = client.post(reverse("cards:replace", args=[card.card_number, "replacement"]),
                       {"reason": "lost", "delivery": "pickup", "outlet": wuchang().pk}).content.decode()
    assert "This card is not reported lost. Report the loss first" in page
    assert not Application.objects.filter(kind="replacement").exists()


def test_a_free_renewal_goes_straight_to_the_office_code(client):
    card = held_card("active", expiry=timezone.localdate() + timedelta(days=10))
    client.force_login(card.holder)
    response = client.post(reverse("cards:replace", args=[card.card_number, "renewal"]),
                           {"delivery": "pickup", "outlet": wuchang().pk})
    application = Application.objects.get(kind="renewal")
    assert response.url == reverse("applications:done", args=[application.office_code])
    assert not Payment.objects.exists()


def test_someone_elses_card_page_is_not_found(client):
    card = held_card("temporarily_lost")
    client.force_login(held_card("active").holder)
    assert client.get(reverse("cards:replace", args=[card.card_number, "replacement"])).status_code == 404
    client.force_login(card.holder)
    assert client.get(reverse("cards:replace", args=[card.card_number, "stolen"])).status_code == 404


def test_a_clerk_records_a_counter_fee_on_the_counter_page(client):
    card = held_card("temporarily_lost")
    client.force_login(card.holder)
    client.post(reverse("cards:replace", args=[card.card_number, "replacement"]),
                {"reason": "lost", "delivery": "pickup", "outlet": wuchang().pk})
    application = Application.objects.get(kind="replacement")
    clerk = staff_client(new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"]))
    page = _page(clerk, reverse("casework:counter_payments") + f"?code={application.display_code}")
    assert "Record the fee as paid" in page and application.masked_name in page
    assert card.application.subject_name not in page  # masked
    assert AuditEvent.objects.filter(event_type="casework.fee_viewed", subject_id=application.office_code).exists()
    response = clerk.post(reverse("casework:record_counter_payment", args=[application.office_code]), follow=True)
    assert f"The fee of {application.display_code} is recorded as paid." in response.content.decode()
    assert Payment.objects.get(application=application).state == "paid"
    # A clerk of another area does not find it, and cannot record it.
    other = staff_client(new_staff(["clerk"], areas=("district:420102",)))
    page = _page(other, reverse("casework:counter_payments") + f"?code={application.office_code}")
    assert "No fee to pay at the counter" in page
    assert other.post(reverse("casework:record_counter_payment", args=[application.office_code])).status_code == 404
    # Staff without the counter role are refused.
    reviewer = staff_client(new_staff(["reviewer"]))
    assert reviewer.get(reverse("casework:counter_payments")).status_code == 403
    assert Card.objects.get(pk=card.pk).state == "temporarily_lost"


def test_the_case_page_shows_the_kind_and_whether_the_fee_is_paid():
    card = held_card("temporarily_lost")
    application = replacement.apply(user=card.holder, card=card, kind="replacement", reason="lost",
                                    delivery={"delivery": "pickup", "outlet": wuchang()})
    reviewer = staff_client(new_staff(["reviewer"]))
    page = _page(reviewer, reverse("casework:case", args=[application.office_code]))
    assert "Replacement card: The card is lost" in page and "20.00 yuan — Awaiting payment" in page


def test_the_replacement_card_is_handed_over_at_the_outlet_counter_page():
    card = held_card("formally_lost")
    application = replacement.apply(user=card.holder, card=card, kind="replacement", reason="lost",
                                    delivery={"delivery": "pickup", "outlet": wuchang()})
    clerk_user = new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"])
    replacement.record_counter_payment(staff=clerk_user, application=application)
    move_to(application, State.IN_PRODUCTION)
    new_card = give_card(application)
    receive(application)
    clerk = staff_client(clerk_user)
    clerk.post(reverse("casework:case_action", args=[application.office_code, "ready"]),
               {"ready-expected_state": State.IN_PRODUCTION})
    assert Application.objects.get(pk=application.pk).state == State.READY_FOR_PICKUP
    clerk.post(reverse("casework:case_action", args=[application.office_code, "hand_over"]),
               {"hand_over-expected_state": State.READY_FOR_PICKUP, "hand_over-collector": "holder",
                "hand_over-id_number": card.holder_id_number})
    assert Application.objects.get(pk=application.pk).state == State.COLLECTED
    assert Card.objects.get(pk=card.pk).state == "replaced"
    assert CardStatusChange.objects.filter(card=new_card).count() == 0 and new_card.state == "sealed"
