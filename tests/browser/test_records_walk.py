"""The records issue's "done when", walked in a real browser in Chinese and Spanish: a citizen registers an
employer, a records officer approves it; the representative enrols two employees, uploads a GBK CSV declaration
for March 2026 and an XLSX declaration for April 2026 and confirms both; the officer pays the bills (a bank
payment file, then the staff entry); each employee sees the months and a pension balance that grows; the
officer corrects one paid month and the employee sees the new version with its reason. Every page is checked by
axe-core; no console error.

Figures by hand (Wuhan 2026 as seeded: average 7,300.00, minimum 2,340.00, floor 4,380.00, ceiling 21,900.00;
industry class 3: work injury 0.7 %; the employee's pension share 8 % of the base):
  甲 (wage 6,500.00, base 6,500.00): employer 1,040.00 + 520.00 + 45.50 + 45.50 = 1,651.00,
     employee 520.00 + 130.00 + 19.50 = 669.50; pension account +520.00 a month.
  乙 (wage 3,000.00, base raised to the floor 4,380.00): employer 700.80 + 350.40 + 30.66 + 30.66 = 1,112.52,
     employee 350.40 + 87.60 + 13.14 = 451.14; pension account +350.40 a month.
  each month's bill: 2,763.52 + 1,120.64 = 3,884.16 (March due 2026-04-25, April due 2026-05-25; paid before).
  甲's pension: 520.00 after March, 1,040.00 after April; March corrected to a wage of 8,000.00: employee pension
  640.00, +120.00: 1,160.00. 乙's pension: 350.40 + 350.40 = 700.80.
"""

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.test_employer_workspace import login
from tests.casework.conftest import PASSWORD, new_citizen
from tests.records.conftest import fresh_code, new_officer, reseed_records

seed_rates = importlib.import_module("sscard.reference.migrations.0009_contributionrate").seed
REASON = {"zh-CN": "异议 2026-17：三月工资应为 8000.00", "es-ES": "Reclamación 2026-17: el salario era 8000.00"}


def staff_login(page, officer):
    page.goto(reverse("accounts:staff_login"))
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("accounts:staff_login"))))


