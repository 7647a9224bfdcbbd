"""A newcomer registers, logs in, reaches the personal space, then "My homepage", and opens the card application item — in a real browser,
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

    # Personal space → "My homepage" (its main entry) → the service item
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"personal-space-{lang}")
    page.locator(f'main a.button[href="{reverse("accounts:home")}"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/home$"))
    expect(page.locator(f'main a[href="{reverse("cards:mine")}"]')).to_be_visible()  # "My card" (我的社保卡)
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
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    page.locator(f'main a.button[href="{reverse("accounts:home")}"]').click()
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


def test_registration_and_login_work_without_javascript(make_page, assert_accessible):
    page = make_page(java_script_enabled=False)
    person = {"real_name": "王五", "id_number": "34052119800101007X", "phone": "13700137000"}
    page.goto(reverse("accounts:register"))
    page.locator("#id_real_name").fill(person["real_name"])
    page.locator("#id_id_number").fill(person["id_number"])
    page.locator("#id_phone").fill(person["phone"])
    page.locator('button[value="send_code"]').click()
    page.locator("#id_sms_code").fill(last_code(person["phone"]))
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_accept_terms").check()
    page.locator('button[value="register"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))


ACCOUNT_PAGES = ["accounts:space", "accounts:home", "cards:mine", "accounts:profile", "accounts:change_phone", "accounts:change_password",
                 "notify:inbox"]
PUBLIC_PAGES = ["web:index", "accounts:login", "accounts:register", "accounts:password_reset",
                "accounts:staff_login", "web:terms", "web:privacy"]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_account_page_is_accessible_and_fits_a_phone(make_page, assert_accessible, console_errors,
                                                           viewport):
    from sscard.accounts import services

    size = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}[viewport]
    page = make_page(viewport=size)
    for name in PUBLIC_PAGES:
        page.goto(reverse(name))
        assert_accessible(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= size["width"], name
    services.create_citizen(real_name="赵六", document_type="resident_id", id_number="120103198806018241",
                            phone="13600136000", password=PASSWORD, channel="test")
    page.goto(reverse("accounts:login"))
    page.locator("#id_identifier").fill("13600136000")
    page.locator("#id_password").fill(PASSWORD)
    page.locator(f'form[action="{reverse("accounts:login")}"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    for name in ACCOUNT_PAGES:
        page.goto(reverse(name))
        assert_accessible(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= size["width"], name
        # personal data is masked on every page
        content = page.content()
        assert "120103198806018241" not in content and "13600136000" not in content
    assert console_errors(page) == []
