"""A newcomer registers, logs in, reaches "My homepage" and opens the card application item — in a real browser,
in Chinese and in Spanish, with every page checked by axe-core."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sscard.domain.idnumber import make_id_number
from tests.accounts.conftest import last_code

PASSWORD = "Strong-pass-2026"


def register_and_reach_card_service(page, assert_accessible, screenshot, console_errors, *, lang, person):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.locator(f'main a[href="{reverse("accounts:register")}"]').first.click()
    expect(page).to_have_url(re.compile(r"/accounts/register$"))
    assert_accessible(page)

    page.locator("#id_real_name").fill(person["real_name"])
    page.locator("#id_id_number").fill(person["id_number"].lower())
    page.locator("#id_phone").fill(person["phone"])
    page.locator('button[value="send_code"]').click()
    expect(page.locator(".message.success")).to_contain_text(person["phone"][:3] + "****" + person["phone"][-4:])
    # what the person typed is still there after sending the code
    expect(page.locator("#id_real_name")).to_have_value(person["real_name"])
    page.locator("#id_sms_code").fill(last_code(person["phone"]))
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_accept_terms").check()
    screenshot(page, f"register-{lang}")
    page.locator('button[value="register"]').click()

    expect(page).to_have_url(re.compile(r"/accounts/home$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"my-homepage-{lang}")

    # log out and back in with the ID number
    page.locator(f'form[action="{reverse("accounts:logout")}"] button').click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(reverse("accounts:login"))
    assert_accessible(page)
    page.locator("#id_identifier").fill(person["id_number"])
    page.locator("#id_password").fill(PASSWORD)
    page.locator(f'form[action="{reverse("accounts:login")}"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/home$"))

    page.locator(f'main a[href="{reverse("applications:service")}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("applications:service")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"card-service-{lang}")
    assert console_errors(page) == []


def test_newcomer_registers_and_opens_card_application_in_chinese(page, assert_accessible, screenshot,
                                                                 console_errors):
    person = {"real_name": "张三", "id_number": make_id_number("420106", date(1990, 3, 7), 123),
              "phone": "13800138000"}
    register_and_reach_card_service(page, assert_accessible, screenshot, console_errors, lang="zh-hans",
                                    person=person)


@pytest.mark.locale("es")
def test_newcomer_registers_and_opens_card_application_in_spanish(page, assert_accessible, screenshot,
                                                                 console_errors):
    person = {"real_name": "Li Mei", "id_number": make_id_number("420102", date(1995, 6, 1), 24),
              "phone": "13900139000"}
    register_and_reach_card_service(page, assert_accessible, screenshot, console_errors, lang="es",
                                    person=person)


def test_registration_errors_are_listed_and_linked_to_their_fields(phone_page, assert_accessible):
    phone_page.goto(reverse("accounts:register"))
    phone_page.locator("#id_id_number").fill("360426199101010072")
    phone_page.locator('button[value="register"]').click()
    summary = phone_page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(phone_page.locator("#id_id_number")).to_have_attribute("aria-invalid", "true")
    assert summary.locator("a").count() >= 4
    assert phone_page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert_accessible(phone_page)
