"""Every error under /api/ is JSON in the API's documented error shape, whatever raised it, with debug off (as
in production) and on; and no error body carries personal data."""

import re

import pytest
from django.test import Client

from sscard.applications import selectors
from sscard.applications.models import Application
from sscard.reference.models import ServiceSettings

from .helpers import edit

pytestmark = pytest.mark.django_db

PROGRESS = "/api/v1/progress"
SOMEBODY_ELSES_CODE = "K7QM-X3P9-C4B"  # well-formed, check character right, nobody's


@pytest.fixture
def application(logged_in, fill, submit):
    fill(logged_in)
    submit(logged_in)
    return Application.objects.get()


def browser(user=None, *, csrf_checks=False, language="en"):
    c = Client(enforce_csrf_checks=csrf_checks, raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        c.force_login(user)
    return c


def with_csrf_cookie(c):
    c.get("/card/progress")  # sets the CSRF cookie
    return c.cookies["csrftoken"].value


def csrf_failure(citizen, application):
    return browser(citizen, csrf_checks=True).post(f"/api/v1/applications/{application.office_code}/withdraw")


def malformed_multipart(citizen, application):
    c = browser(citizen, csrf_checks=True)
    token = with_csrf_cookie(c)
    return c.generic("POST", f"/api/v1/applications/{application.office_code}/withdraw", b"--x\r\nnot a form",
                     content_type="multipart/form-data", HTTP_X_CSRFTOKEN=token)


def too_many_fields(citizen, application):
    c = browser(citizen, csrf_checks=True)
    token = with_csrf_cookie(c)
    return c.generic("POST", f"/api/v1/applications/{application.office_code}/withdraw", b"a=1&" * 1001,
                     content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=token)


def not_logged_in(citizen, application):
    return browser().get("/api/v1/applications")


def staff_session(citizen, application):
    from sscard.accounts.models import User

    return browser(User.objects.create_user(username="rev", password="x-Strong-pass-1", is_staff=True)).get(
        "/api/v1/applications")


def unknown_api_path(citizen, application):
    return browser().get(f"/api/v1/no-such-thing/{citizen.id_number}")


def unknown_api_version(citizen, application):
    return browser().get("/api/v9/progress")


def api_root(citizen, application):
    return browser().get("/api/")


def not_my_application(citizen, application):
    return browser(citizen).get(f"/api/v1/applications/{SOMEBODY_ELSES_CODE}")


def wrong_method(citizen, application):
    return browser().delete(PROGRESS)


def get_on_a_write(citizen, application):
    return browser(citizen).get(f"/api/v1/applications/{application.office_code}/withdraw")


def malformed_parameters(citizen, application):
    return browser().get(PROGRESS, {"code": citizen.real_name, "id_suffix": citizen.phone})


def missing_parameters(citizen, application):
    return browser().get(PROGRESS)


def rate_limited(citizen, application):
    edit(ServiceSettings.load(), progress_lookups_per_minute=1)
    c = browser()
    query = {"code": application.office_code, "id_suffix": citizen.id_number[-6:]}
    assert c.get(PROGRESS, query).status_code == 200
    return c.get(PROGRESS, query)


def crash(citizen, application, monkeypatch):
    def broken(user):
        raise RuntimeError(f"database on fire while reading {user.id_number} {user.real_name}")

    monkeypatch.setattr(selectors, "applications_of", broken)
    return browser(citizen).get("/api/v1/applications")


# (case, status, code, header that must be there), written by hand.
CASES = [
    (csrf_failure, 403, "csrf_failed", None),
    (malformed_multipart, 400, "bad_request", None),
    (too_many_fields, 400, "bad_request", None),
    (not_logged_in, 401, "not_authenticated", None),
    (staff_session, 401, "not_authenticated", None),
    (unknown_api_path, 404, "not_found", None),
    (unknown_api_version, 404, "not_found", None),
    (api_root, 404, "not_found", None),
    (not_my_application, 404, "not_found", None),
    (wrong_method, 405, "method_not_allowed", "Allow"),
    (get_on_a_write, 405, "method_not_allowed", "Allow"),
    (malformed_parameters, 422, "invalid_request", None),
    (missing_parameters, 422, "invalid_request", None),
    (rate_limited, 429, "rate_limited", "Retry-After"),
    (crash, 500, "server_error", None),
]


def run(case, citizen, application, monkeypatch):
    if case is crash:
        return case(citizen, application, monkeypatch)
    return case(citizen, application)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize(("case", "status", "code", "header"), CASES, ids=[c[0].__name__ for c in CASES])
def test_every_api_error_is_json_in_the_error_shape(case, status, code, header, debug, settings, citizen,
                                                     application, monkeypatch):
    settings.DEBUG = debug
    response = run(case, citizen, application, monkeypatch)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].split(";")[0] == "application/json"
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["probable_typo"] is False
    assert set(body) <= {"code", "detail", "probable_typo", "errors"}
    if header:
        assert response[header]
    # Nothing personal, and nothing of the request or of the exception, comes back.
    text = response.content.decode()
    for personal in (citizen.id_number, citizen.id_number[-6:], citizen.phone, citizen.real_name,
                     "\\u" + f"{ord(citizen.real_name[0]):04x}", application.office_code):
        assert personal not in text
    assert "Traceback" not in text and "fire" not in text and "<html" not in text.lower()


def test_a_422_lists_each_invalid_parameter(client, db):
    body = client.get(PROGRESS, {"code": "K7QM-X3P9-C4B0", "id_suffix": "12345"}).json()
    assert body["code"] == "invalid_request"
    assert sorted((e["location"], e["field"], e["message"]) for e in body["errors"]) == [
        ("query", "code", "This value does not have the expected format."),
        ("query", "id_suffix", "This value is too short."),
    ]
    missing = client.get(PROGRESS, {"code": "K7QM-X3P9-C4B"}).json()
    assert missing["errors"] == [{"location": "query", "field": "id_suffix", "message": "This parameter is required."}]


def test_the_retry_after_header_counts_the_seconds_to_the_next_window(client, application, citizen):
    edit(ServiceSettings.load(), progress_lookups_per_minute=0)
    response = client.get(PROGRESS, {"code": application.office_code, "id_suffix": citizen.id_number[-6:]})
    assert response.status_code == 429
    assert re.fullmatch(r"[1-9][0-9]?", response["Retry-After"]) and 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"] == ("Too many look-ups from your connection. Please wait a minute and try "
                                         "again.")


@pytest.mark.parametrize(("language", "method", "path", "detail"), [
    ("zh-hans", "get", "/api/v1/applications", "请以个人用户身份登录后使用此功能。"),
    ("es", "get", "/api/v1/applications", "Inicie sesión como ciudadano para usar esta operación."),
    ("zh-hans", "put", PROGRESS, "此功能不接受该 HTTP 方法。"),
    ("es", "get", "/api/nada", "No existe esa operación o recurso en la API."),
])
def test_error_details_speak_the_request_language(db, language, method, path, detail):
    response = getattr(browser(language=language), method)(path)
    assert response.json()["detail"] == detail


def test_pages_outside_the_api_keep_their_html_errors(client, db):
    response = client.get("/card/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
