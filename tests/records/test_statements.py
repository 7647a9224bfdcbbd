"""Yearly statements: contents from the ledger, accounts and benefits; the person's statements (request,
download); idempotence. The batch and the verification page: test_statements_batch.py, test_statements_verify.py.

Figures by hand (wage 6,500.00 a month, Wuhan, industry class 3, all four types): a month is employer 1,651.00
(pension 1,040.00, medical 520.00, unemployment 45.50, work injury 45.50) and employee 669.50 (pension 520.00,
medical 130.00, unemployment 19.50), 2,320.50 in all. 2024-11 paid on 2024-12-10 (pension account 520.00 and
medical 130.00 on 1 January 2025), 2025-01 and 2025-02 paid, 2025-03 in arrears; 2025 interest on the pension
account: 520.00 × 2.62 % = 13.624 -> 13.62 (medical 0 %); a medical benefit of 123.45 in May 2025.
"""

from datetime import date

import pytest
from django.urls import reverse

from sscard.domain.statement import canonical_bytes
from sscard.records import accounts, payments
from sscard.records.statements import services
from sscard.records.statements.models import Statement

from .conftest import approved_employer, citizen_client, new_citizen, new_officer
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)

EXPECTED_2025 = {
    "contributions": [
        {"type": "pension", "paid_months": 2, "employee_fen": 104_000, "employer_fen": 208_000,
         "arrears_months": 1, "arrears_fen": 156_000},
        {"type": "medical", "paid_months": 2, "employee_fen": 26_000, "employer_fen": 104_000,
         "arrears_months": 1, "arrears_fen": 65_000},
        {"type": "unemployment", "paid_months": 2, "employee_fen": 3_900, "employer_fen": 9_100,
         "arrears_months": 1, "arrears_fen": 6_500},
        {"type": "work_injury", "paid_months": 2, "employee_fen": 0, "employer_fen": 9_100,
         "arrears_months": 1, "arrears_fen": 4_550},
    ],
    "months_total": {"pension": 3, "medical": 3, "unemployment": 3, "work_injury": 3},
    "accounts": [
        {"account": "pension", "opening_fen": 52_000, "credits_fen": 104_000, "interest_fen": 1_362,
         "other_fen": 0, "closing_fen": 157_362},
        {"account": "medical", "opening_fen": 13_000, "credits_fen": 26_000, "interest_fen": 0, "other_fen": 0,
         "closing_fen": 39_000},
    ],
    "benefits": [{"type": "medical", "count": 1, "amount_fen": 12_345}],
    "totals": {"employee_fen": 133_900, "employer_fen": 330_200, "arrears_fen": 232_050, "pension_months": 3,
               "pension_balance_fen": 157_362, "medical_balance_fen": 39_000, "benefits_fen": 12_345},
}


def insured_2025(person, employer=None, officer=None):
    """`person` with the months of the table above."""
    employer = employer or approved_employer(name="汉口示范有限公司")
    officer = officer or new_officer()
    line = [(person.id_number, person.real_name, 650_000)]
    for month, paid_on, reference in ((date(2024, 11, 1), date(2024, 12, 10), f"P-{person.pk}-1"),
                                      (date(2025, 1, 1), date(2025, 2, 10), f"P-{person.pk}-2"),
                                      (date(2025, 2, 1), date(2025, 3, 10), f"P-{person.pk}-3")):
        bill = confirmed_bill(employer, line, month=month)
        payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference=reference, paid_on=paid_on,
                                today=date(2025, 6, 1))
    confirmed_bill(employer, line, month=date(2025, 3, 1))
    payments.mark_arrears(today=date(2025, 4, 26))
    accounts.record_benefit(id_number=person.id_number, benefit_type="medical", period_start=date(2025, 5, 2),
                            period_end=date(2025, 5, 2), amount_fen=12_345, source_type="settlement",
                            source_ref=f"S-{person.pk}")
    return person


@pytest.fixture
def person():
    person = insured_2025(new_citizen("陈九"))
    accounts.credit_interest(year=2025)
    return person


def test_the_statement_holds_the_year_from_the_ledger_accounts_and_benefits(person):
    statement = services.request_statement(user=person, year=2025, today=TODAY)
    import json

    contents = json.loads(bytes(statement.contents))
    assert {key: contents[key] for key in EXPECTED_2025} == EXPECTED_2025
    assert contents["person"] == {"id_number": person.id_number, "name": "陈九"}
    assert (contents["year"], contents["kind"], contents["issued_on"]) == (2025, "on_demand", "2026-01-15")
    assert bytes(statement.contents) == canonical_bytes(contents)
    assert statement.code.startswith("SSS1")


def test_asking_twice_makes_one_statement(person):
    first = services.request_statement(user=person, year=2025, today=TODAY)
    second = services.request_statement(user=person, year=2025, today=TODAY)
    assert first.pk == second.pk
    assert Statement.objects.filter(id_number=person.id_number).count() == 1


@pytest.mark.parametrize(("year", "code"), [(2026, "year"), (2027, "year"), (2023, "no_records")])
def test_a_year_not_ended_or_without_records_is_refused(person, year, code):
    with pytest.raises(services.StatementError) as refused:
        services.request_statement(user=person, year=year, today=TODAY)
    assert refused.value.code == code
    assert not Statement.objects.exists()


def test_my_statements_lists_and_asks_and_downloads(person):
    client = citizen_client(person)
    page = client.get(reverse("records:statements"))
    assert page.status_code == 200
    assert '<option value="2025">' in page.content.decode() and "2024" in page.content.decode()
    done = client.post(reverse("records:statements"), {"year": "2025"}, follow=True)
    statement = Statement.objects.get(id_number=person.id_number)
    assert statement.serial in done.content.decode()
    pdf = client.get(reverse("records:statement_pdf", args=[statement.serial]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The same statement downloaded again is the same file (rendered from the stored contents).
    assert client.get(reverse("records:statement_pdf", args=[statement.serial])).content == pdf.content


def test_nobody_else_downloads_a_persons_statement(person):
    statement = services.request_statement(user=person, year=2025, today=TODAY)
    other = citizen_client(new_citizen("王五"))
    assert other.get(reverse("records:statement_pdf", args=[statement.serial])).status_code == 404
    assert b"PDF" not in other.get(reverse("records:statements")).content


@pytest.mark.parametrize(("name", "full_font"), [("陈九", False), ("王䶮", True)])  # 䶮 (U+4DAE) is not in GB 2312
def test_the_pdf_uses_the_common_font_and_the_full_one_for_a_rare_character(name, full_font, monkeypatch):
    import pypdfium2

    from sscard.domain import statement as rules
    from sscard.records.statements import pdf

    fonts = []
    real = pdf.add_cjk_font
    monkeypatch.setattr(pdf, "add_cjk_font", lambda document, *, full: (fonts.append(full), real(document, full=full)))
    contents = rules.build_contents(serial="2025Y0123456789", kind="yearly", year=2025, issued_on=TODAY,
                                    id_number="360426199101010071", name=name, entries=[], movements=[], benefits=[])
    body = pdf.render_statement(contents_bytes=rules.canonical_bytes(contents), code="SSS1AAAA", language="es")
    assert fonts == ([False, True] if full_font else [False])
    document = pypdfium2.PdfDocument(body)
    assert name in document[0].get_textpage().get_text_range()
    document.close()
