"""Expiry (the daily beat task `sscard.cards.expire_cards`: active cards past their expiry date become expired,
channel system, idempotent) and the card history in the admin (read-only, masked, every view audited)."""

from datetime import date

import pytest
from django.test import Client

from sscard.accounts import services as account_services
from sscard.audit.models import AuditEvent
from sscard.cards import cancellation, expiry
from sscard.cards.models import Card, CardStatusChange
from sscard.cards.services import change_card_state
from sscard.domain.casestates import State
from tests.casework.conftest import give_card, new_application, new_staff, wuchang

pytestmark = pytest.mark.django_db


def _card(state, expiry_date):
    card = give_card(new_application(state=State.IN_PRODUCTION))
    Card.objects.filter(pk=card.pk).update(state=state, expiry_date=expiry_date)
    card.refresh_from_db()
    return card


def _state(card):
    return Card.objects.get(pk=card.pk).state


# (state, expiry date) -> state after the run on 2036-11-02; the card is valid up to and including its expiry date
TODAY = date(2036, 11, 2)
CASES = [
    ("active", date(2036, 11, 1), "expired"),
    ("active", date(2030, 1, 1), "expired"),
    ("active", date(2036, 11, 2), "active"),   # last valid day
    ("active", date(2040, 1, 1), "active"),
    ("sealed", date(2030, 1, 1), "sealed"),   # never enabled: the machine has no sealed -> expired
    ("temporarily_lost", date(2030, 1, 1), "temporarily_lost"),
    ("formally_lost", date(2030, 1, 1), "formally_lost"),
    ("cancelled", date(2030, 1, 1), "cancelled"),
]


def test_active_cards_past_their_expiry_date_expire_once():
    cards = [(_card(state, until), after) for state, until, after in CASES]
    assert expiry.expire_cards(today=TODAY) == 2
    assert [_state(card) for card, _after in cards] == [after for _s, _u, after in CASES]
    rows = CardStatusChange.objects.order_by("id")
    assert [(r.card_id, r.from_state, r.to_state, r.channel, r.actor, r.note) for r in rows] == [
        (cards[0][0].pk, "active", "expired", "system", None, "expired"),
        (cards[1][0].pk, "active", "expired", "system", None, "expired")]
    assert expiry.expire_cards(today=TODAY) == 0  # idempotent
    assert CardStatusChange.objects.count() == 2


def test_the_expiry_task_runs_daily_from_beat(settings):
    from sscard.cards.tasks import expire_cards

    entry = settings.CELERY_BEAT_SCHEDULE["cards-expire-cards"]
    assert entry["task"] == expire_cards.name == "sscard.cards.expire_cards"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {5})
    card = _card("active", date(2026, 11, 2))  # the day after its issue date, long past
    assert expire_cards.apply().get() == 1
    assert _state(card) == "expired"


@pytest.fixture
def admin_client(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    root = account_services.create_staff(username="root", password="Root-pass-2026-x", real_name="管理员",
                                         is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(root)
    return client


def test_the_card_history_and_cancellations_are_read_only_masked_and_audited_in_the_admin(admin_client):
    card = _card("active", date(2036, 11, 1))
    clerk = new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"])
    change_card_state(card=card, to_state="formally_lost", actor=clerk, channel="counter", reason="at the counter")
    request = cancellation.request_cancellation(staff=clerk, card=card, reason="death")
    row = CardStatusChange.objects.get(card=card)
    for url, event in ((f"/django-admin/cards/cardstatuschange/{row.pk}/change/", "admin.record_viewed"),
                       ("/django-admin/cards/cardstatuschange/", "admin.list_viewed"),
                       (f"/django-admin/cards/cardcancellation/{request.pk}/change/", "admin.record_viewed"),
                       ("/django-admin/cards/cardcancellation/", "admin.list_viewed")):
        before = AuditEvent.objects.filter(event_type=event).count()
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert card.card_number in html
        assert clerk.real_name not in html and clerk.username in html  # the actor's name masked
        assert 'name="_save"' not in html
        assert AuditEvent.objects.filter(event_type=event).count() == before + 1, url
    assert admin_client.get("/django-admin/cards/cardstatuschange/add/").status_code == 403
    assert admin_client.post(f"/django-admin/cards/cardstatuschange/{row.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    assert admin_client.post(f"/django-admin/cards/cardcancellation/{request.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    assert CardStatusChange.objects.filter(pk=row.pk).exists()
