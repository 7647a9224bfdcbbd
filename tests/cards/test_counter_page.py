"""The counter card page (/staff/counter/): a clerk finds a card of their areas by its number or the holder's ID
number, reads it masked (an audited read), and acts on it through the actions the state machine allows at a
counter: the formal loss report, the withdrawal of a temporary loss report, the cancellation request."""

import re

import pytest
from django.urls import reverse

from sscard.audit.models import AuditEvent
from sscard.cards.models import Card, CardStatusChange
from sscard.domain.casestates import State
from tests.casework.conftest import give_card, jiangan, new_application, new_staff, staff_client, wuchang

pytestmark = pytest.mark.django_db

ACCOUNT = "6222020000004321"


def _card(state="active"):
    card = give_card(new_application(state=State.IN_PRODUCTION), account=ACCOUNT)  # collected at Wuchang
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


def _clerk(outlet=None):
    return new_staff(["clerk"], areas=[f"outlet:{(outlet or wuchang()).pk}"])


def _state(card):
    return Card.objects.get(pk=card.pk).state


def _page(client, card):
    return client.get(reverse("casework:counter_card", args=[card.card_number])).content.decode()


def _act(client, card, action, data):
    return client.post(reverse("casework:counter_card_action", args=[card.card_number, action]),
                       {f"{action}-{k}": v for k, v in data.items()}, follow=True)


def test_a_clerk_finds_a_card_by_number_or_id_number_and_reads_it_masked_and_audited():
    card = _card("active")
    client = staff_client(_clerk())
    for query in (card.card_number, card.card_number.lower(), card.holder_id_number):
        response = client.get(reverse("casework:counter"), {"q": query})
        assert response.status_code == 302
        assert response["Location"] == reverse("casework:counter_card", args=[card.card_number])
    before = AuditEvent.objects.filter(event_type="cards.counter_card_viewed").count()
    page = _page(client, card)
    assert AuditEvent.objects.filter(event_type="cards.counter_card_viewed").count() == before + 1
    event = AuditEvent.objects.filter(event_type="cards.counter_card_viewed").order_by("-seq").first()
    assert event.subject_id == card.card_number
    assert card.card_number in page and card.masked_holder_id_number in page
    assert "6222 **** **** 4321" in page and ACCOUNT not in page
    assert card.holder_id_number not in page and card.holder.real_name not in page
    assert "Active" in page and "2036-11-01" in page
    # the searches are audited too, the ID number masked
    searches = AuditEvent.objects.filter(event_type="cards.counter_search").order_by("seq")
    assert searches.count() == 3
    assert card.holder_id_number not in str(searches.last().data)


def test_a_card_of_another_area_is_not_found_exactly_like_a_card_that_does_not_exist():
    card = _card("active")
    other = staff_client(_clerk(jiangan()))
    elsewhere = other.get(reverse("casework:counter"), {"q": card.card_number})
    missing = other.get(reverse("casework:counter"), {"q": "Z99999999"})
    assert elsewhere.status_code == missing.status_code == 200
    not_found = "No card with this number or ID number was found in your areas."
    assert not_found in elsewhere.content.decode() and not_found in missing.content.decode()
    def same(html):  # the page without the query echoed and the per-request CSRF token
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", html.replace(card.card_number, "Z99999999"))

    assert same(elsewhere.content.decode()) == same(missing.content.decode())
    by_id = other.get(reverse("casework:counter"), {"q": card.holder_id_number}).content.decode()
    assert not_found in by_id and card.card_number not in by_id
    assert other.get(reverse("casework:counter_card", args=[card.card_number])).status_code == 404
    assert other.get(reverse("casework:counter_card", args=["Z99999999"])).status_code == 404
    response = other.post(reverse("casework:counter_card_action", args=[card.card_number, "formal_loss"]),
                          {"formal_loss-expected_state": "active", "formal_loss-reason": "lost"})
    assert response.status_code == 404 and _state(card) == "active"
    assert not AuditEvent.objects.filter(event_type="cards.counter_card_viewed").exists()


def test_only_staff_with_the_counter_permission_use_the_page():
    card = _card("active")
    reviewer = staff_client(new_staff(["reviewer"]))
    assert reviewer.get(reverse("casework:counter")).status_code == 403
    assert reviewer.get(reverse("casework:counter_card", args=[card.card_number])).status_code == 403


# state -> the actions the page offers (written by hand from the domain brief: a formal loss at the counter from
# active or temporarily lost, a temporary loss withdrawn, any card but a cancelled one cancelled)
OFFERED = {
    "sealed": {"cancel"},
    "active": {"formal_loss", "cancel"},
    "temporarily_lost": {"formal_loss", "withdraw_loss", "cancel"},
    "formally_lost": {"cancel"},
    "replaced": {"cancel"},
    "expired": {"cancel"},
    "cancelled": set(),
}
ALL_ACTIONS = {"formal_loss", "withdraw_loss", "cancel"}


