"""Schemathesis against every served OpenAPI document: the public API's (`/api/public/openapi.json`) logged
out, the citizen API's (`/api/citizen/openapi.json`) logged out and logged in, `/api/openapi.json` (all
of `/api/v1/` in one document, kept for existing clients) logged out, and the transit operators' API
(`/api/transit/openapi.json`) without and with an operator's bearer token.

Every operation of the document is called with generated requests (the schema's examples, the coverage phase's
boundary and negative values, then a fixed budget of random ones) and every answer goes through all of
Schemathesis' checks: no server error, only declared status codes, content types and headers, bodies that match
their declared schema, malformed input rejected, well-formed input accepted, 401 without the session, 405 with
`Allow` for the methods an operation does not take. Zero failures allowed.

Reproducible: a fixed seed, Hypothesis derandomized, no example database. The application under test is the
Django WSGI application itself, in this test's database (SQLite or PostgreSQL, whichever the run uses).

Logged in = the session cookie of a demo citizen created through the services, who has submitted an
application; the session's requests also carry the CSRF cookie and `X-CSRFToken` header, as the API's own
documentation asks of a client, so the write operations get past the CSRF check (its failure is covered by
tests/applications/test_api_errors.py). The public progress look-up is rate-limited: Schemathesis runs into
its 429.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from sscard.accounts import services as accounts
from sscard.cards import transit_operators
from sscard.ops.management.commands.load_demo import CITIZENS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

# Random examples per operation and mode (valid and invalid data), on top of the examples and coverage phases.
MAX_EXAMPLES = 250
SEED = 20261201


def schemathesis_config() -> SchemathesisConfig:
    # All checks are on by default; nothing is turned off here.
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    })


@contextmanager
def the_test_database_kept():
    """As Django's test client does around each request: the request signals must not close the test's
    database connection (the test runs in a transaction on it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Cases are generated (some at collection) before the session exists: the auth provider below puts these
# placeholders in, and the logged-in test swaps in the session's real values just before each call.
SESSION_PLACEHOLDER = "demo-citizen-session"
CSRF_PLACEHOLDER = "demo-citizen-csrf-token"


@pytest.fixture
def demo_citizen_session(fill, submit):
    """A demo citizen created through the account services, logged in through the login page, with one
    submitted application: {placeholder: real value} for the session cookie and the CSRF token."""
    person = CITIZENS[0]
    user = accounts.create_citizen(document_type="resident_id", password=DEMO_PASSWORD, channel="demo", **person)
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = browser.post(reverse("accounts:login"), {"identifier": person["phone"], "password": DEMO_PASSWORD})
    assert response.status_code == 302 and int(browser.session["_auth_user_id"]) == user.pk
    fill(browser)
    assert submit(browser).status_code == 302
    browser.get(reverse("applications:progress"))  # sets the CSRF cookie
    return {SESSION_PLACEHOLDER: browser.cookies["sessionid"].value,
            CSRF_PLACEHOLDER: browser.cookies["csrftoken"].value}


def served_document(url):
    return schemathesis.openapi.from_wsgi(url, get_wsgi_application(), config=schemathesis_config())


public_logged_out = served_document("/api/public/openapi.json")
citizen_logged_out = served_document("/api/citizen/openapi.json")
logged_in = served_document("/api/citizen/openapi.json")
combined_logged_out = served_document("/api/openapi.json")


@combined_logged_out.parametrize()
def test_the_document_of_all_v1_operations_conforms_too(case):
    with the_test_database_kept():
        case.call_and_validate()


@logged_in.auth()
class DemoCitizenSession:
    """The citizen's credentials as Schemathesis' explicit auth (the operations' `CitizenSession` cookie, plus
    the CSRF cookie and header that session writes need): `ignored_auth` then sends each authenticated
    request again without them, and with a made-up session, and expects 401 or 403."""

    def get(self, case, context):
        return {"sessionid": SESSION_PLACEHOLDER, "csrftoken": CSRF_PLACEHOLDER}

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), **data}
        case.headers = {**(case.headers or {}), "X-CSRFToken": data["csrftoken"]}


@public_logged_out.parametrize()
def test_the_public_api_conforms_to_its_openapi_document(case):
    with the_test_database_kept():
        case.call_and_validate()


@citizen_logged_out.parametrize()
def test_logged_out_the_citizen_api_conforms_to_its_openapi_document(case):
    with the_test_database_kept():
        case.call_and_validate()


@logged_in.parametrize()
# The one session is meant to last across all generated requests, as a client's would.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_logged_in_the_citizen_api_conforms_to_its_openapi_document(case, demo_citizen_session):
    for container in (case.cookies, case.headers):
        for name, value in list((container or {}).items()):
            if isinstance(value, str) and value in demo_citizen_session:
                container[name] = demo_citizen_session[value]
    with the_test_database_kept():
        case.call_and_validate()


# --- The transit operators' API (sscard.api.transit): bearer token per operator -----------------------------

transit_without_token = served_document("/api/transit/openapi.json")
transit_with_token = served_document("/api/transit/openapi.json")
TOKEN_PLACEHOLDER = "sht_000000000000." + "P" * 43


@pytest.fixture
def transit_token():
    """A transit operator created through the services, and its token (real value of the placeholder)."""
    operator = transit_operators.create_operator(code="whbus", name="Wuhan bus", cities=["420100"])
    return transit_operators.issue_token(operator=operator)


@transit_with_token.auth()
class TransitOperatorToken:
    """The operator's bearer token: `ignored_auth` then sends each request again without it and with a made-up
    one, and expects 401."""

    def get(self, case, context):
        return TOKEN_PLACEHOLDER

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@transit_without_token.parametrize()
def test_without_a_token_the_transit_api_conforms_to_its_openapi_document(case):
    with the_test_database_kept():
        case.call_and_validate()


@transit_with_token.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_with_a_token_the_transit_api_conforms_to_its_openapi_document(case, transit_token):
    headers = case.headers or {}
    if TOKEN_PLACEHOLDER in headers.get("Authorization", ""):
        headers["Authorization"] = headers["Authorization"].replace(TOKEN_PLACEHOLDER, transit_token)
    with the_test_database_kept():
        case.call_and_validate()
