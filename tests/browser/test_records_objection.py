"""Objections and consultation walked in a real browser in Chinese and Spanish: a person objects to the pension
of a paid month with a PDF payslip, a records officer of the employer's area takes it up and corrects the wage,
and the person sees the new version on the objection's page; the person asks a question, the officer answers
it, the person rates the answer. Every page is checked by axe-core; no console error.

Figures by hand (as tests/records/test_objections.py): March 2026 wage 6,500.00 paid (version 2 of the pension
row), corrected to 8,000.00: version 3, base 8,000.00, pension account 520.00 -> 640.00.
"""

import importlib
import re
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import expect

from sscard.records import payments
from sscard.records.models import AccountBalance, LedgerEntry
from tests.browser.test_employer_workspace import login
from tests.browser.test_records_walk import staff_login
from tests.records.conftest import approved_employer, new_citizen, new_officer, reseed_records
from tests.records.conftest_ledger import confirmed_bill

seed_rates = importlib.import_module("sscard.reference.migrations.0009_contributionrate").seed
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = {
    "zh-CN": {"reason": "三月工资应为 8000.00 元", "note": "已核对工资单", "subject": "个人账户利息",
              "question": "利息什么时候记入？", "answer": "每年12月31日记入。"},
    "es-ES": {"reason": "Mi salario de marzo era 8000.00", "note": "Nómina comprobada", "subject": "Intereses",
              "question": "¿Cuándo se abonan los intereses?", "answer": "El 31 de diciembre."},
}


@pytest.mark.parametrize("locale", ["zh-CN", "es-ES"])
def test_objection_and_consultation_walk(locale, django_db_serialized_rollback, make_page, assert_accessible,
                                         console_errors):
    reseed_records()
    seed_rates(django_apps, None)
    text = TEXT[locale]
    employer, person = approved_employer(), new_citizen("冯八")
    officer = new_officer(["district:420106"])
    bill = confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)])
    payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference=f"W-{locale}",
                            paid_on=date(2026, 4, 20), today=date(2026, 6, 1))
    paid = LedgerEntry.objects.get(id_number=person.id_number, insurance_type="pension", version=2)

    # The person objects to March's pension with a PDF payslip.
    citizen = make_page(locale=locale)
    login(citizen, person)
    citizen.goto(reverse("records:mine") + "?year=2026")
    assert_accessible(citizen)
    citizen.goto(reverse("records:objection_new") + "?year=2026")
    assert_accessible(citizen)
    citizen.locator(f'input[name="entries"][value="{paid.pk}"]').check()
    citizen.locator("#reason").fill(text["reason"])
    citizen.locator("#evidence").set_input_files(files=[{"name": "payslip.pdf", "mimeType": "application/pdf",
                                                         "buffer": PDF}])
    citizen.locator("#objection-form button[type=submit]").click()
    expect(citizen.locator("#objection-state")).to_have_attribute("data-state", "submitted")
    assert_accessible(citizen)
    objection_url = citizen.url

    # The officer takes it up and corrects the wage.
    staff = make_page(locale=locale)
    staff_login(staff, officer)
    staff.goto(reverse("casework:records_objections"))
    assert_accessible(staff)
    staff.locator("#objection-queue a").first.click()
    assert_accessible(staff)
    staff.locator("#claim").click()
    expect(staff.locator("#objection-state")).to_have_attribute("data-state", "claimed")
    assert_accessible(staff)
    staff.locator('#decide-form input[name^="wage_"]').fill("8000.00")
    staff.locator('#decide-form input[name="decision"][value="correct"]').check()
    staff.locator("#note").fill(text["note"])
    staff.locator("#decide-form button[type=submit]").click()
    expect(staff.locator("#objection-state")).to_have_attribute("data-state", "corrected")
    assert_accessible(staff)

    # The person sees the new version.
    citizen.goto(objection_url)
    expect(citizen.locator("#objection-state")).to_have_attribute("data-state", "corrected")
    row = citizen.locator('#objection-lines tr[data-month="2026-03"][data-type="pension"]')
    expect(row.locator(".corrected-version")).to_have_text("3")
    expect(row).to_contain_text(re.compile(r"8,?000\.00"))
    expect(citizen.locator("#decision-note")).to_contain_text(text["note"])
    assert_accessible(citizen)
    assert AccountBalance.objects.get(id_number=person.id_number, account="pension").balance_fen == 64_000

    # A consultation: asked, answered, rated.
    citizen.goto(reverse("records:consultation"))
    assert_accessible(citizen)
    citizen.locator("#category").select_option("accounts")
    citizen.locator("#subject").fill(text["subject"])
    citizen.locator("#text").fill(text["question"])
    citizen.locator("#ask-form button[type=submit]").click()
    expect(citizen.locator("#question-state")).to_have_attribute("data-state", "open")
    assert_accessible(citizen)
    question_url = citizen.url

    staff.goto(reverse("casework:records_questions"))
    assert_accessible(staff)
    staff.locator("#question-queue a", has_text=text["subject"]).click()
    staff.locator("#answer-text").fill(text["answer"])
    staff.locator("#answer-form button[type=submit]").click()
    expect(staff.locator("#answer")).to_contain_text(text["answer"])
    assert_accessible(staff)

    citizen.goto(question_url)
    expect(citizen.locator("#answer")).to_contain_text(text["answer"])
    assert_accessible(citizen)
    citizen.locator('#rate-form input[name="rating"][value="5"]').check()
    citizen.locator("#rate-form button[type=submit]").click()
    expect(citizen.locator("#rating")).to_contain_text("5 / 5")
    assert_accessible(citizen)

    staff.goto(reverse("casework:records_dashboard"))
    expect(staff.locator("#q-rating")).to_have_text(re.compile(r"^5[.,]0$"))  # 5,0 in Spanish
    assert_accessible(staff)
    for p in (citizen, staff):
        assert console_errors(p) == []
