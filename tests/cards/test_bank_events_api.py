"""Schemathesis against the bank API's served OpenAPI document (`/api/banks/openapi.json`), without a bank's
signature: every operation answers in its declared shape (401 `bad_signature` / `unknown_bank`, 405 with
`Allow`), whatever is generated. The signed calls are tested in test_bank_events_incoming.py."""

import pytest

from tests.applications.test_api_schemathesis import served_document, the_test_database_kept

pytestmark = pytest.mark.django_db

unsigned = served_document("/api/banks/openapi.json")


@unsigned.parametrize()
def test_unsigned_the_bank_api_conforms_to_its_openapi_document(case):
    with the_test_database_kept():
        case.call_and_validate()
