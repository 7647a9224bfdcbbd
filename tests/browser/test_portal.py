"""The portal's home page in a real browser: structure, accessibility, small screens, language and elder mode."""

import re

from django.urls import reverse
from playwright.sync_api import expect


def catalogue_items(page):
    """The service catalogue: the list inside the named region of the main content."""
    return page.get_by_role("main").get_by_role("region").get_by_role("list").first.get_by_role("listitem")


def test_home_page_shows_the_service_catalogue_in_chinese_by_default(page, assert_accessible, console_errors,
                                                                      screenshot):
    page.goto("/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert catalogue_items(page).count() >= 3
    expect(page.locator(f'a[href="{reverse("accounts:login")}"]').first).to_be_visible()
    expect(page.locator(f'a[href="{reverse("accounts:register")}"]').first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home")
    assert console_errors(page) == []


def test_home_page_fits_a_small_phone_without_horizontal_scrolling(phone_page, assert_accessible,
                                                                   console_errors, screenshot):
    phone_page.goto("/")

    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    assert catalogue_items(phone_page).count() >= 3
    scroll_width = phone_page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= 375, f"the page is {scroll_width}px wide on a 375px screen"
    assert_accessible(phone_page)
    screenshot(phone_page, "home-phone")
    assert console_errors(phone_page) == []


def test_language_buttons_switch_the_page_language_and_it_sticks(page, assert_accessible, console_errors):
    page.goto("/")

    page.locator('button[name="language"][value="es"]').click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator('button[name="language"][value="es"]')).to_have_attribute("aria-current", "true")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(page)

    page.locator('button[name="language"][value="zh-hans"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert console_errors(page) == []


def test_elder_mode_button_enlarges_the_page_and_is_remembered(page, assert_accessible, console_errors):
    page.goto("/")
    toggle = page.locator(f'form[action="{reverse("web:elder_mode")}"] button')
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\belder\b"))

    toggle.click()

    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    assert_accessible(page)

    toggle.click()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\belder\b"))
    assert console_errors(page) == []


def test_home_page_works_and_is_accessible_without_javascript(make_page, assert_accessible):
    page = make_page(java_script_enabled=False)
    page.goto("/")

    assert catalogue_items(page).count() >= 3
    assert_accessible(page)
    page.locator('button[name="language"][value="es"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator(f'form[action="{reverse("web:elder_mode")}"] button').click()
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    assert_accessible(page)