@pytest.mark.parametrize("state", list(OFFERED))
def test_the_page_offers_the_actions_the_state_machine_allows_at_a_counter(state):
    card = _card(state)
    page = _page(staff_client(_clerk()), card)
    shown = {name for name in ALL_ACTIONS if f'id="action-{name}"' in page}
    assert shown == OFFERED[state]
    if not OFFERED[state]:
        assert "Nothing can be done for this card at the counter." in page


def test_a_formal_loss_is_recorded_through_the_page_and_cannot_be_withdrawn():
    card = _card("temporarily_lost")
    clerk = _clerk()
    client = staff_client(clerk)
    response = _act(client, card, "formal_loss", {"expected_state": "temporarily_lost",
                                                  "reason": "Lost on the metro, holder came in person"})
    page = response.content.decode()
    assert f"Card {card.card_number} is formally reported lost." in page
    assert _state(card) == "formally_lost"
    row = CardStatusChange.objects.get(card=card)
    assert (row.from_state, row.to_state, row.channel, row.actor, row.note) == (
        "temporarily_lost", "formally_lost", "counter", clerk, "Lost on the metro, holder came in person")
    assert "Lost on the metro, holder came in person" in page and "At a service outlet" in page  # history
    assert 'id="action-withdraw_loss"' not in page and 'id="action-formal_loss"' not in page
    # A withdrawal posted anyway (an old page) is refused with its message and changes nothing.
    page = _act(client, card, "withdraw_loss", {"expected_state": "formally_lost"}).content.decode()
    assert "A formal loss report cannot be withdrawn. Apply for a replacement card instead." in page
    assert _state(card) == "formally_lost" and CardStatusChange.objects.filter(card=card).count() == 1


def test_a_formal_loss_needs_its_reason():
    card = _card("active")
    client = staff_client(_clerk())
    response = client.post(reverse("casework:counter_card_action", args=[card.card_number, "formal_loss"]),
                           {"formal_loss-expected_state": "active", "formal_loss-reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert _state(card) == "active" and not CardStatusChange.objects.exists()


@pytest.mark.parametrize(("state", "action", "data", "message"), [
    # a page read before another change: the card changed in the meantime
    ("temporarily_lost", "formal_loss", {"expected_state": "active", "reason": "x"},
     "The card changed in the meantime (it is now: Temporarily reported lost)."),
    ("formally_lost", "formal_loss", {"expected_state": "formally_lost", "reason": "x"},
     "The loss of this card has already been reported."),
    ("sealed", "formal_loss", {"expected_state": "sealed", "reason": "x"}, "This card has not been enabled yet."),
    ("cancelled", "formal_loss", {"expected_state": "cancelled", "reason": "x"},
     "This card is no longer valid: it has been replaced, has expired or has been cancelled."),
    ("active", "withdraw_loss", {"expected_state": "active"}, "The card is already in this state."),
])
def test_each_refusal_at_the_counter_has_its_message_and_changes_nothing(state, action, data, message):
    card = _card(state)
    page = _act(staff_client(_clerk()), card, action, data).content.decode()
    assert message in page
    assert _state(card) == state and not CardStatusChange.objects.exists()


def test_a_temporary_loss_is_withdrawn_at_the_counter():
    card = _card("temporarily_lost")
    clerk = _clerk()
    page = _act(staff_client(clerk), card, "withdraw_loss", {"expected_state": "temporarily_lost"}).content.decode()
    assert f"The loss report of card {card.card_number} is withdrawn: the card can be used again." in page
    assert _state(card) == "active"
    assert list(CardStatusChange.objects.filter(card=card).values_list("to_state", "channel", "actor")) == [
        ("active", "counter", clerk.pk)]


def test_an_unknown_action_is_not_found():
    card = _card("active")
    response = staff_client(_clerk()).post(reverse("casework:counter_card_action",
                                                   args=[card.card_number, "unlock_everything"]), {})
    assert response.status_code == 404


def test_another_piece_adds_a_counter_action_by_registering_it(monkeypatch):
    """How unlock PIN, the hand-over of a replacement or a counter payment join the page: one registration."""
    from sscard.cards import counter_actions
    from sscard.cards.counter_forms import CardStateForm

    calls = []
    monkeypatch.setitem(counter_actions.COUNTER_ACTIONS, "probe", counter_actions.CounterAction(
        name="probe", template="cards/counter/_withdraw_loss.html", form_class=CardStateForm,
        available=lambda card, staff: card.state == "active",
        run=lambda request, card, data: calls.append((card.card_number, data["expected_state"])) or "Probe done.",
        order=50))
    card = _card("active")
    client = staff_client(_clerk())
    page = _page(client, card)
    assert 'id="action-probe"' in page
    assert page.index('id="action-formal_loss"') < page.index('id="action-probe"') < page.index('id="action-cancel"')
    assert "Probe done." in _act(client, card, "probe", {"expected_state": "active"}).content.decode()
    assert calls == [(card.card_number, "active")]
    assert 'id="action-probe"' not in _page(client, _card("sealed"))
