"""A token is accepted once: a terminal that uses it (POST /api/v1/ecard/uses) or a counter that verifies it records
its token id; the same token again is refused as `replayed` (a copy, a screenshot, a second scan). The plain status
check (GET) records nothing, so a terminal may ask it as often as it likes."""

import json

import pytest
from django.urls import reverse

from sscard.cards import ecards
from sscard.cards.models import ECardTokenUse
from tests.cards.ecard_helpers import card_in, issued
from tests.casework.conftest import new_staff, staff_client, wuchang

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_keys")]
USES = "/api/v1/ecard/uses"


@pytest.fixture
def live(django_capture_on_commit_callbacks):
    return issued(card_in("active"), django_capture_on_commit_callbacks)


def _token(live):
    return ecards.current_token(user=live.card.holder, card=live.card).token


def _use(client, token):
    answer = client.post(USES, json.dumps({"token": token}), content_type="application/json")
    assert answer.status_code == 200
    return answer.json()


def test_a_terminal_uses_a_token_once_and_the_second_use_is_replayed(client, live):
    token = _token(live)
    first, second = _use(client, token), _use(client, token)
    assert (first["status"], first["valid"]) == ("valid", True)
    assert (second["status"], second["valid"]) == ("replayed", False)
    assert ECardTokenUse.objects.filter(ecard_id=live.ecard_id, by="terminal").count() == 1
    # A fresh token of the same e-card is a new code: accepted once too.
    assert _use(client, _token(live))["status"] == "valid"


def test_the_status_check_records_no_use(client, live):
    token = _token(live)
    for _ in range(3):
        assert client.get("/api/v1/ecard/status", {"token": token}).json()["status"] == "valid"
    assert not ECardTokenUse.objects.exists()
    assert _use(client, token)["status"] == "valid"


def test_an_invalid_token_is_not_recorded_and_keeps_its_own_reason(client, live):
    assert _use(client, "SSC1:NOT A TOKEN")["status"] == "unreadable"
    assert not ECardTokenUse.objects.exists()


def test_the_counter_refuses_a_code_shown_a_second_time(live):
    client = staff_client(new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"]))
    token = _token(live)
    url = reverse("casework:ecard_verify")
    first = client.post(url, {"token": token}).content.decode()
    second = client.post(url, {"token": token}).content.decode()
    assert "Valid: the e-card is genuine, current and not revoked." in first
    assert "Already used: this code was shown before. Ask the holder to show a fresh code." in second
    # A terminal cannot use the code the counter already accepted.
    assert ecards.use_token(ecards.check_token(token), by="terminal").status == "replayed"
