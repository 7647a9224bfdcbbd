"""The holder's "My e-card" page in a real browser, on a 375 px phone in Spanish: axe clean, no sideways
scrolling, the QR code renews itself before it expires (cards/ecard.js through the citizen API), and the QR
code on the screen reads back as a token that verifies with the published keys."""

import io
import re
import time

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from sscard.cards import ecards
from sscard.cards.models import Card
from sscard.domain import ecard
from sscard.domain.casestates import State
from sscard.reference.models import ServiceSettings
from tests.cards.ecard_helpers import decode_qr_svg, last_code
from tests.casework.conftest import PASSWORD, give_card, new_application, private_media, reseed  # noqa: F401

from .conftest import PHONE

pytestmark = pytest.mark.locale("es")


def test_my_ecard_on_a_phone_renews_its_qr_code(django_db_serialized_rollback, make_page, assert_accessible,
                                                 screenshot, console_errors, live_server):
    reseed()
    row = ServiceSettings.load()
    row.ecard_token_seconds = 15  # the shortest lifetime: renewed when 5 s are left
    row.save()
    card = give_card(new_application(state=State.IN_PRODUCTION))
    Card.objects.filter(pk=card.pk).update(state="active")
    card.refresh_from_db()
    ecards.request_issue_code(user=card.holder, card=card)
    ecards.issue_ecard(user=card.holder, card=card, sms_code=last_code(card.holder.phone))

    page = make_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(reverse("accounts:login"))
    page.locator("#id_identifier").fill(card.holder.id_number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator(f'form[action="{reverse("accounts:login")}"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    page.goto(reverse("cards:ecard", args=[card.card_number]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mi tarjeta electrónica")
    expect(page.get_by_role("img", name="Código QR de su tarjeta electrónica de seguridad social")).to_be_visible()
    expect(page.locator("#ecard-countdown")).to_contain_text(re.compile(r"Válido \d+ segundos más"))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "ecard-375-es")

    first = page.locator("#ecard-token").text_content()
    # What a scanner sees: the QR code read off a screenshot of the phone's screen is the token shown.
    shot = Image.open(io.BytesIO(page.locator("#ecard-qr").screenshot()))
    assert [found.text for found in zxingcpp.read_barcodes(shot)] == [first]
    keys = ecard.keys_from_jwks(page.request.get("/.well-known/sscard-ecard-keys.json").json())
    # The script renews the code by itself (here after about 10 s); the new QR code is the new token.
    expect(page.locator("#ecard-token")).not_to_have_text(first, timeout=20_000)
    second = page.locator("#ecard-token").text_content()
    svg = page.locator("#ecard-qr").inner_html()
    assert decode_qr_svg(svg) == second
    result = ecard.verify(second, keys, int(time.time()))
    assert result.ok and result.claims["holder"] == "张*"
    expect(page.get_by_role("img", name="Código QR de su tarjeta electrónica de seguridad social")).to_be_visible()
    assert console_errors(page) == []
