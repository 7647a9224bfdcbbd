"""Query and verification in a real browser, in Chinese and Spanish: the person filters "My social insurance"
by year and downloads the year as CSV and PDF, issues an authorisation code; a third party (not signed in)
uses the code with the person's ID number and sees the scoped record with the identity masked, a wrong code
gets the one refusal; the person sees the use and revokes the code, which the third party is then told. Then
(in Chinese) the employer reads its latest month and downloads its year, a records officer reads the person with a reason and requests an employer's export, a records
supervisor approves it, the officer downloads it once. Every page is checked by axe-core; no console error.

Figures by hand (Wuhan, wage 6,500.00 a month, as in tests/records/test_queries.py): 2025-11 paid
(pension employee 520.00), 2026-01 and 2026-02 paid, pension account 1,560.00.
"""

import importlib
import re
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_employer_workspace import login
from tests.casework.conftest import new_citizen
from tests.records.conftest import approved_employer, new_officer, reseed_records
from tests.records.conftest_ledger import confirmed_bill

seed_rates = importlib.import_module("sscard.reference.migrations.0009_contributionrate").seed
REFUSAL = {"zh-CN": "没有与此授权码和身份证号码相符的有效授权",
           "es-ES": "Ninguna autorización válida corresponde a este código"}
REVOKED = {"zh-CN": "本人已撤销此授权", "es-ES": "La persona ha revocado esta autorización"}
SHOWN = {"zh-CN": "已查看记录", "es-ES": "Registro mostrado"}


def _person():
    from sscard.records import payments

    employer, person = approved_employer(name="汉口查询有限公司"), new_citizen("陈九")
    officer = new_officer()
    line = [(person.id_number, person.real_name, 650_000)]
    for month, paid_on, reference in ((date(2025, 11, 1), date(2025, 12, 10), "BQ-1"),
                                      (date(2026, 1, 1), date(2026, 2, 10), "BQ-2"),
                                      (date(2026, 2, 1), date(2026, 3, 10), "BQ-3")):
        bill = confirmed_bill(employer, line, month=month)
        payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference=reference, paid_on=paid_on,
                                today=date(2026, 6, 1))
    return person


