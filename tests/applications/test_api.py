"""The citizen's own applications over the JSON API (session login; CSRF on writes); OpenAPI."""

import pytest
from django.test import Client

from sscard.applications.models import Application

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
