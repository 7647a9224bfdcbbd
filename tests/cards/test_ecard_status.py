"""The online status check terminals call (public API): one answer per reason code, by token or by e-card id,
rate-limited per client, written to the access log (never the audit chain); the list of revoked e-cards."""

import json
import time
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import override_settings

from sscard.audit.models import AccessEvent, AuditEvent
from sscard.cards import ecards, loss
from sscard.cards.management.commands import verify_ecard
from sscard.domain import ecard
from tests.cards.ecard_helpers import card_in, issued

pytestmark = pytest.mark.django_db
STATUS = "/api/v1/ecard/status"
OTHER_KEY = ecard.private_key_from_seed(bytes([7]) * 32)


def _ask(client, *, token=None, ecard_id=None):
    if ecard_id is not None:
        return client.get(f"/api/v1/ecard/{ecard_id}/status")
    return client.get(f"{STATUS}?{urlencode({'token': token} if token is not None else {})}")


@pytest.fixture
def live(site_keys, django_capture_on_commit_callbacks):
    card = card_in("active")
    return issued(card, django_capture_on_commit_callbacks)


def _claims(live, now, lifetime=60):
    return ecard.make_claims(card=live.ecard_id, issuer="sscard", now=now, lifetime_s=lifetime, holder="张*")


# Written by hand: how each token is made, and the answer a terminal gets.
CASES = {
    "valid": lambda live, keys, now: ecard.sign(_claims(live, now), keys.private_key, keys.kid),
    "unreadable": lambda live, keys, now: "SSC1:NOT A TOKEN",
    "unknown_key": lambda live, keys, now: ecard.sign(_claims(live, now), OTHER_KEY, "retired-2020"),
    "bad_signature": lambda live, keys, now: ecard.sign(_claims(live, now), OTHER_KEY, keys.kid),
    "expired": lambda live, keys, now: ecard.sign(_claims(live, now - 120), keys.private_key, keys.kid),
    "not_yet_valid": lambda live, keys, now: ecard.sign(_claims(live, now + 600), keys.private_key, keys.kid),
}


@pytest.mark.parametrize("expected", [*CASES, "revoked"])
def test_each_token_gets_its_reason_code(client, live, site_keys, expected):
    now = int(time.time())
    if expected == "revoked":
        token = CASES["valid"](live, site_keys, now)
        loss.report_temporary_loss(user=live.card.holder, card=live.card)
    else:
        token = CASES[expected](live, site_keys, now)
    answer = _ask(client, token=token)
    assert answer.status_code == 200
    data = answer.json()
    assert data["status"] == expected and data["valid"] == (expected == "valid")
    assert abs(data["checked_at"] - now) <= 5
    assert (data["expires_at"] == now + 60) if expected == "valid" else data["expires_at"] is None


def test_the_holders_own_token_is_valid_then_revoked_by_a_loss(client, live):
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    assert _ask(client, token=token).json()["status"] == "valid"
    assert _ask(client, ecard_id=live.ecard_id).json()["status"] == "valid"
    loss.report_temporary_loss(user=live.card.holder, card=live.card)
    assert _ask(client, token=token).json()["status"] == "revoked"
    assert _ask(client, ecard_id=live.ecard_id).json() | {"checked_at": 0} == {
        "status": "revoked", "valid": False, "checked_at": 0, "expires_at": None}


def test_an_id_never_issued_is_revoked(client, live):
    assert _ask(client, ecard_id="A" * 16).json()["status"] == "revoked"


@pytest.mark.parametrize("params", [{}, {"token": ""}, {"token": "S" * 1025}, {"ecard_id": "short"},
                                    {"ecard_id": "A" * 15 + "!"}, {"ecard_id": "A" * 17}])
def test_malformed_requests_are_refused(client, site_keys, params):
    answer = _ask(client, **params)
    assert answer.status_code in (404, 422)  # a malformed id does not match the path
    assert answer.json()["code"] in ("invalid_request", "not_found")


def test_status_checks_go_to_the_access_log_not_the_audit_chain(client, live):
    before = AuditEvent.objects.count()
    _ask(client, ecard_id=live.ecard_id)
    _ask(client, token="SSC1:garbage")
    rows = list(AccessEvent.objects.filter(event_type="card.ecard_status").order_by("id")
                .values_list("subject_id", "data"))
    assert rows == [(live.ecard_id, {"outcome": "valid", "by": "id"}), ("", {"outcome": "unreadable", "by": "token"})]
    assert AuditEvent.objects.count() == before


@override_settings(ECARD_STATUS_PER_MINUTE=2)
def test_the_status_check_is_rate_limited_per_client(client, live):
    assert _ask(client, ecard_id=live.ecard_id).status_code == 200
    assert _ask(client, ecard_id=live.ecard_id).status_code == 200
    answer = _ask(client, ecard_id=live.ecard_id)
    assert answer.status_code == 429 and answer.json()["code"] == "rate_limited"
    assert 1 <= int(answer["Retry-After"]) <= 60
    assert AccessEvent.objects.filter(event_type="card.ecard_status_rate_limited").count() == 1


def test_the_revoked_list_names_the_ecards_revoked_since_a_time(client, live):
    since = int(time.time()) - 5
    assert client.get(f"/api/v1/ecard/revoked?since={since}").json()["revoked"] == []
    loss.report_temporary_loss(user=live.card.holder, card=live.card)
    data = client.get(f"/api/v1/ecard/revoked?since={since}").json()
    assert [row["ecard_id"] for row in data["revoked"]] == [live.ecard_id] and data["complete"] is True
    assert abs(data["revoked"][0]["revoked_at"] - time.time()) < 10
    later = int(time.time()) + 5
    assert client.get(f"/api/v1/ecard/revoked?since={later}").json()["revoked"] == []


class _ViaTestClient:
    """`requests.get` answered by the Django test client (the command asks the service over HTTP)."""

    def __init__(self, client):
        self.client, self.urls = client, []

    def get(self, url, **kwargs):
        self.urls.append(url)
        answer = self.client.get(url.removeprefix("https://sscard.example"))
        return type("Answer", (), {"status_code": answer.status_code, "json": staticmethod(answer.json)})


def test_verify_ecard_online_asks_the_status_and_reports_a_revocation(client, live, monkeypatch):
    fake = _ViaTestClient(client)
    monkeypatch.setattr(verify_ecard.requests, "get", fake.get)
    token = ecards.current_token(user=live.card.holder, card=live.card).token
    out = StringIO()
    call_command("verify_ecard", token, "--online", "https://sscard.example/", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["valid"] is True and answer["online"]["status"] == "valid"
    assert fake.urls[0].startswith("https://sscard.example/api/v1/ecard/status?token=SSC1%3A")
    loss.report_temporary_loss(user=live.card.holder, card=live.card)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_ecard", token, "--online", "https://sscard.example", stdout=out)
    assert exit_code.value.code == 1
    answer = json.loads(out.getvalue())
    assert answer["valid"] is False and answer["reason"] == "revoked" and answer["claims"]["card"] == live.ecard_id
