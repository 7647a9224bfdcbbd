"""Schemathesis against the settlement API's OpenAPI document (`/api/settlement/openapi.json`), with all checks
(the same configuration as tests/applications/test_api_schemathesis.py): unsigned, and signed by an approved
institution's key. The signature covers the exact body bytes, so it is computed just before each call from the
generated body, serialized as the WSGI transport does (`json.dumps`); each call gets a new nonce and so passes
the replay check. `ignored_auth` sends each signed request again unsigned and expects 401."""

import json
import secrets
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from sscard.domain import settlement_signing as signing
from sscard.settlement.keys import issue_key
from tests.applications.test_api_schemathesis import MAX_EXAMPLES, SEED, the_test_database_kept

from .conftest import institution, reseed_settlement

pytestmark = pytest.mark.django_db

# All checks on, as for the other APIs. One addition: a schema-valid request may be refused by a settlement
# rule the schema cannot express (the eligible amount above the bill, a visit id not registered, no card or e-card
# code given): 400 with the rule's code (docs/settlement.md, "Error codes"), so 400 is an expected answer to
# well-formed data besides the default ones.
ACCEPTED = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


def served_document(url):
    config = SchemathesisConfig.from_dict({
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
    })
    return schemathesis.openapi.from_wsgi(url, get_wsgi_application(), config=config)


unsigned = served_document("/api/settlement/openapi.json")
signed = served_document("/api/settlement/openapi.json")
PLACEHOLDER = "sha256=" + "0" * 64


@pytest.fixture
def institution_key():
    reseed_settlement()
    inst = institution()
    key_id, secret = issue_key(institution=inst, actor=None)
    return inst.code, key_id, secret.encode()


@signed.auth()
class InstitutionSignature:
    def get(self, case, context):
        return PLACEHOLDER

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), signing.HEADER_SIGNATURE: data}


def _body_bytes(body) -> bytes:
    if isinstance(body, bytes):
        return body
    if body is None:
        return b"null"
    if type(body).__name__ == "NotSet":  # no body generated: none is sent
        return b""
    return json.dumps(body).encode()


@unsigned.parametrize()
def test_unsigned_the_settlement_api_conforms_to_its_openapi_document(case):
    with the_test_database_kept():
        case.call_and_validate()


@signed.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_signed_the_settlement_api_conforms_to_its_openapi_document(case, institution_key):
    code, key_id, secret = institution_key
    headers = case.headers or {}
    if headers.get(signing.HEADER_SIGNATURE) == PLACEHOLDER:
        case.headers = {**headers, **signing.signed_headers(
            institution=code, key_id=key_id, secret=secret, method=case.method, path=case.formatted_path,
            body=_body_bytes(case.body),
            timestamp=int(time.time()), nonce=secrets.token_urlsafe(18))}
    with the_test_database_kept():
        case.call_and_validate()
