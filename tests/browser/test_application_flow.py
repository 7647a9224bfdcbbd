"""A newcomer applies online for a card in a real browser, in Chinese and in Spanish: register → my homepage →
service page → online application → upload and crop a photo → submit → office code → public progress page
shows "submitted". Every page is checked by axe-core; screenshots go to docs/screenshots/."""

import importlib
import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sscard.domain.idnumber import make_id_number
from tests.applications import images
from tests.casework.conftest import PASSWORD

from .steps import register_online


@pytest.fixture
def seeded(transactional_db):
    """Banks, outlets, stages and settings (transactional tests flush the migration's seed data)."""
    from django.apps import apps

    importlib.import_module("sscard.applications.migrations.0002_seed_wuhan_defaults").seed(apps, None)


def primary_button(page):
    return page.locator("form.stacked button[type=submit]:not(.secondary)")


def register(page, assert_accessible, screenshot, *, lang, person):
    register_online(page, lang=lang, person=person)
    assert_accessible(page)


def apply_online(page, assert_accessible, screenshot, console_errors, *, lang, person):
    from sscard.reference.models import Outlet, PartnerBank

    register(page, assert_accessible, screenshot, lang=lang, person=person)

    # Personal space → My homepage → the service item → the service page.
    page.locator(f'main a.button[href="{reverse("accounts:home")}"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/home$"))
    page.locator(f'main a[href="{reverse("applications:service")}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(reverse("applications:service")) + "$"))
    assert_accessible(page)
    screenshot(page, f"apply-1-service-{lang}")

    # "Online application" → step 1: who the card is for (prefilled facts from the account).
    page.locator(f'main a.button[href="{reverse("applications:apply")}"]').click()
    expect(page).to_have_url(re.compile(r"/card/apply/applicant$"))
    expect(page.locator("dl.facts")).to_contain_text(person["id_number"][:6] + "********")
    assert person["id_number"] not in page.content()
    assert_accessible(page)
    expect(page.locator("#child-fields")).to_be_hidden()  # shown only when applying for a child
    screenshot(page, f"apply-2-applicant-{lang}")
    primary_button(page).click()

    # Step 2: personal details, first with every error at once.
    expect(page).to_have_url(re.compile(r"/card/apply/personal$"))
    primary_button(page).click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.locator("#error-summary a").count() >= 3
    expect(page.locator("#id_occupation")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.locator("#id_document_valid_until").fill("2036-05-01")
    page.locator("#id_occupation").select_option("2")
    page.locator("#id_res_province").select_option("420000")
    # The city list follows the province (JavaScript filter).
    assert page.locator('#id_res_city option[value="110100"]').count() == 0
    page.locator("#id_res_city").select_option("420100")
    page.locator("#id_res_district").select_option("420106")
    page.locator("#id_res_detail").fill("中北路 100 号 1 栋 101 室")
    screenshot(page, f"apply-3-personal-{lang}")
    primary_button(page).click()

    # Step 3: bank and delivery.
    expect(page).to_have_url(re.compile(r"/card/apply/delivery$"))
    assert_accessible(page)
    page.locator("#id_bank").select_option(str(PartnerBank.objects.get(code="icbc").pk))
    page.locator('input[name="delivery"][value="pickup"]').check()
    expect(page.locator("#post-fields")).to_be_hidden()
    page.locator("#id_outlet").select_option(str(Outlet.objects.order_by("order").first().pk))
    screenshot(page, f"apply-4-delivery-{lang}")
    primary_button(page).click()

    # Step 4: upload and crop the photo in the page.
    expect(page).to_have_url(re.compile(r"/card/apply/photo$"))
    assert_accessible(page)
    page.locator("#id_photo").set_input_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": images.portrait(width=900, height=1200)}])
    expect(page.locator("#cropper")).to_be_visible()
    page.locator("#crop-zoom").fill("1.3")
    frame = page.locator("#crop-frame").bounding_box()
    page.mouse.move(frame["x"] + 100, frame["y"] + 100)
    page.mouse.down()
    page.mouse.move(frame["x"] + 110, frame["y"] + 120, steps=5)
    page.mouse.up()
    crop = {k: page.locator(f'input[name="crop_{k}"]').input_value() for k in "xywh"}
    assert all(crop.values()), crop
    assert abs(int(crop["w"]) / int(crop["h"]) - 358 / 441) < 0.02
    assert_accessible(page)
    screenshot(page, f"apply-5-photo-crop-{lang}")
    page.locator('button[value="preview"]').click()
    expect(page.locator(".card-photo img")).to_be_visible()
    # the image is private and served by a view: wait until the browser has loaded and decoded it
    page.wait_for_function("() => { const img = document.querySelector('.card-photo img');"
                           " return img && img.complete && img.naturalWidth > 0; }")
    assert page.locator(".card-photo img").evaluate("img => img.naturalWidth") == 358
    assert_accessible(page)
    screenshot(page, f"apply-6-photo-checked-{lang}")
    primary_button(page).click()

    # Step 5: check and submit.
    expect(page).to_have_url(re.compile(r"/card/apply/confirm$"))
    assert person["id_number"] not in page.content()
    page.locator("#id_declaration").check()
    page.locator("#id_consent").check()
    assert_accessible(page)
    screenshot(page, f"apply-7-confirm-{lang}")
    primary_button(page).click()

    # The office code.
    expect(page).to_have_url(re.compile(r"/card/applications/[0-9A-Z]{11}/submitted$"))
    code = page.locator("#office-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}", code), code
    assert_accessible(page)
    screenshot(page, f"apply-8-office-code-{lang}")

    # Back after submitting: the submitted draft is gone for good, so Back shows the office code page again
    # (not a new step 1, which would leave a stale "unfinished application" behind).
    page.go_back()
    expect(page).to_have_url(re.compile(r"/card/applications/[0-9A-Z]{11}/submitted$"))
    expect(page.locator("#office-code")).to_have_text(code)

    # The public progress page, as anybody: the plain stage "submitted".
    page.locator(f'.main-nav a[href="{reverse("applications:progress")}"]').click()
    assert_accessible(page)
    page.locator("#id_code").fill(code.lower().replace("-", " "))
    page.locator("#id_id_suffix").fill(person["id_number"][-6:])
    primary_button(page).click()
    expect(page.locator("#progress-stage")).to_have_attribute("data-stage", "submitted")
    assert person["real_name"] not in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, f"apply-9-progress-{lang}")

    # My applications shows it with its timeline.
    page.goto(reverse("applications:mine"))
    expect(page.locator("main")).to_contain_text(code)
    expect(page.locator("ol.timeline li")).to_have_count(1)
    expect(page.locator(f'main a[href="{reverse("applications:apply")}"]')).to_have_count(0)  # no unfinished draft
    assert_accessible(page)
    assert console_errors(page) == []
    return code


def test_newcomer_applies_online_in_chinese(seeded, page, assert_accessible, screenshot, console_errors):
    person = {"real_name": "张三", "id_number": make_id_number("420106", date(1990, 3, 7), 123),
              "phone": "13800138000"}
    apply_online(page, assert_accessible, screenshot, console_errors, lang="zh-hans", person=person)


@pytest.mark.locale("es")
def test_newcomer_applies_online_in_spanish(seeded, page, assert_accessible, screenshot, console_errors):
    person = {"real_name": "Li Mei", "id_number": make_id_number("420102", date(1995, 6, 1), 24),
              "phone": "13900139000"}
    apply_online(page, assert_accessible, screenshot, console_errors, lang="es", person=person)


def test_the_photo_step_works_without_javascript(seeded, make_page, live_server, assert_accessible):
    """Without JavaScript there is no cropper: the server crops the photo in the centre."""
    from django.test import Client

    from sscard.accounts.models import User
    from tests.applications.conftest import PERSONAL, delivery_data, step_url

    user = User.objects.create_user(username="nojs", password=PASSWORD, real_name="王五",
                                    id_number="34052119800101007X", phone="13700137000")
    client = Client()
    client.force_login(user)
    client.post(step_url("applicant"), {"applying_for": "self"})
    client.post(step_url("personal"), PERSONAL)
    client.post(step_url("delivery"), delivery_data())
    page = make_page(java_script_enabled=False)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(step_url("photo"))
    expect(page.locator("#cropper")).to_be_hidden()
    page.locator("#id_photo").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": images.portrait(fmt="PNG")}])
    primary_button(page).click()
    expect(page).to_have_url(re.compile(r"/card/apply/confirm$"))
    assert_accessible(page)