def declare(page, assert_accessible, *, month: str, filename: str, mime: str, content: bytes, bill: str):
    page.goto(reverse("records:declaration_new"))
    page.locator("#id_m-month").fill(month)
    page.locator("form:has(#id_m-month) button[type=submit]").click()
    page.locator("#id_up-file").set_input_files(files=[{"name": filename, "mimeType": mime, "buffer": content}])
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.locator("form[action*='/confirm/'] button[type=submit]")).to_be_visible()
    assert_accessible(page)
    page.locator("form[action*='/confirm/'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(bill)
    assert_accessible(page)


def my_records(page, assert_accessible, *, pension: str, months: list[str]):
    page.goto(reverse("records:mine") + "?year=2026")
    expect(page.locator("#pension-balance")).to_contain_text(pension)
    for month in months:
        expect(page.locator(f'#contributions tr[data-month="{month}"][data-type="pension"]')).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("locale", ["zh-CN", "es-ES"])
def test_employer_to_employee_walk(locale, django_db_serialized_rollback, make_page, assert_accessible, screenshot,
                                   console_errors):
    reseed_records()
    seed_rates(django_apps, None)  # a transactional test before this one may have flushed the seeded rates
    representative, first, second = new_citizen("王五"), new_citizen("甲一"), new_citizen("乙二")
    officer = new_officer(["district:420106"])
    code = fresh_code()

    # A citizen registers the employer they represent.
    rep = make_page(locale=locale)
    login(rep, representative)
    rep.goto(reverse("records:register"))
    rep.locator("#id_credit_code").fill(code)
    rep.locator("#id_name").fill("武汉走查科技有限公司")
    rep.locator("#id_address").fill("武汉市武昌区中北路 100 号")
    rep.locator("#id_district_code").select_option("420106")
    rep.locator("#id_industry_class").select_option("3")
    rep.locator("#id_representative_name").fill(representative.real_name)
    rep.locator("#id_representative_id_number").fill(representative.id_number)
    assert_accessible(rep)
    rep.locator("main form.panel button[type=submit]").click()
    expect(rep).to_have_url(re.compile(re.escape(reverse("records:workspace"))))

    # The records officer of Wuchang approves it.
    staff = make_page(locale=locale)
    staff_login(staff, officer)
    staff.goto(reverse("casework:records_employers"))
    staff.get_by_role("link", name="武汉走查科技有限公司").click()
    assert_accessible(staff)
    staff.locator("input[name=decision][value=approve]").check()
    staff.locator("form[action$='/decide'] button[type=submit]").click()
    expect(staff.locator(".message.success")).to_be_visible()

    # The representative enrols two employees from March 2026.
    rep.goto(reverse("records:workspace"))
    expect(rep.locator("#file-title")).to_have_text("武汉走查科技有限公司")
    for person in (first, second):
        rep.locator("#id_enrol-id_number").fill(person.id_number)
        rep.locator("#id_enrol-name").fill(person.real_name)
        rep.locator("#id_enrol-start_month").fill("2026-03")
        rep.locator("form:has(#id_enrol-id_number) button[type=submit]").click()
        expect(rep.locator(".message.success")).to_be_visible()
        expect(rep.locator("main")).to_contain_text(person.masked_id_number)
    assert_accessible(rep)

    # March as a GBK CSV file (Excel's Chinese default), April as an XLSX workbook; both confirmed.
    march = (f"证件号码,姓名,缴费工资\r\n{first.id_number},{first.real_name},6500.00\r\n"
             f"{second.id_number},{second.real_name},3000\r\n").encode("gbk")
    declare(rep, assert_accessible, month="2026-03", filename="三月.csv", mime="text/csv", content=march,
            bill=f"B{code}202603v1")
    book = Workbook()
    book.active.append(["证件号码", "姓名", "缴费工资"])
    book.active.append([first.id_number, first.real_name, 6500])
    book.active.append([second.id_number, second.real_name, 3000.00])
    april = io.BytesIO()
    book.save(april)
    declare(rep, assert_accessible, month="2026-04", filename="四月.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", content=april.getvalue(),
            bill=f"B{code}202604v1")
    rep.goto(reverse("records:declarations"))
    expect(rep.locator("main")).to_contain_text("2,763.52")  # the employer total of each month
    assert_accessible(rep)

    # The officer imports the bank's payment file: March paid on time.
    staff.goto(reverse("casework:records_payment_file"))
    assert_accessible(staff)
    payment_file = f"bill_number,amount,reference,paid_on\nB{code}202603v1,3884.16,WALK-0001,2026-04-20\n"
    staff.locator("#id_file").set_input_files(
        files=[{"name": "bank.csv", "mimeType": "text/csv", "buffer": payment_file.encode()}])
    staff.locator("form[enctype] button[type=submit]").click()
    expect(staff.locator(".message.success")).to_be_visible()

    employee = make_page(locale=locale)
    login(employee, first)
    my_records(employee, assert_accessible, pension="520.00", months=["2026-03", "2026-04"])

    # April by the staff entry (a transfer seen on the bank statement).
    staff.goto(reverse("casework:records_payment_entry"))
    staff.locator("#id_bill_number").fill(f"B{code}202604v1")
    staff.locator("#id_amount_fen").fill("3884.16")
    staff.locator("#id_reference").fill("WALK-0002")
    staff.locator("#id_paid_on").fill("2026-05-20")
    assert_accessible(staff)
    staff.locator("main form button[type=submit]").click()
    expect(staff.locator(".message.success")).to_be_visible()

    my_records(employee, assert_accessible, pension="1040.00", months=["2026-03", "2026-04"])
    other = make_page(locale=locale)
    login(other, second)
    my_records(other, assert_accessible, pension="700.80", months=["2026-03", "2026-04"])
    expect(other.locator('#contributions tr[data-month="2026-04"][data-type="pension"]')).to_contain_text("4380.00")

    # The officer corrects 甲's March pension (a paid month) from the month's records page.
    staff.goto(reverse("casework:records_declarations"))
    staff.locator(f'a[href="{reverse("casework:records_employer_month", args=[first_employer_pk(code), "2026-03"])}"]'
                  ).first.click()
    row = staff.locator(f'#month-records tr[data-type="pension"]:has-text("{first.masked_id_number}")')
    expect(row).to_have_attribute("data-version", "2")
    assert_accessible(staff)
    row.locator("summary").click()
    row.locator("input[name$='-wage_fen']").fill("8000.00")
    row.locator("input[name$='-reason']").fill(REASON[locale])
    row.locator("button[type=submit]").click()
    expect(staff.locator(".message.success")).to_be_visible()
    row = staff.locator(f'#month-records tr[data-type="pension"]:has-text("{first.masked_id_number}")')
    expect(row).to_have_attribute("data-version", "3")
    expect(row).to_contain_text(REASON[locale])
    assert_accessible(staff)
    screenshot(staff, f"records-walk-month-{locale[:2]}")

    # 甲 sees the new version with its reason, and the account difference.
    my_records(employee, assert_accessible, pension="1160.00", months=["2026-03", "2026-04"])
    march_pension = employee.locator('#contributions tr[data-month="2026-03"][data-type="pension"]')
    expect(march_pension.locator("td.version")).to_contain_text("3")
    expect(march_pension.locator("td.version")).to_contain_text(REASON[locale])
    expect(march_pension).to_contain_text("640.00")
    screenshot(employee, f"records-walk-mine-{locale[:2]}")

    for p in (rep, staff, employee, other):
        assert console_errors(p) == []


def first_employer_pk(code: str) -> int:
    from sscard.records.models import Employer

    return Employer.objects.get(credit_code=code).pk
