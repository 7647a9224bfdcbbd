"""The citizen's own applications over the JSON API (session login; CSRF on writes); OpenAPI."""

import re

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard.applications.models import Application
from sscard.domain import officecode

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(logged_in, fill, submit):
    fill(logged_in)
    submit(logged_in)
    return Application.objects.get()


def test_my_applications_needs_a_login(client, db):
    assert client.get("/api/v1/applications").status_code == 401


def test_my_applications_lists_only_mine_masked(logged_in, application, citizen, make_citizen):
    body = logged_in.get("/api/v1/applications").json()
    assert [a["office_code"] for a in body] == [application.display_code]
    item = body[0]
    assert item["subject_id_number_masked"] == citizen.masked_id_number
    assert citizen.id_number not in str(body)
    assert item["stage"] == "submitted" and item["can_withdraw"] is True
    assert [h["state"] for h in item["history"]] == ["submitted"]
    other = Client()
    other.force_login(make_citizen(name="王五"))
    assert other.get("/api/v1/applications").json() == []
    assert other.get(f"/api/v1/applications/{application.office_code}").status_code == 404
    assert logged_in.get(f"/api/v1/applications/{application.display_code.lower()}").status_code == 200


def test_staff_sessions_are_not_citizens(client, db, application):
    from sscard.accounts.models import User

    staff = User.objects.create_user(username="rev", password="x-Strong-pass-1", is_staff=True)
    client.force_login(staff)
    assert client.get("/api/v1/applications").status_code == 401


def test_withdraw_over_the_api_needs_the_csrf_token(citizen, application):
    c = Client(enforce_csrf_checks=True)
    c.force_login(citizen)
    url = f"/api/v1/applications/{application.office_code}/withdraw"
    assert c.post(url).status_code == 403
    application.refresh_from_db()
    assert application.state == "submitted"
    c.get("/card/progress")  # sets the CSRF cookie
    token = c.cookies["csrftoken"].value
    response = c.post(url, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    again = c.post(url, HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 409


def test_another_person_cannot_withdraw_over_the_api(application, make_citizen):
    c = Client()
    c.force_login(make_citizen(name="王五"))
    assert c.post(f"/api/v1/applications/{application.office_code}/withdraw").status_code == 404
    application.refresh_from_db()
    assert application.state == "submitted"


def test_openapi_describes_the_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/v1/progress", "/api/v1/applications", "/api/v1/applications/{code}",
                 "/api/v1/applications/{code}/withdraw"):
        assert path in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn.jsdelivr" not in docs.content  # served from our own static files (CSP)


# Every status each operation can answer, written by hand from the operations' code and the error handling.
DECLARED_STATUSES = {
    ("get", "/api/v1/progress"): {"200", "404", "422", "429", "500"},
    ("get", "/api/v1/applications"): {"200", "401", "500"},
    ("get", "/api/v1/applications/{code}"): {"200", "401", "404", "422", "500"},
    ("post", "/api/v1/applications/{code}/withdraw"): {"200", "400", "401", "403", "404", "409", "422", "500"},
    # the electronic card (cards/ecard_api.py)
    ("get", "/api/v1/cards/{card_number}/ecard/token"): {"200", "401", "404", "422", "500"},
    ("get", "/api/v1/ecard/status"): {"200", "422", "429", "500"},
    ("get", "/api/v1/ecard/{ecard_id}/status"): {"200", "422", "429", "500"},
    ("get", "/api/v1/ecard/revoked"): {"200", "422", "429", "500"},
    ("post", "/api/v1/ecard/uses"): {"200", "400", "422", "429", "500"},
}


def test_openapi_declares_every_status_each_operation_can_return(client, db):
    schema = client.get("/api/openapi.json").json()
    operations = {(method, path): operation for path, item in schema["paths"].items()
                  for method, operation in item.items()}
    assert set(operations) == set(DECLARED_STATUSES)
    for key, statuses in DECLARED_STATUSES.items():
        responses = operations[key]["responses"]
        assert set(responses) == statuses, key
        for status in statuses - {"200"}:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref == ("#/components/schemas/ValidationErrorOut" if status == "422"
                           else "#/components/schemas/ErrorOut"), (key, status)
    retry_after = operations[("get", "/api/v1/progress")]["responses"]["429"]["headers"]["Retry-After"]
    assert retry_after["required"] is True and retry_after["schema"]["type"] == "integer"
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"code", "detail", "probable_typo"}
    assert set(error["required"]) == {"code", "detail"}


