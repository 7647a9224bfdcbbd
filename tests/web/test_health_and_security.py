"""Health check, security headers and cookies, CSRF and the preference endpoints of the web app."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, override_settings

from sscard.web.views import ELDER_COOKIE

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(settings.BASE_DIR) / "sscard" / "settings.py"
HTTPS_DERIVED = ["HTTPS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
                 "SECURE_HSTS_INCLUDE_SUBDOMAINS"]


def settings_from_env(monkeypatch, **env: str | None) -> dict:
    """Evaluate sscard/settings.py afresh under the given environment and return the HTTPS-derived values."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("_sscard_settings_probe", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: getattr(module, name) for name in HTTPS_DERIVED}


def session_cookie():
    """The session cookie as SessionMiddleware sets it under the current settings."""
    def view(request):
        request.session["probe"] = 1
        return HttpResponse()

    from django.test import RequestFactory

    response = SessionMiddleware(view)(RequestFactory().get("/"))
    return response.cookies[settings.SESSION_COOKIE_NAME]


def test_healthz_reports_ok_and_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": True}
    assert "no-cache" in response["Cache-Control"]


def test_home_page_sends_strict_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite_lax():
    cookie = session_cookie()
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_csrf_cookie_is_samesite_lax(client):
    cookie = client.get("/").cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["samesite"] == "Lax"


def test_production_defaults_are_https_when_nothing_is_set(monkeypatch):
    derived = settings_from_env(monkeypatch, SSCARD_HTTPS=None, SSCARD_DEBUG=None)
    assert derived["HTTPS"] is True and derived["SESSION_COOKIE_SECURE"] is True
    assert derived["SECURE_HSTS_SECONDS"] >= 31536000


def test_with_https_on_cookies_are_secure_and_hsts_is_sent(monkeypatch):
    derived = settings_from_env(monkeypatch, SSCARD_HTTPS="1")
    monkeypatch.undo()  # the probe is done: the rest of the test runs under the original environment
    with override_settings(**derived):
        client = Client()
        response = client.get("/", secure=True)
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
        assert session_cookie()["secure"] is True
        elder = client.post("/prefs/elder-mode", {"enabled": "1"}, secure=True)
        assert elder.cookies[ELDER_COOKIE]["secure"] is True


def test_with_https_off_no_hsts_and_cookies_are_not_secure(client):
    response = client.get("/", secure=True)
    assert not settings.HTTPS
    assert "Strict-Transport-Security" not in response
    assert not response.cookies[settings.CSRF_COOKIE_NAME]["secure"]


@pytest.mark.parametrize("url, data", [
    ("/prefs/elder-mode", {"enabled": "1"}),
    ("/prefs/language", {"language": "es"}),
])
def test_post_without_csrf_token_is_refused(url, data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, data)
    assert response.status_code == 403
    assert ELDER_COOKIE not in response.cookies and settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_post_with_csrf_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    token = client.get("/").cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post("/prefs/elder-mode", {"enabled": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_elder_mode_toggle_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post("/prefs/elder-mode", {"enabled": "1", "next": "/terms"})
    assert response.status_code == 302 and response["Location"] == "/terms"
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1" and cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert '<body class="elder">' in client.get("/").content.decode()

    response = client.post("/prefs/elder-mode", {"enabled": "0", "next": "/"})
    assert response.cookies[ELDER_COOKIE].value == "0"
    assert '<body class="elder">' not in client.get("/").content.decode()


def test_elder_mode_only_accepts_post(client):
    assert client.get("/prefs/elder-mode").status_code == 405


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "//evil.example/path",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
])
@pytest.mark.parametrize("url, data", [
    ("/prefs/elder-mode", {"enabled": "1"}),
    ("/prefs/language", {"language": "es"}),
])
def test_next_cannot_redirect_off_site(client, url, data, target):
    response = client.post(url, {**data, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_language_switch_sets_the_language_cookie(client):
    response = client.post("/prefs/language", {"language": "es", "next": "/terms"})
    assert response.status_code == 302 and response["Location"] == "/terms"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get("/").content.decode()


def test_home_page_defaults_to_simplified_chinese(client):
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


# The site's policy, written by hand from settings.CONTENT_SECURITY_POLICY (the directives' order is django-csp's).
SITE_POLICY = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
               "font-src 'self'", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
               "base-uri 'self'", "object-src 'none'"}


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def test_every_answer_carries_the_whole_site_policy_once(client):
    for path in ("/", "/accounts/login", "/no-such-page/"):
        response = client.get(path)
        assert _directives(response["Content-Security-Policy"]) == SITE_POLICY, path
        assert "Content-Security-Policy-Report-Only" not in response


def test_a_changed_policy_setting_is_sent_from_the_next_answer(client, settings):
    client.get("/")  # the site's policy header is built (and kept)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    response = client.get("/")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"


def test_an_answer_with_a_policy_of_its_own_keeps_it(rf):
    """A view decorated with django-csp's `csp_update` (none is today) still gets its own header."""
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from sscard.web.middleware import CSPMiddleware

    view = csp_update({"img-src": ["https://tiles.example.cn"]})(lambda request: HttpResponse("ok"))
    middleware = CSPMiddleware(view)
    response = middleware(rf.get("/map"))
    assert _directives(response["Content-Security-Policy"]) == (
        SITE_POLICY - {"img-src 'self' data: blob:"} | {"img-src 'self' data: blob: https://tiles.example.cn"})
    assert _directives(middleware(rf.get("/"))["Content-Security-Policy"]) >= {"default-src 'self'"}
