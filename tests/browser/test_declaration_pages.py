"""Monthly declarations in a real browser, in Chinese and Spanish: the representative opens "Monthly
declarations" from the workspace, chooses March 2026, uploads a GBK CSV with a wage below the minimum (the error
table names line 3, column 缴费工资, nothing recorded), enters the wages on the page instead, sees the clamping of
each line and confirms: the bill is shown. Every page is checked by axe-core."""

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from sscard.records import services
from sscard.records.models import Declaration
from tests.browser.test_employer_workspace import login
from tests.casework.conftest import new_citizen
from tests.records.conftest import approved_employer, reseed_records

seed_rates = importlib.import_module("sscard.reference.migrations.0009_contributionrate").seed
TYPES = ["pension", "medical", "unemployment", "work_injury"]


@pytest.mark.parametrize(("locale", "texts"), [
    ("zh-CN", {"declarations": "月度申报", "continue": "继续", "declare": "申报", "floor": "已调至下限 4,380.00",
               "below": "缴费工资 2000.00 低于最低工资标准 2340.00：请核对该行。", "confirm": "确认",
               "bill": "账单号"}),
    ("es-ES", {"declarations": "Declaraciones mensuales", "continue": "Continuar", "declare": "Declarar",
               "floor": "elevada al mínimo de 4,380.00",
               "below": "El salario 2000.00 es inferior al salario mínimo de 2340.00: revise la línea.",
               "confirm": "Confirmar", "bill": "Número de factura"}),
])
def test_the_representative_declares_a_month_and_gets_the_bill(locale, texts, django_db_serialized_rollback,
                                                               make_page, assert_accessible, tmp_path):
    reseed_records()
    seed_rates(django_apps, None)  # a transactional test before this one may have flushed the seeded rates
    representative = new_citizen("王五")
    employer = approved_employer(representative, name="武汉示范科技有限公司")
    people = [new_citizen("张三"), new_citizen("李四")]
    for person in people:
        services.enrol(user=representative, employer=employer, id_number=person.id_number,
                       name=person.real_name, start_month=date(2026, 1, 1), types=TYPES)

    page = make_page(locale=locale)
    login(page, representative)
    page.goto("/records/employer/")
    page.locator("main").get_by_role("link", name=texts["declarations"]).last.click()
    assert_accessible(page)
    page.locator("#id_m-month").fill("2026-03")
    page.get_by_role("button", name=texts["continue"]).click()
    assert_accessible(page)

    upload = tmp_path / "march.csv"
    upload.write_bytes((f"证件号码,姓名,缴费工资\r\n{people[0].id_number},张三,6500\r\n"
                        f"{people[1].id_number},李四,2000\r\n").encode("gbk"))
    page.locator("#id_up-file").set_input_files(str(upload))
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("#error-summary table tbody tr")).to_have_count(1)
    expect(page.locator("#error-summary table tbody")).to_contain_text(texts["below"])
    expect(page.locator("#error-summary table tbody td").nth(1)).to_have_text("缴费工资")
    assert not Declaration.objects.exists()
    assert_accessible(page)

    inputs = page.locator("input[name^=pg-wage_]")
    expect(inputs).to_have_count(2)
    inputs.nth(0).fill("6500.00")
    inputs.nth(1).fill("3000")
    page.locator("form:has(input[name=action][value=lines]) button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(texts["floor"])
    assert_accessible(page)
    page.get_by_role("button", name=texts["confirm"]).click()
    expect(page.locator("main")).to_contain_text(texts["bill"])
    expect(page.locator("main")).to_contain_text(f"B{employer.credit_code}202603v1")
    assert_accessible(page)
