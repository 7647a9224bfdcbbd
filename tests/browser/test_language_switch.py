"""Switching the language in the middle of a step of the application form keeps what was typed, in a real
browser, with and without JavaScript: the language buttons of a step page submit the step's form (HTML `form`
attribute), the draft keeps the typed values, and the step comes back in the new language with them."""

import importlib
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.applications.conftest import step_url

PASSWORD = "Strong-pass-2026"


@pytest.fixture
def seeded(transactional_db):
    from django.apps import apps

    importlib.import_module("sscard.applications.migrations.0002_seed_wuhan_defaults").seed(apps, None)


@pytest.mark.parametrize("javascript", [True, False])
def test_switching_to_spanish_mid_step_keeps_what_was_typed(seeded, make_page, live_server, assert_accessible,
                                                             javascript):
    from sscard.accounts.models import User

    user = User.objects.create_user(username=f"switch-{javascript}", password=PASSWORD, real_name="王五",
                                    id_number="34052119800101007X", phone="13700137001")
    client = Client()
    client.force_login(user)
    client.post(step_url("applicant"), {"applying_for": "self"})
    page = make_page(locale="zh-CN", java_script_enabled=javascript)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(step_url("personal"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("#id_document_valid_until").fill("2031-02-03")
    page.locator("#id_employer").fill("武汉大学")
    page.locator("#id_res_detail").fill("珞喻路 129 号")

    page.locator('button[name="language"][value="es"]').click()

    expect(page).to_have_url(re.compile(r"/card/apply/personal$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#id_document_valid_until")).to_have_value("2031-02-03")
    expect(page.locator("#id_employer")).to_have_value("武汉大学")
    expect(page.locator("#id_res_detail")).to_have_value("珞喻路 129 号")
    expect(page.locator(".errorlist")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False])
def test_switching_to_spanish_on_the_confirmation_keeps_its_ticks(seeded, make_page, live_server, javascript,
                                                                   settings, tmp_path):
    from sscard.accounts.models import User
    from tests.applications.conftest import PERSONAL, delivery_data, photo_file

    settings.MEDIA_ROOT = tmp_path / "private"  # the uploaded photo
    user = User.objects.create_user(username=f"confirm-{javascript}", password=PASSWORD, real_name="王五",
                                    id_number="34052119800101007X", phone="13700137002")
    client = Client()
    client.force_login(user)
    for step, data in (("applicant", {"applying_for": "self"}), ("personal", PERSONAL),
                       ("delivery", delivery_data()), ("photo", {"action": "continue", "photo": photo_file()})):
        assert client.post(step_url(step), data).status_code == 302, step
    page = make_page(locale="zh-CN", java_script_enabled=javascript)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(step_url("confirm"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("#id_declaration").check()

    page.locator('button[name="language"][value="es"]').click()

    expect(page).to_have_url(re.compile(r"/card/apply/confirm$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#id_declaration")).to_be_checked()
    expect(page.locator("#id_consent")).not_to_be_checked()
    expect(page.locator(".errorlist")).to_have_count(0)
