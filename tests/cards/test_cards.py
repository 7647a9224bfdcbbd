"""Issued cards: created sealed, masked when shown, visible only to their holder."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sscard.cards.models import Card, mask_account
from sscard.domain.casestates import State
from tests.casework.conftest import give_card, new_application, new_citizen

pytestmark = pytest.mark.django_db


def test_bank_accounts_are_masked():
    assert mask_account("6222021234567890123") == "6222 **** **** 0123"
    assert mask_account("12345678") == "****5678"
    assert mask_account("") == ""


def test_a_new_card_is_sealed_and_linked_to_application_and_holder():
    application = new_application(state=State.IN_PRODUCTION)
    card = give_card(application)
    assert card.state == "sealed"
    assert card.application == application and card.holder == application.applicant
    assert card.masked_holder_id_number == application.masked_id_number


def test_card_numbers_and_chip_identifiers_are_unique():
    a = new_application(state=State.IN_PRODUCTION)
    b = new_application(state=State.IN_PRODUCTION)
    give_card(a, number="X00000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        give_card(b, number="X00000001")


def test_expiry_must_follow_issue():
    application = new_application(state=State.IN_PRODUCTION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.create(application=application, holder=application.applicant, holder_id_number="1",
                            card_number="Z00000001", chip_id="0" * 32, issue_date=date(2026, 1, 1),
                            expiry_date=date(2025, 1, 1), bank=application.bank, bank_account="1" * 16,
                            manufacturer="m")


def test_my_cards_shows_only_my_cards_masked(client):
    application = new_application(state=State.IN_PRODUCTION)
    card = give_card(application, account="6222029999888877776")
    client.force_login(application.applicant)
    page = client.get(reverse("cards:mine")).content.decode()
    assert card.card_number in page and "6222 **** **** 7776" in page
    assert "6222029999888877776" not in page and application.subject_id_number not in page
    assert "I have received my card" not in page  # not posted
    stranger = new_citizen("李四")
    client.force_login(stranger)
    assert card.card_number not in client.get(reverse("cards:mine")).content.decode()
    assert client.post(reverse("cards:confirm_receipt", args=[card.card_number])).status_code == 404


def test_my_card_page_says_where_and_when_to_collect_a_card_that_is_ready(client):
    application = new_application(state=State.READY_FOR_PICKUP)
    card = give_card(application)
    outlet = application.outlet
    client.force_login(application.applicant)
    page = client.get(reverse("cards:mine")).content.decode()
    assert card.card_number in page
    assert f"Your card is ready for collection at {outlet.label}, {outlet.address}. Opening hours: {outlet.hours}." in page
    assert "I have received my card" not in page  # collected at the counter, not confirmed online
    breadcrumb = ('<a href="/accounts/">Personal space</a> › <a href="/accounts/home">My homepage</a> › '
                  "My social security card</nav>")
    assert breadcrumb in page