@pytest.mark.parametrize("locale", ["zh-CN", "es-ES"])
def test_person_downloads_and_authorises_a_third_party(locale, django_db_serialized_rollback, make_page,
                                                        assert_accessible, console_errors):
    reseed_records()
    seed_rates(django_apps, None)  # a transactional test before this one may have flushed the seeded rates
    person = _person()

    # The person filters by year and downloads it.
    me = make_page(locale=locale)
    login(me, person)
    me.goto(reverse("records:mine"))
    expect(me.locator("#pension-balance")).to_contain_text("1560.00")
    me.locator("#id_year").select_option("2025")
    me.locator("form:has(#id_year) button[type=submit]").click()
    expect(me).to_have_url(re.compile(r"year=2025"))
    expect(me.locator('#contributions tr[data-month="2025-11"][data-type="pension"]')).to_contain_text("520.00")
    assert_accessible(me)
    with me.expect_download() as csv_download:
        me.locator("#download-csv").click()
    body = open(csv_download.value.path(), encoding="utf-8-sig").read()
    assert "2025-11" in body and "520.00" in body and person.id_number not in body
    with me.expect_download() as pdf_download:
        me.locator("#download-pdf").click()
    assert open(pdf_download.value.path(), "rb").read(5) == b"%PDF-"

    # The person issues a code for the contributions of 2025-2026, valid 7 days.
    me.locator("#authorisations-link").click()
    expect(me).to_have_url(re.compile(re.escape(reverse("records:authorisations"))))
    assert_accessible(me)
    me.locator("input[name=parts][value=contributions]").check()
    me.locator("#id_year_from").fill("2025")
    me.locator("#id_year_to").fill("2026")
    me.locator("#id_days").fill("7")
    me.locator("#id_recipient").fill("汉口银行")
    me.locator("main form button[type=submit]").first.click()
    expect(me.locator("#issued-code")).to_be_visible()
    code = me.locator("#issued-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert_accessible(me)

    # A third party, not signed in: a wrong code first, then the right one.
    bank = make_page(locale=locale)
    bank.goto(reverse("records:verify"))
    assert_accessible(bank)
    bank.locator("#id_code").fill("ABCD-EFGH-JKMN-PQRS")
    bank.locator("#id_id_number").fill(person.id_number)
    bank.locator("main form button[type=submit]").click()
    expect(bank.locator("#error-summary")).to_contain_text(REFUSAL[locale])
    assert_accessible(bank)
    bank.locator("#id_code").fill(code.lower())
    bank.locator("#id_id_number").fill(person.id_number)
    bank.locator("main form button[type=submit]").click()
    expect(bank.locator("#scoped-record")).to_be_visible()
    expect(bank.locator("#scoped-name")).to_have_text("陈*")
    expect(bank.locator("#scoped-contributions")).to_contain_text("2025-11")
    expect(bank.locator("#scoped-movements")).to_have_count(0)
    assert person.id_number not in bank.content()
    assert_accessible(bank)

    # The person sees the use and revokes the code; the third party is told.
    me.goto(reverse("records:authorisations"))
    row = me.locator(f'#authorisations tr[data-hint="{code[-4:]}"]')
    expect(row.locator("td.uses")).to_contain_text(SHOWN[locale])
    row.locator("button[type=submit]").click()
    expect(me.locator(".message.success")).to_be_visible()
    assert_accessible(me)
    bank.goto(reverse("records:verify"))
    bank.locator("#id_code").fill(code)
    bank.locator("#id_id_number").fill(person.id_number)
    bank.locator("main form button[type=submit]").click()
    expect(bank.locator("#error-summary")).to_contain_text(REVOKED[locale])

    assert console_errors(me) == []
    # The two refusals are answered 400 on purpose (a refused form); Chromium logs each, and nothing else.
    assert console_errors(bank) == ["console: Failed to load resource: the server responded with a status of 400 "
                                    "(Bad Request)"] * 2


def test_staff_read_a_person_with_a_reason_and_export_with_a_supervisors_approval(
        django_db_serialized_rollback, make_page, assert_accessible, console_errors):
    from sscard.records.queries.staff import make_records_supervisor
    from tests.browser.test_records_walk import staff_login
    from tests.casework.conftest import new_staff

    reseed_records()
    seed_rates(django_apps, None)
    person = _person()
    officer = new_officer(["district:420106"])
    boss = new_staff([], areas=["district:420106"])
    make_records_supervisor(user=boss)
    from sscard.records.models import Enrolment

    employer_pk = Enrolment.objects.get(id_number=person.id_number).employer_id
    representative = Enrolment.objects.get(id_number=person.id_number).employer.registered_by

    # The employer's own query: the latest billed month, its bills and rows; a whole year as CSV.
    rep = make_page(locale="zh-CN")
    login(rep, representative)
    rep.goto(reverse("records:workspace"))
    rep.locator("#employer-records-link").click()
    expect(rep.locator("#employee-rows")).to_contain_text("2026-02")
    expect(rep.locator("#bills")).to_contain_text("2320.50")
    assert_accessible(rep)
    with rep.expect_download() as year_csv:
        rep.locator("#employer-csv").click()
    assert len(open(year_csv.value.path(), encoding="utf-8-sig").read().splitlines()) == 2 + 8

    desk = make_page(locale="zh-CN")
    staff_login(desk, officer)
    desk.goto(reverse("casework:records_person"))
    assert_accessible(desk)
    desk.locator("#id_id_number").fill(person.id_number)
    desk.locator("#id_reason").fill("柜台查询 2026-88")
    desk.locator("#read-form button[type=submit]").click()
    expect(desk.locator("#person-record")).to_contain_text("陈*")
    expect(desk.locator("#scoped-contributions")).to_contain_text("2026-02")
    assert person.id_number not in desk.content()
    assert_accessible(desk)

    desk.goto(reverse("casework:records_exports"))
    desk.locator("#id_employer").fill(str(employer_pk))
    desk.locator("#id_year").fill("2026")
    desk.locator("#id_reason").fill("稽核 2026-5")
    desk.locator("main form button[type=submit]").first.click()
    expect(desk.locator(".message.success")).to_be_visible()
    assert_accessible(desk)

    approver = make_page(locale="zh-CN")
    staff_login(approver, boss)
    approver.goto(reverse("casework:records_exports"))
    assert_accessible(approver)
    approver.locator("#exports button[value=approve]").click()
    expect(approver.locator(".message.success")).to_be_visible()

    desk.goto(reverse("casework:records_exports"))
    with desk.expect_download() as download:
        desk.locator("#exports form[action$='/download'] button").click()
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert lines[0] == "参保单位,汉口查询有限公司,年份,2026,月份," and len(lines) == 2 + 8
    desk.goto(reverse("casework:records_exports"))
    expect(desk.locator("#exports form[action$='/download']")).to_have_count(0)
    assert_accessible(desk)
    for p in (rep, desk, approver):
        assert console_errors(p) == []
