"""Favicon, the elder-mode switch as a citizen sees it, and the outlet table laid out for phones (issue 11)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sscard.web.views import ELDER_COOKIE

pytestmark = pytest.mark.django_db

SITE_CSS = Path(settings.BASE_DIR) / "sscard" / "web" / "static" / "web" / "site.css"
ICO_MAGIC = b"\x00\x00\x01\x00"


def test_favicon_ico_answers_200_with_an_icon():
    response = Client().get("/favicon.ico", follow=True)

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(ICO_MAGIC)


def test_favicon_svg_is_served_and_linked_from_every_page():
    client = Client()
    svg = client.get("/static/web/favicon.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")

    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in page
    assert 'href="/static/web/favicon.ico"' in page


@pytest.mark.parametrize(("language", "cookie", "pressed", "state", "hint"), [
    ("zh-hans", "1", "true", "开", "再按一次恢复标准字号"),
    ("zh-hans", "0", "false", "关", None),
    ("es", "1", "true", "Sí", "Pulse otra vez para volver al texto normal"),
    ("es", "0", "false", "No", None),
    ("en", "1", "true", "On", "Press again for standard text"),
])
def test_elder_switch_shows_its_state_and_how_to_leave(language, cookie, pressed, state, hint):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[ELDER_COOKIE] = cookie

    page = client.get("/").content.decode()

    toggle = re.search(r'<button[^>]*class="link-button elder-toggle"[^>]*>(.*?)</button>', page, re.S)
    assert toggle, "the elder-mode switch is missing"
    assert f'aria-pressed="{pressed}"' in toggle.group(0)
    assert f'<span class="toggle-state" aria-hidden="true">{state}</span>' in toggle.group(1)
    if hint:
        assert 'aria-describedby="elder-leave"' in toggle.group(0)
        assert f'<span id="elder-leave" class="toggle-hint">{hint}</span>' in page
    else:
        assert "elder-leave" not in page


@pytest.mark.parametrize(("cookie", "html_tag"), [
    ("1", '<html lang="zh-hans" class="elder">'),
    ("0", '<html lang="zh-hans">'),
])
def test_elder_mode_scales_the_root_so_every_rem_size_grows(cookie, html_tag):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.cookies[ELDER_COOKIE] = cookie

    assert html_tag in client.get("/").content.decode()
    css = SITE_CSS.read_text()
    assert re.search(r"html\.elder\s*\{[^}]*font-size:\s*125%", css)
    # Growing only the body left rem-sized titles and the footer at their normal size.
    assert not re.search(r"body\.elder\s*\{[^}]*font-size", css)


def test_outlet_table_carries_labels_for_the_phone_layout():
    page = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("applications:service")).content.decode()

    assert '<table class="data stack">' in page
    assert 'data-label="Dirección"' in page
    assert 'data-label="Horario de atención"' in page
