"""Elder-friendly mode and small phones in a real browser (issue 11): axe at zero violations on the main pages in
normal and elder mode at 1280 px and 375 px, text that grows in proportion, a one-row language switch and an
outlet table that becomes cards on a phone. Screenshots of elder mode at 375 px go to docs/screenshots/."""

import importlib
import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sscard.domain.idnumber import make_id_number
from sscard.web.views import ELDER_COOKIE

from .conftest import DESKTOP, PHONE

PASSWORD = "Strong-pass-2026"
PERSON = {"real_name": "王老伯", "id_number": make_id_number("420106", date(1952, 6, 1), 317),
          "phone": "13900139052"}

PUBLIC_PAGES = ["web:index", "accounts:login", "accounts:register", "applications:service", "applications:progress"]
CITIZEN_PAGES = ["accounts:home", "applications:apply"]

# Computed font sizes in CSS pixels, worked out by hand from site.css: the root is 16 px (20 px in elder mode),
# body text 1rem, a catalogue card title 1.1rem, the footer .9rem.
FONT_SIZES = {
    False: {"body": 16.0, "card title": 17.6, "footer": 14.4},
    True: {"body": 20.0, "card title": 22.0, "footer": 18.0},
}
SELECTORS = {"body": "body", "card title": ".card h3", "footer": ".site-footer"}


@pytest.fixture
def seeded(transactional_db):
    """Banks, outlets, stages and settings (transactional tests flush the migration's seed data)."""
    from django.apps import apps

    importlib.import_module("sscard.applications.migrations.0002_seed_wuhan_defaults").seed(apps, None)


@pytest.fixture
def citizen(seeded):
    from sscard.accounts.services import create_citizen

    return create_citizen(document_type="resident_id", password=PASSWORD, channel="test", **PERSON)


def open_page(make_page, live_server, *, viewport, elder, locale=None):
    args = {"is_mobile": True, "has_touch": True} if viewport == PHONE else {}
    page = make_page(viewport=viewport, locale=locale, **args)
    page.context.add_cookies([{"name": ELDER_COOKIE, "value": "1" if elder else "0", "url": live_server.url}])
    return page


def log_in(page):
    page.goto(reverse("accounts:login"))
    page.locator("#id_identifier").fill(PERSON["id_number"])
    page.locator("#id_password").fill(PASSWORD)
    page.locator(f'form[action="{reverse("accounts:login")}"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))  # the personal space (issue 11)


def font_size(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def assert_fits_width(page, width: int):
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_main_pages_are_accessible_in_normal_and_elder_mode(citizen, make_page, live_server, assert_accessible,
                                                            console_errors, viewport, elder):
    page = open_page(make_page, live_server, viewport=viewport, elder=elder)

    for name in PUBLIC_PAGES:
        page.goto(reverse(name))
        if elder:
            expect(page.locator("html")).to_have_class("elder")
        assert_accessible(page)
        assert_fits_width(page, viewport["width"])
    log_in(page)
    for name in CITIZEN_PAGES:
        page.goto(reverse(name))
        assert_accessible(page)
        assert_fits_width(page, viewport["width"])
    assert console_errors(page) == []


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_text_grows_in_proportion_in_elder_mode(seeded, make_page, live_server, elder):
    page = open_page(make_page, live_server, viewport=DESKTOP, elder=elder)
    page.goto("/")

    measured = {part: font_size(page, selector) for part, selector in SELECTORS.items()}

    assert measured == pytest.approx(FONT_SIZES[elder], abs=0.05)


def test_elder_switch_shows_on_and_off_and_how_to_leave(seeded, make_page, live_server, assert_accessible):
    page = make_page(viewport=DESKTOP)
    page.goto("/")
    toggle = page.locator(f'form[action="{reverse("web:elder_mode")}"] button')
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle.locator(".toggle-state")).to_have_text("关")
    off_background = toggle.locator(".toggle-state").evaluate("el => getComputedStyle(el).backgroundColor")

    toggle.click()

    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle.locator(".toggle-state")).to_have_text("开")
    expect(page.locator("#elder-leave")).to_be_visible()
    expect(page.locator("#elder-leave")).to_have_text("再按一次恢复标准字号")
    on_background = toggle.locator(".toggle-state").evaluate("el => getComputedStyle(el).backgroundColor")
    assert on_background != off_background, "the switch looks the same on and off"
    assert_accessible(page)

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#elder-leave")).to_have_count(0)


@pytest.mark.parametrize("locale", ["zh-CN", "es", "en"])
def test_on_a_phone_in_elder_mode_the_language_switch_takes_one_row(seeded, make_page, live_server, screenshot,
                                                                     locale):
    page = open_page(make_page, live_server, viewport=PHONE, elder=True, locale=locale)
    page.goto("/")

    buttons = page.locator('button[name="language"]')
    assert buttons.count() == 3
    boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    tops = {round(box["y"]) for box in boxes}
    assert max(tops) - min(tops) <= 2, f"language buttons on several rows: {boxes}"
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] for box in boxes), boxes
    row = page.locator(".lang-switch").bounding_box()
    assert row["height"] <= 1.5 * max(box["height"] for box in boxes), f"language switch: {row}, buttons: {boxes}"
    # Brand, preferences and main menu together leave well over half of the screen to the page itself.
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 0.4 * PHONE["height"], f"the header takes {header['height']}px of {PHONE['height']}px"
    assert_fits_width(page, PHONE["width"])
    lang = {"zh-CN": "zh-hans", "es": "es", "en": "en"}[locale]
    screenshot(page, f"elder-375-{lang}", full_page=False)


def test_on_a_phone_the_outlet_table_becomes_one_card_per_outlet(seeded, make_page, live_server, screenshot):
    page = open_page(make_page, live_server, viewport=PHONE, elder=True)
    page.goto(reverse("applications:service"))

    rows = page.locator("#outlets-title ~ div table tbody tr")
    assert rows.count() >= 1
    first = rows.first
    cells = [first.locator("td").nth(i).bounding_box() for i in range(3)]
    # Stacked: name, address and hours one under the other, each about the width of the screen.
    assert cells[0]["y"] < cells[1]["y"] < cells[2]["y"], cells
    assert all(cell["width"] >= 250 for cell in cells), cells
    expect(first.locator("td").nth(1)).to_have_attribute("data-label", "地址")
    assert_fits_width(page, PHONE["width"])
    rows.first.scroll_into_view_if_needed()
    screenshot(page, "elder-375-service-outlets-zh-hans", full_page=False)
