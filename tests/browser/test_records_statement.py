"""The yearly statement in a real browser, in Chinese and Spanish: a person asks for the statement of 2025 in
"My statements", downloads the PDF, and the QR decoded from the rendered PDF (pypdfium2 + zxing-cpp) is entered on
the public verification page (no login), which shows the masked name, the year and the signed totals; a code with
a changed character is refused. Every page is checked by axe-core; no console error.

Figures by hand: the person of tests/records/test_statements.py (2025: employee 1,339.00, employer 3,302.00,
arrears 2,320.50, pension account 1,573.62 on 31 December)."""

import importlib

import pypdfium2
import pytest
import zxingcpp
from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_employer_workspace import login
from tests.casework.conftest import new_citizen
from tests.records.conftest import reseed_records
from tests.records.test_statements import insured_2025

seed_rates = importlib.import_module("sscard.reference.migrations.0009_contributionrate").seed
REFUSED = {"zh-CN": "篡改或伪造", "es-ES": "alterado o falsificado"}
GENUINE = {"zh-CN": "真实记录单", "es-ES": "Estado auténtico"}


@pytest.mark.parametrize("locale", ["zh-CN", "es-ES"])
def test_a_person_downloads_and_anyone_verifies_the_statement(locale, django_db_serialized_rollback, make_page,
                                                              assert_accessible, console_errors):
    from sscard.records import accounts

    reseed_records()
    seed_rates(django_apps, None)
    person = insured_2025(new_citizen("陈九"))
    accounts.credit_interest(year=2025)

    page = make_page(locale=locale)
    login(page, person)
    page.goto(reverse("records:mine"))
    page.locator("#my-statements").click()
    assert_accessible(page)
    page.locator("#statement-year").select_option("2025")
    page.locator("#request-statement button[type=submit]").click()
    link = page.locator("#statements a[href$='.pdf']")
    expect(link).to_have_count(1)
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    pdf = pypdfium2.PdfDocument(download.value.path())
    # QR codes only: the statement carries one; lines of its text and tables can read as a 1-D barcode ("A")
    codes = [found.text for found in zxingcpp.read_barcodes(pdf[0].render(scale=3).to_pil(),
                                                            formats=zxingcpp.BarcodeFormat.QRCode)]
    pdf.close()
    assert len(codes) == 1 and codes[0].startswith("SSS1")

    anyone = make_page(locale=locale)
    anyone.goto(reverse("records:statement_verify"))
    assert_accessible(anyone)
    anyone.locator("#code").fill(codes[0])
    anyone.locator("#verify-form button[type=submit]").click()
    expect(anyone.locator("#verified")).to_contain_text(GENUINE[locale])
    expect(anyone.locator("#verified-name")).to_have_text("陈*")
    expect(anyone.locator("#verified-year")).to_have_text("2025")
    for total in ("1339.00", "3302.00", "2320.50", "1573.62"):
        expect(anyone.locator("#verified")).to_contain_text(total)
    assert_accessible(anyone)

    changed = codes[0][:50] + ("A" if codes[0][50] != "A" else "B") + codes[0][51:]
    anyone.locator("#code").fill(changed)
    anyone.locator("#verify-form button[type=submit]").click()
    expect(anyone.locator("#code-error")).to_be_visible()
    expect(anyone.locator("#verified")).to_have_count(0)
    assert_accessible(anyone)
    assert console_errors(page) == [] and console_errors(anyone) == []
