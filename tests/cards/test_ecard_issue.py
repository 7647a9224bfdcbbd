"""The holder issues the electronic card on "My card" after an SMS code, for an active card only, one live e-card
per card; any state change of the physical card revokes it; the "My e-card" page shows a QR code of a signed
short-lived token that the citizen API renews."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sscard.accounts.models import SmsCode
from sscard.audit.models import AuditEvent
from sscard.cards import ecards, loss
from sscard.cards.models import ECard
from sscard.domain import ecard
from sscard.reference.models import ServiceSettings
from tests.cards.ecard_helpers import card_in, decode_qr_svg, issued, last_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_keys")]


def _page(client, card):
    return client.get(reverse("cards:ecard", args=[card.card_number])).content.decode()


def test_the_holder_issues_the_ecard_with_the_sms_code_and_sees_the_qr(client, django_capture_on_commit_callbacks):
    card = card_in("active")
    client.force_login(card.holder)
    assert "My e-card" in client.get(reverse("cards:mine")).content.decode()
    page = _page(client, card)
    assert "Issue the electronic social security card" in page and "<svg" not in page
    url = reverse("cards:ecard", args=[card.card_number])
    # A wrong code: refused next to the field, nothing issued.
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"action": "send_code"}, follow=True).content.decode()
    assert "A verification code was sent to" in page
    code = last_code(card.holder.phone)
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(url, {"action": "issue", "sms_code": wrong}).content.decode()
    assert "The code is wrong. You have 4 more tries." in page and not ECard.objects.exists()
    page = client.post(url, {"action": "issue", "sms_code": code}, follow=True).content.decode()
    assert "Your electronic social security card is issued." in page
    live = ECard.objects.get()
    assert live.card == card and live.live and len(live.ecard_id) == 16 and card.card_number not in live.ecard_id
    assert AuditEvent.objects.filter(event_type="card.ecard_issued", subject_id=card.card_number).exists()
    assert 'viewBox="0 0 ' in page and 'class="ecard-qr"' in page
    shown = re.search(r'<code id="ecard-token">([^<]+)</code>', page).group(1)
    assert decode_qr_svg(re.search(r"<svg.*?</svg>", page, re.S).group(0)) == shown
    assert "<title>QR code of your electronic social security card</title>" in page
    assert '<svg role="img" aria-label="QR code of your electronic social security card"' in page
    assert "Valid for 60 seconds" in page and 'src="/static/cards/ecard.js"' in page
    # The code is used up: it cannot issue again (and the card already has its e-card).
    page = client.post(url, {"action": "issue", "sms_code": code}, follow=True).content.decode()
    assert ECard.objects.count() == 1


@pytest.mark.parametrize("state", ["sealed", "temporarily_lost", "formally_lost", "cancelled"])
def test_only_an_active_card_gets_an_ecard(client, state, django_capture_on_commit_callbacks):
    card = card_in(state)
    client.force_login(card.holder)
    url = reverse("cards:ecard", args=[card.card_number])
    assert "Issue my e-card" not in _page(client, card)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"action": "send_code"}, follow=True).content.decode()
    assert "An electronic card can only be issued for an active card." in page
    page = client.post(url, {"action": "issue", "sms_code": "123456"}, follow=True).content.decode()
    assert "An electronic card can only be issued for an active card." in page
    assert not ECard.objects.exists()


def test_one_live_ecard_per_card(client, django_capture_on_commit_callbacks):
    card = card_in("active")
    first = issued(card, django_capture_on_commit_callbacks)
    client.force_login(card.holder)
    page = client.post(reverse("cards:ecard", args=[card.card_number]), {"action": "issue", "sms_code": "123456"},
                       follow=True).content.decode()
    assert "This card already has an electronic card" in page
    with pytest.raises(ecards.ECardError) as refused:
        ecards.issue_ecard(user=card.holder, card=card, sms_code="123456")
    assert refused.value.code == "ecard_exists"
    # The database refuses a second live row whatever the code does; a revoked one may stay beside it.
    with pytest.raises(IntegrityError), transaction.atomic():
        ECard.objects.create(card=card, ecard_id="x" * 16, issued_at=first.issued_at)
    ECard.objects.create(card=card, ecard_id="y" * 16, issued_at=first.issued_at, revoked_at=first.issued_at)
    assert ECard.objects.filter(card=card, revoked_at__isnull=True).count() == 1


def test_a_state_change_of_the_card_revokes_its_ecard(client, django_capture_on_commit_callbacks):
    card = card_in("active")
    live = issued(card, django_capture_on_commit_callbacks)
    client.force_login(card.holder)
    token_url = reverse("api-citizen:ecard_token", args=[card.card_number])
    assert client.get(token_url).status_code == 200
    loss.report_temporary_loss(user=card.holder, card=card)
    live.refresh_from_db()
    assert live.revoked_at is not None and live.revoked_reason == "temporarily_lost"
    assert AuditEvent.objects.filter(event_type="card.ecard_revoked", subject_id=card.card_number).exists()
    assert client.get(token_url).status_code == 404
    # Withdrawing the loss does not bring the old e-card back: the holder issues a new one.
    loss.withdraw_temporary_loss(user=card.holder, card=card)
    live.refresh_from_db()
    assert live.revoked_at is not None
    assert "Issue my e-card" in _page(client, card)
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))  # the resend interval is over
    cache.clear()
    again = issued(card, django_capture_on_commit_callbacks)
    assert again.ecard_id != live.ecard_id and again.live


def test_the_token_endpoint_answers_a_token_that_verifies_with_the_published_keys(
        client, django_capture_on_commit_callbacks):
    settings_row = ServiceSettings.load()
    settings_row.ecard_token_seconds = 90
    settings_row.save()
    card = card_in("active")
    live = issued(card, django_capture_on_commit_callbacks)
    client.force_login(card.holder)
    answer = client.get(reverse("api-citizen:ecard_token", args=[card.card_number]))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    data = answer.json()
    published = ecard.keys_from_jwks(client.get("/.well-known/sscard-ecard-keys.json").json())
    result = ecard.verify(data["token"], published, data["issued_at"] + 1)
    assert result.ok, result
    assert result.claims["card"] == live.ecard_id and result.claims["holder"] == "张*"
    assert result.claims["exp"] - result.claims["iat"] == 90 == data["lifetime_s"]
    assert data["expires_at"] == result.claims["exp"]
    assert card.card_number not in data["token"] and len(data["token"]) < 300
    # The QR code reads back (with a phone scanner's decoder) as the token, nothing else.
    assert decode_qr_svg(data["qr_svg"]) == data["token"]
    # Each call signs a new token (its own cti).
    assert client.get(reverse("api-citizen:ecard_token", args=[card.card_number])).json()["token"] != data["token"]


def test_somebody_elses_card_is_not_found(client, django_capture_on_commit_callbacks):
    card = card_in("active")
    issued(card, django_capture_on_commit_callbacks)
    other = card_in("active")
    client.force_login(other.holder)
    assert client.get(reverse("cards:ecard", args=[card.card_number])).status_code == 404
    assert client.get(reverse("api-citizen:ecard_token", args=[card.card_number])).status_code == 404
    client.logout()
    assert client.get(reverse("api-citizen:ecard_token", args=[card.card_number])).status_code == 401
