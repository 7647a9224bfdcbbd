import pytest
from django.core.management import call_command
from django.urls import reverse

from sscard.accounts.models import User


@pytest.fixture(autouse=True)
def fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.MEDIA_ROOT = tmp_path / "private"  # the demo card's photo


@pytest.mark.django_db
def test_demo_data_loads_once_and_prints_the_accounts(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    count = User.objects.count()
    assert count == 8  # two citizens, five back office roles, a records officer
    assert "13800138000" in first and "reviewer" in first
    call_command("load_demo")
    assert User.objects.count() == count
    assert "already loaded" in capsys.readouterr().out
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.is_staff and reviewer.has_perm("casework.review_case")
    assert not User.objects.get(username="auditor").has_perm("casework.review_case")
    assert User.objects.get(username="records").has_perm("records.review_employer")
    from sscard.records.models import Employer, Enrolment

    employer = Employer.objects.get()
    assert employer.state == "approved" and employer.registered_by.real_name == "张三"
    assert list(Enrolment.objects.values_list("name", "end_month")) == [("李四", None)]


@pytest.mark.django_db
def test_the_first_demo_citizen_has_a_card_in_use_with_a_pin_and_a_history(capsys, client):
    from sscard.applications.models import Application
    from sscard.cards import pin
    from sscard.cards.models import Card, CardPin

    call_command("load_demo")
    assert "D00000001 of 张三: active, PIN 258036" in capsys.readouterr().out
    card = Card.objects.get()
    assert (card.card_number, card.state, card.holder.real_name) == ("D00000001", "active", "张三")
    assert card.application.state == "collected" and card.delivered_at is not None
    # Hand-written: enabled at the counter, reported lost online, the report withdrawn online.
    assert [(c.to_state, c.channel) for c in card.changes.order_by("pk")] == [
        ("active", "counter"), ("temporarily_lost", "online"), ("active", "online")]
    assert not CardPin.objects.get(card=card).is_initial
    pin.verify_pin(card=card, pin="258036")  # raises when wrong
    call_command("load_demo")
    assert Card.objects.count() == 1 and Application.objects.count() == 1

    client.force_login(card.holder)
    page = client.get(reverse("cards:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "D00000001" in page and "Report the card lost" in page and "Temporarily reported lost" in page
