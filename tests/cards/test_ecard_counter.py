"""The counter's verification page (/staff/ecard/verify): a clerk pastes or scans a token and sees the verifier's
result with its reason translated; for a card of the clerk's areas the masked holder and the card state; each
check is an audited staff read."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from sscard.audit.models import AuditEvent
from sscard.cards import ecards, loss
from sscard.domain import ecard
from sscard.domain.casestates import State
from tests.cards.ecard_helpers import card_in, issued
from tests.casework.conftest import new_application, new_staff, staff_client, wuchang

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_keys")]
URL = reverse("casework:ecard_verify")


@pytest.fixture
def counter():
    return new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"])


def _token(live):
    return ecards.current_token(user=live.card.holder, card=live.card).token


def _verify(client, token):
    response = client.post(URL, {"token": token})
    assert response.status_code == 200
    return response.content.decode()


def test_a_valid_ecard_shows_the_masked_holder_and_the_card_state(counter, django_capture_on_commit_callbacks):
    live = issued(card_in("active"), django_capture_on_commit_callbacks)
    client = staff_client(counter)
    assert "Verify an electronic card" in client.get(URL).content.decode()
    page = _verify(client, "  " + _token(live) + "\n")  # a scanner may add a line end
    assert "Valid electronic card" in page and "Valid: the e-card is genuine, current and not revoked." in page
    assert "张*" in page and live.card.masked_holder_id_number in page and "Active" in page
    assert live.card.holder_id_number not in page and "Code valid until" in page
    event = AuditEvent.objects.get(event_type="card.ecard_verified_at_counter")
    assert (event.actor_id, event.subject_type, event.subject_id) == (counter.pk, "card", live.card.card_number)
    assert event.data == {"outcome": "valid", "ecard": live.ecard_id}


# Written by hand: the sentence the clerk reads for each reason code.
REASONS = {
    "unreadable": "Unreadable: this is not an e-card code, or it was damaged or cut.",
    "unknown_key": "Unknown key: the code was not signed with a key of this service.",
    "expired": "Expired: the code is too old. Ask the holder to show the page again.",
    "revoked": "Revoked: the e-card no longer exists (the card was reported lost, replaced, cancelled or changed "
               "state).",
}


@pytest.mark.parametrize("reason", REASONS)
def test_each_refusal_is_explained(counter, reason, django_capture_on_commit_callbacks):
    live = issued(card_in("active"), django_capture_on_commit_callbacks)
    now = int(time.time())
    claims = ecard.make_claims(card=live.ecard_id, issuer="sscard", now=now - 300 if reason == "expired" else now)
    token = {"unreadable": "hello",
             "unknown_key": ecard.sign(claims, ecard.private_key_from_seed(b"\x01" * 32), "other"),
             "expired": ecard.sign(claims, *_site_key()),
             "revoked": _token(live)}[reason]
    if reason == "revoked":
        loss.report_temporary_loss(user=live.card.holder, card=live.card)
    page = _verify(staff_client(counter), token)
    assert "Refused" in page and REASONS[reason] in page and f"<code>{reason}</code>" in page
    # A revoked e-card names its card's state, so the clerk knows why.
    assert ("Temporarily reported lost" in page) == (reason == "revoked")
    assert AuditEvent.objects.get(event_type="card.ecard_verified_at_counter").data["outcome"] == reason


def _site_key():
    from sscard.cards.ecard_keys import key_store

    return key_store().private_key, key_store().kid


def test_the_reason_is_translated(counter, django_capture_on_commit_callbacks):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(counter)
    page = client.post(URL, {"token": "hello"}).content.decode()
    assert "无法识别" in page and "<code>unreadable</code>" in page
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(counter)
    assert "Ilegible" in client.post(URL, {"token": "hello"}).content.decode()


def test_a_card_of_another_area_shows_only_what_the_token_carries(counter, django_capture_on_commit_callbacks):
    elsewhere = card_in("active", new_application(district="420102", state=State.IN_PRODUCTION))
    live = issued(elsewhere, django_capture_on_commit_callbacks)
    page = _verify(staff_client(counter), _token(live))
    assert "Valid electronic card" in page and "issued outside your areas" in page
    assert "张*" in page and elsewhere.masked_holder_id_number not in page and "Active" not in page
    event = AuditEvent.objects.get(event_type="card.ecard_verified_at_counter")
    assert (event.subject_type, event.subject_id) == ("ecard", "")


def test_staff_without_the_counter_role_may_not_verify():
    reviewer = new_staff(["reviewer"])
    assert staff_client(reviewer).get(URL).status_code == 403
    assert staff_client(reviewer).post(URL, {"token": "hello"}).status_code == 403
    assert not AuditEvent.objects.filter(event_type="card.ecard_verified_at_counter").exists()
