"""cards.services.change_card_state: the one way a card's state changes (history row, audit event, one
transaction, row lock: of two concurrent actions one wins, the other is told the card changed)."""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection

from sscard.audit.models import AuditEvent
from sscard.cards.models import Card, CardStatusChange
from sscard.cards.services import CardError, change_card_state
from sscard.domain.casestates import State
from tests.casework.conftest import give_card, new_application


def _card(state="sealed"):
    card = give_card(new_application(state=State.IN_PRODUCTION))
    if state != "sealed":
        Card.objects.filter(pk=card.pk).update(state=state)
        card.refresh_from_db()
    return card


@pytest.mark.django_db
def test_a_change_writes_state_history_and_audit_event():
    card = _card()
    holder = card.holder
    change_card_state(card=card, to_state="active", actor=holder, channel="online", reason="enabled")
    card.refresh_from_db()
    assert card.state == "active"
    row = CardStatusChange.objects.get(card=card)
    assert (row.from_state, row.to_state, row.channel, row.note, row.actor) == (
        "sealed", "active", "online", "enabled", holder)
    assert row.at is not None
    event = AuditEvent.objects.filter(event_type="card.state_changed").get()
    assert event.subject_id == card.card_number
    assert event.data["from"] == "sealed" and event.data["to"] == "active" and event.data["channel"] == "online"


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "to_state", "channel", "code"), [
    ("temporarily_lost", "temporarily_lost", "online", "already_lost"),
    ("formally_lost", "active", "online", "formal_loss_final"),
    ("active", "formally_lost", "online", "counter_only"),
    ("sealed", "temporarily_lost", "online", "not_enabled"),
    ("cancelled", "active", "counter", "card_void"),
])
def test_a_refused_change_changes_nothing(state, to_state, channel, code):
    card = _card(state)
    events = AuditEvent.objects.count()
    with pytest.raises(CardError) as error:
        change_card_state(card=card, to_state=to_state, actor=card.holder, channel=channel)
    assert error.value.code == code
    card.refresh_from_db()
    assert card.state == state
    assert not CardStatusChange.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_stale_card_is_refused_with_card_changed():
    card = _card("active")
    stale = Card.objects.get(pk=card.pk)
    change_card_state(card=card, to_state="temporarily_lost", actor=card.holder, channel="online")
    with pytest.raises(CardError) as error:  # the page was read while the card was active
        change_card_state(card=stale, to_state="temporarily_lost", actor=card.holder, channel="online")
    assert error.value.code == "card_changed"
    from django.utils import translation
    with translation.override("en"):
        assert error.value.translated() == ("The card changed in the meantime (it is now: Temporarily reported lost). "
                                            "Please look at it again.")
    with pytest.raises(CardError) as error:
        change_card_state(card=card, to_state="active", actor=card.holder, channel="online", expected_state="active")
    assert error.value.code == "card_changed"
    assert CardStatusChange.objects.count() == 1


def _retrying(fn, attempts=400):
    for _ in range(attempts):
        try:
            return fn()
        except OperationalError as error:  # SQLite: "database is locked"
            if "locked" not in str(error):
                raise
            time.sleep(0.025)
    raise AssertionError("database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_actions_one_wins_the_other_is_told_the_card_changed():
    card = _card("temporarily_lost")
    # The holder withdraws the loss online while a clerk records a formal loss at the counter.
    actions = [("active", "online"), ("formally_lost", "counter")]
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def worker(i):
        to_state, channel = actions[i]
        try:
            seen = Card.objects.get(pk=card.pk)
            barrier.wait(timeout=10)
            try:
                _retrying(lambda: change_card_state(card=seen, to_state=to_state, channel=channel,
                                                    expected_state="temporarily_lost"))
                outcomes.append("won")
            except CardError as error:
                outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(outcomes) == ["card_changed", "won"]
    assert CardStatusChange.objects.filter(card_id=card.pk).count() == 1
    card.refresh_from_db()
    assert card.state == CardStatusChange.objects.get(card_id=card.pk).to_state


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "expected"), [
    ("zh-hans", "该卡已挂失，无需重复挂失。"),
    ("es", "La pérdida de esta tarjeta ya se ha comunicado."),
])
def test_a_second_loss_report_is_refused_in_the_holders_language(lang, expected):
    from django.utils import translation
    card = _card("temporarily_lost")
    with pytest.raises(CardError) as error:
        change_card_state(card=card, to_state="temporarily_lost", actor=card.holder, channel="online")
    with translation.override(lang):
        assert error.value.translated() == expected