def _parameters(schema, method, path):
    return {p["name"]: p for p in schema["paths"][path][method]["parameters"]}


def test_openapi_declares_the_office_code_and_id_ending_constraints(client, db):
    schema = client.get("/api/openapi.json").json()
    progress = _parameters(schema, "get", "/api/v1/progress")
    codes = [progress["code"], _parameters(schema, "get", "/api/v1/applications/{code}")["code"],
             _parameters(schema, "post", "/api/v1/applications/{code}/withdraw")["code"]]
    for code in codes:
        assert code["required"] is True
        assert (code["schema"]["minLength"], code["schema"]["maxLength"]) == (11, 21)
    suffix = progress["id_suffix"]["schema"]
    assert (suffix["minLength"], suffix["maxLength"]) == (6, 6)
    code_pattern = re.compile(progress["code"]["schema"]["pattern"])
    suffix_pattern = re.compile(suffix["pattern"])
    # What the patterns accept and refuse, by hand.
    for value, accepted in [("K7QM-X3P9-C4B", True), ("k7qm x3p9 c4b", True), ("K7QMX3P9C4B", True),
                            ("K7QM-X3P9-C4", False), ("K7QMX3P9C4B2", False), ("O7QM-X3P9-C4B", False),
                            ("K1QM-X3P9-C4B", False), ("K7QM--X3P9-C4B", False), ("K7QM_X3P9_C4B", False),
                            ("-K7QMX3P9C4B", False), ("", False)]:
        assert bool(code_pattern.fullmatch(value)) is accepted, value
    for value, accepted in [("101234", True), ("10123X", True), ("10123x", True), ("1012X4", False),
                            ("10123", False), ("1012345", False), ("X01234", False), ("１０１２３４", False)]:
        assert bool(suffix_pattern.fullmatch(value)) is accepted, value


@pytest.mark.parametrize(("code", "id_suffix"), [
    ("K7QM-X3P9-C4", "101234"),  # too short
    ("K7QM-X3P9-C4B-2222", "101234"),  # too many symbols
    ("K7QM-X3P9-C4O", "101234"),  # O is never used
    ("K7QM-X3P9-C4B", "10123"),  # ending too short
    ("K7QM-X3P9-C4B", "1012345"),  # ending too long
    ("K7QM-X3P9-C4B", "1012X4"),  # X only last
])
def test_the_api_enforces_the_declared_constraints(client, db, code, id_suffix):
    response = client.get("/api/v1/progress", {"code": code, "id_suffix": id_suffix})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_a_well_formed_code_is_answered_whatever_its_spelling(logged_in, application):
    display = application.display_code
    for spelling in (display, display.lower(), display.replace("-", " "), display.replace("-", "")):
        assert logged_in.get(f"/api/v1/applications/{spelling}").status_code == 200, spelling


@settings(max_examples=200, derandomize=True, database=None)
@given(st.from_regex(officecode.INPUT_PATTERN, fullmatch=True))
def test_every_code_the_pattern_accepts_is_a_code_or_a_probable_typo(value):
    # The pattern lets nothing through that the look-up would refuse as malformed.
    try:
        officecode.parse(value)
    except officecode.OfficeCodeError as error:
        assert error.code == "check"


def test_the_example_office_code_in_the_document_is_well_formed(client, db):
    schema = client.get("/api/openapi.json").json()
    example = _parameters(schema, "get", "/api/v1/progress")["code"]["examples"][0]
    assert officecode.parse(example).display == example
