"""Loss reports: the holder's temporary loss report on "My card" (at once, withdrawable, lapses after the
configured days with an SMS in the holder's language) and the clerk's formal loss report (not withdrawable)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sscard.accounts.services import set_preferred_language
from sscard.cards import loss
from sscard.cards.models import Card, CardStatusChange
from sscard.cards.services import CardError
from sscard.domain.casestates import State
from sscard.notify.models import PendingDelivery
from sscard.reference.models import ServiceSettings
from tests.casework.conftest import give_card, new_application, new_citizen, new_staff

pytestmark = pytest.mark.django_db


def _card(state="active"):
    card = give_card(new_application(state=State.IN_PRODUCTION))
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


def _state(card):
    return Card.objects.get(pk=card.pk).state


def _follow(client, name, card, expected_state=None):
    data = {"expected_state": expected_state} if expected_state else {}
    return client.post(reverse(name, args=[card.card_number]), data, follow=True).content.decode()


def test_the_holder_reports_a_loss_and_withdraws_it_on_my_card(client):
    card = _card("active")
    client.force_login(card.holder)
    page = client.get(reverse("cards:mine")).content.decode()
    assert "Report the card lost" in page and "after 7 days" in page
    page = _follow(client, "cards:report_loss", card, "active")
    assert f"Card {card.card_number} is reported lost: it is blocked from now on." in page
    assert _state(card) == "temporarily_lost"
    assert "Withdraw the loss report" in page and "Report the card lost" not in page
    assert "Temporarily reported lost" in page and "(Online)" in page  # history
    sms = PendingDelivery.objects.filter(recipient=card.holder.phone, purpose="card_loss").get()
    until = (timezone.localdate() + timedelta(days=7)).isoformat()  # the holder's language: Chinese by default
    assert sms.text == f"社保卡{card.card_number}：您的临时挂失已生效，将于{until}自动解除；如需正式挂失，请到服务网点办理。"
    # A second report (a stale page) changes nothing and says why.
    page = _follow(client, "cards:report_loss", card, "temporarily_lost")
    assert "The loss of this card has already been reported." in page
    page = _follow(client, "cards:withdraw_loss", card, "temporarily_lost")
    assert f"The loss report of card {card.card_number} is withdrawn: the card can be used again." in page
    assert _state(card) == "active"
    assert list(CardStatusChange.objects.filter(card=card).values_list("to_state", "channel")) == [
        ("temporarily_lost", "online"), ("active", "online")]


def test_a_page_read_before_another_change_is_told_the_card_changed(client):
    card = _card("active")
    client.force_login(card.holder)
    Card.objects.filter(pk=card.pk).update(state="temporarily_lost")  # e.g. the bank reported it meanwhile
    page = _follow(client, "cards:withdraw_loss", card, "active")
    assert "The card changed in the meantime (it is now: Temporarily reported lost)." in page
    assert _state(card) == "temporarily_lost" and not CardStatusChange.objects.exists()


@pytest.mark.parametrize(("state", "name", "message"), [
    ("sealed", "cards:report_loss", "This card has not been enabled yet."),
    ("formally_lost", "cards:withdraw_loss", "A formal loss report cannot be withdrawn. Apply for a replacement card instead."),
    ("active", "cards:withdraw_loss", "The card is already in this state."),
    ("cancelled", "cards:report_loss", "This card is no longer valid: it has been replaced, has expired or has been cancelled."),
])
def test_each_refusal_has_its_message_and_changes_nothing(client, state, name, message):
    card = _card(state)
    client.force_login(card.holder)
    page = _follow(client, name, card, state)
    assert message in page
    assert _state(card) == state and not CardStatusChange.objects.exists()
    assert not PendingDelivery.objects.filter(purpose="card_loss").exists()


def test_nobody_else_can_report_or_withdraw_my_card(client):
    card = _card("active")
    client.force_login(new_citizen("李四"))
    for name in ("cards:report_loss", "cards:withdraw_loss"):
        assert client.post(reverse(name, args=[card.card_number])).status_code == 404
    assert _state(card) == "active"
    with pytest.raises(CardError) as error:
        loss.report_temporary_loss(user=new_citizen("王五"), card=card)
    assert error.value.code == "not_yours"


def test_a_formal_loss_is_recorded_at_the_counter_and_cannot_be_withdrawn_online(client):
    card = _card("temporarily_lost")
    clerk = new_staff(["clerk"])
    loss.report_formal_loss(staff=clerk, card=card, reason="holder came to the counter")
    assert _state(card) == "formally_lost"
    row = CardStatusChange.objects.get(card=card)
    assert (row.channel, row.actor, row.note) == ("counter", clerk, "holder came to the counter")
    client.force_login(card.holder)
    page = client.get(reverse("cards:mine")).content.decode()
    assert "Withdraw the loss report" not in page and "Formally reported lost" in page
    with pytest.raises(CardError) as error:
        loss.withdraw_temporary_loss(user=card.holder, card=Card.objects.get(pk=card.pk))
    assert error.value.code == "formal_loss_final"


def test_a_formal_loss_needs_a_clerk_of_the_cards_area():
    card = _card("active")  # issued in district 420106
    with pytest.raises(CardError) as error:
        loss.report_formal_loss(staff=new_staff(["clerk"], areas=("district:420102",)), card=card)
    assert error.value.code == "area"
    from sscard.casework.services.base import CaseworkError
    with pytest.raises(CaseworkError):
        loss.report_formal_loss(staff=new_staff(["reviewer"]), card=card)
    assert _state(card) == "active"


def _reported_days_ago(card, days):
    loss.report_temporary_loss(user=card.holder, card=card)
    CardStatusChange.objects.filter(card=card).update(at=timezone.now() - timedelta(days=days))


def test_a_temporary_loss_lapses_after_the_configured_days_with_an_sms_in_the_holders_language():
    row = ServiceSettings.load()
    row.temporary_loss_days = 3
    row.save()
    old, recent = _card("active"), _card("active")
    set_preferred_language(user=old.holder, language="es")
    _reported_days_ago(old, 3)
    _reported_days_ago(recent, 2)
    assert loss.lapse_temporary_losses() == 1
    assert (_state(old), _state(recent)) == ("active", "temporarily_lost")
    last = CardStatusChange.objects.filter(card=old).order_by("-id").first()
    assert (last.to_state, last.channel, last.actor, last.note) == ("active", "system", None, "lapsed")
    sms = PendingDelivery.objects.filter(recipient=old.holder.phone).order_by("-id").first()
    assert sms.text == (f"Tarjeta de la seguridad social {old.card_number}: su comunicación de pérdida temporal ha "
                        "caducado al cabo de 3 días; la tarjeta se puede volver a usar. Si sigue perdida, comuníquelo "
                        "de nuevo o formalmente en una oficina de atención.")
    assert loss.lapse_temporary_losses() == 0  # nothing twice


def test_the_lapse_task_runs_from_beat(settings):
    from sscard.cards.tasks import lapse_temporary_losses
    assert settings.CELERY_BEAT_SCHEDULE["cards-lapse-temporary-losses"]["task"] == lapse_temporary_losses.name
    card = _card("active")
    _reported_days_ago(card, 8)
    assert lapse_temporary_losses.apply().get() == 1
    assert _state(card) == "active"
