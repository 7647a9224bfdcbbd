"""The employer workspace in a real browser, in Chinese and Spanish: the representative of an approved employer
enrols an employee (a month in the future refused next to its field first), the employee sees the enrolment on
"My social insurance"; the records officer's registry. Every page is checked by axe-core."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sscard.records.models import Enrolment
from tests.browser.test_back_office_flow import staff_login  # noqa: F401 - the staff log-in step
from tests.casework.conftest import PASSWORD, new_citizen, private_media  # noqa: F401
from tests.records.conftest import approved_employer, new_officer, register, reseed_records


def login(page, citizen):
    page.goto(reverse("accounts:login"))
    page.locator("#id_identifier").fill(citizen.id_number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator(f'form[action="{reverse("accounts:login")}"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))


def next_month() -> str:
    today = timezone.localdate()
    return f"{today.year + (today.month == 12):04d}-{today.month % 12 + 1:02d}"


@pytest.mark.parametrize(("locale", "texts"), [
    ("zh-CN", {"space": "单位办事空间", "enrol": "增员", "future": "月份不能晚于本月。", "done": "职工增员成功。",
               "mine": "我的社会保险", "now": "参保中", "type": "养老保险"}),
    ("es-ES", {"space": "Espacio de empresa", "enrol": "Afiliar", "future": "El mes no puede ser futuro.",
               "done": "El trabajador está afiliado.", "mine": "Mi seguro social", "now": "afiliado ahora",
               "type": "Pensiones"}),
])
def test_the_representative_enrols_an_employee_who_sees_it(locale, texts, django_db_serialized_rollback, make_page,
                                                          assert_accessible, screenshot, console_errors):
    reseed_records()
    employer = approved_employer(new_citizen("王五"), name="武汉示范科技有限公司")
    employee = new_citizen("钱七")

    page = make_page(locale=locale)
    login(page, employer.registered_by)
    page.get_by_role("link", name=texts["space"]).first.click()
    expect(page.locator("#file-title")).to_have_text("武汉示范科技有限公司")
    assert_accessible(page)
    page.locator("#id_enrol-id_number").fill(employee.id_number)
    page.locator("#id_enrol-name").fill("钱七")
    page.locator("#id_enrol-start_month").fill(next_month())
    page.get_by_role("button", name=texts["enrol"], exact=True).click()
    expect(page.locator("#id_enrol-start_month_errors")).to_have_text(texts["future"])
    assert_accessible(page)
    assert not Enrolment.objects.exists()
    page.locator("#id_enrol-start_month").fill("2026-03")
    page.get_by_role("button", name=texts["enrol"], exact=True).click()
    expect(page.locator(".message.success")).to_contain_text(texts["done"])
    expect(page.locator("main")).to_contain_text(employee.masked_id_number)
    assert_accessible(page)
    screenshot(page, f"employer-workspace-{locale[:2]}")

    person = make_page(locale=locale)
    login(person, employee)
    person.get_by_role("link", name=texts["mine"]).first.click()
    expect(person.locator("#enrolments")).to_contain_text("武汉示范科技有限公司")
    expect(person.locator("#enrolments")).to_contain_text(texts["now"])
    expect(person.locator("#enrolments")).to_contain_text(texts["type"])
    assert_accessible(person)
    for p in (page, person):
        assert console_errors(p) == []


@pytest.mark.locale("en")
def test_the_records_officer_approves_a_registration(django_db_serialized_rollback, make_page, assert_accessible,
                                                     console_errors):
    reseed_records()
    employer = register(new_citizen("王五"), name="武昌示范有限公司")
    officer = new_officer(["district:420106"])
    page = make_page()
    page.goto(reverse("accounts:staff_login"))
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("casework:records_employers")) + "$"))
    assert_accessible(page)
    page.get_by_role("link", name="武昌示范有限公司").click()
    expect(page.locator("main .facts")).to_contain_text(employer.masked_representative_id)
    assert_accessible(page)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".message.success")).to_contain_text("The decision is recorded")
    expect(page.locator("main .facts")).to_contain_text("Approved")
    assert_accessible(page)
    assert console_errors(page) == []
