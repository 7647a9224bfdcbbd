"""Issue 9: a stranger who knows a citizen's phone must not be able to lock the citizen out from one client.

Failures lock the pair (account, client address) at AXES_FAILURE_LIMIT (5); the failures of all clients on one
account lock it for everyone at LOGIN_ACCOUNT_FAILURE_LIMIT (higher).
"""

import pytest
from django.test import Client

from sscard.audit.models import AuditEvent

from .conftest import PASSWORD

LOGIN = "/accounts/login"


def browser(address: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)


def fail(client, identifier) -> int:
    return client.post(LOGIN, {"identifier": identifier, "password": "nope-nope"}).status_code


@pytest.mark.django_db
def test_five_failures_from_one_client_lock_that_client_only(citizen):
    stranger, owner = browser("10.0.0.1"), browser("10.0.0.2")
    # the stranger tries every spelling of the citizen's identifier: it is one account all the same
    spellings = [citizen.phone, citizen.id_number, citizen.id_number.lower(), citizen.phone]
    assert [fail(stranger, identifier) for identifier in spellings] == [200, 200, 200, 200]
    assert fail(stranger, citizen.id_number) == 429
    assert stranger.post(LOGIN, {"identifier": citizen.phone, "password": PASSWORD}).status_code == 429
    assert AuditEvent.objects.filter(event_type="login.locked_out").exists()
    # the citizen, from their own address, is not locked out
    response = owner.post(LOGIN, {"identifier": citizen.phone, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/"


@pytest.mark.django_db
def test_failures_from_many_clients_lock_the_account_for_everyone_at_the_higher_threshold(citizen, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    # 3 clients x 4 failures: below the per-client limit of 5 everywhere, 12 on the account
    for n in range(3):
        client = browser(f"10.0.1.{n}")
        identifiers = [citizen.phone, citizen.id_number, citizen.phone, citizen.id_number.lower()]
        assert [fail(client, identifier) for identifier in identifiers] == [200, 200, 200, 200 if n < 2 else 429]
    owner = browser("10.0.2.1")
    response = owner.post(LOGIN, {"identifier": citizen.phone, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


@pytest.mark.django_db
def test_below_the_account_threshold_other_clients_log_in(citizen, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    for n in range(2):
        client = browser(f"10.0.3.{n}")
        assert [fail(client, citizen.phone) for _ in range(4)] == [200, 200, 200, 200]
    response = browser("10.0.3.9").post(LOGIN, {"identifier": citizen.id_number, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_give_a_fresh_client(citizen, settings):
    settings.TRUSTED_PROXY_HOPS = 0  # no proxy in front: X-Forwarded-For is whatever the client says
    stranger = browser("10.0.4.1")
    statuses = [stranger.post(LOGIN, {"identifier": citizen.phone, "password": "nope-nope"},
                              HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
