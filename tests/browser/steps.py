"""Steps that several browser tests take the same way, as a person would."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts.conftest import last_code
from tests.casework.conftest import PASSWORD


def register_online(page, *, lang: str, person: dict) -> None:
    """Register `person` (real_name, id_number, phone) on the registration page in `lang`, with the SMS code
    from the dev outbox; ends in the personal space, where a citizen lands after registering."""
    page.goto(reverse("accounts:register"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.locator("#id_real_name").fill(person["real_name"])
    page.locator("#id_id_number").fill(person["id_number"])
    page.locator("#id_phone").fill(person["phone"])
    page.locator('button[value="send_code"]').click()
    expect(page.locator(".message.success")).to_be_visible()
    page.locator("#id_sms_code").fill(last_code(person["phone"]))
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_accept_terms").check()
    page.locator('button[value="register"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
