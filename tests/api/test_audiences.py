"""One API per audience: each with its own authentication, OpenAPI document and docs page, on the unchanged
`/api/v1/` operation paths; the JSON error shape in every one of them; nothing served for institutions yet."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# Written by hand: which operations each document describes, and whether they need the citizen's session.
CITIZEN = {("get", "/api/v1/applications"), ("get", "/api/v1/applications/{code}"),
           ("post", "/api/v1/applications/{code}/withdraw"),
           ("get", "/api/v1/cards/{card_number}/ecard/token")}
PUBLIC = {("get", "/api/v1/progress"),
          ("get", "/api/v1/ecard/status"), ("get", "/api/v1/ecard/{ecard_id}/status"), ("get", "/api/v1/ecard/revoked"),
          ("post", "/api/v1/ecard/uses")}
TRANSIT = {("get", "/api/transit/v1/hotlist/full"), ("get", "/api/transit/v1/hotlist/delta")}
BANKS = {("post", "/api/banks/v1/card-events"), ("post", "/api/banks/v1/acks")}
DOCUMENTS = [
    ("/api/citizen/openapi.json", "/api/citizen/docs", "sscard citizen API", CITIZEN, [{"CitizenSession": []}]),
    ("/api/public/openapi.json", "/api/public/docs", "sscard public API", PUBLIC, None),
    ("/api/banks/openapi.json", "/api/banks/docs", "sscard bank API", BANKS, [{"BankSignature": []}]),
    ("/api/transit/openapi.json", "/api/transit/docs", "sscard transit operators API", TRANSIT,
     [{"OperatorToken": []}]),
]


def operations(document):
    return {(method, path): operation for path, item in document["paths"].items()
            for method, operation in item.items()}


@pytest.mark.parametrize(("url", "docs", "title", "expected", "security"), DOCUMENTS,
                         ids=["citizen", "public", "banks", "transit"])
def test_each_audience_has_its_own_document_with_only_its_operations(client, url, docs, title, expected,
                                                                     security):
    response = client.get(url)
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == title
    assert set(operations(document)) == expected
    for key, operation in operations(document).items():
        assert operation.get("security") == security, key
    if security is None:
        assert "securitySchemes" not in document.get("components", {})
    else:
        assert set(document["components"]["securitySchemes"]) == {name for scheme in security for name in scheme}


@pytest.mark.parametrize(("url", "docs"), [(d[0], d[1]) for d in DOCUMENTS] + [("/api/openapi.json", "/api/docs")],
                         ids=["citizen", "public", "banks", "transit", "all-v1"])
def test_each_document_has_its_docs_page_served_from_our_own_files(client, url, docs):
    page = client.get(docs)
    assert page.status_code == 200 and b"swagger-ui" in page.content
    assert b"cdn.jsdelivr" not in page.content
    assert url.encode() in page.content  # the page shows its own document


def test_the_former_single_document_still_lists_every_v1_operation_unchanged(client):
    combined = client.get("/api/openapi.json").json()
    assert set(operations(combined)) == CITIZEN | PUBLIC
    for url, *_ in DOCUMENTS[:2]:  # citizen and public: the bank and transit APIs are not under /api/v1/
        audience = client.get(url).json()
        for key, operation in operations(audience).items():
            assert operations(combined)[key] == operation, key
        for kind, components in audience["components"].items():
            for name, component in components.items():
                assert combined["components"][kind][name] == component, (kind, name)


def test_the_public_look_up_needs_no_session_and_the_citizen_operations_do(client):
    assert client.get("/api/v1/progress", {"code": "K7QM-X3P9-C4B", "id_suffix": "101234"}).status_code == 404
    assert client.get("/api/v1/applications").status_code == 401


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("get", "/api/citizen/nothing", 404, "not_found"),
    ("get", "/api/public/nothing", 404, "not_found"),
    ("post", "/api/citizen/openapi.json", 405, "method_not_allowed"),
    ("delete", "/api/public/openapi.json", 405, "method_not_allowed"),
    ("post", "/api/v1/applications", 405, "method_not_allowed"),
    ("post", "/api/v1/progress", 405, "method_not_allowed"),
])
def test_every_audience_answers_errors_in_the_one_json_shape(method, path, status, code):
    response = getattr(Client(HTTP_ACCEPT_LANGUAGE="en"), method)(path)
    assert response.status_code == status
    assert response["Content-Type"].split(";")[0] == "application/json"
    assert response.json()["code"] == code and response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/institutions/", "/api/institutions/openapi.json",
                                  "/api/institutions/v1/settlements", "/api/institutions/docs"])
def test_nothing_answers_for_institutions_until_their_authentication_exists(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
