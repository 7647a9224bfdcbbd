"""The person's page "My social insurance": account balances and last movements, contribution months and gaps,
the months table by year (status, version, correction reason), benefits; read with one query per table.

Figures by hand (wage 6,500.00 each month, 2025 and 2026 Wuhan: within the bounds; total 2,320.50 a month):
  paid: 2025-11, 2026-01, 2026-02 (pension 520.00 and medical 130.00 credited each); 2026-03 in arrears;
  2026-01 pension corrected to a wage of 8,000.00: employee 640.00, +120.00 on the pension account.
  pension 3 × 520.00 + 120.00 = 1,680.00; medical 3 × 130.00 = 390.00; pension months 3, gap 2025-12.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sscard.records import accounts, corrections, payments, person_selectors
from sscard.records.models import LedgerEntry

from .conftest import approved_employer, citizen_client, new_citizen, new_officer
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    employer, person = approved_employer(name="汉口示范有限公司"), new_citizen("陈九")
    officer = new_officer()
    line = [(person.id_number, person.real_name, 650_000)]
    for month, paid_on, reference in ((date(2025, 11, 1), date(2025, 12, 10), "P-1"),
                                      (date(2026, 1, 1), date(2026, 2, 10), "P-2"),
                                      (date(2026, 2, 1), date(2026, 3, 10), "P-3")):
        bill = confirmed_bill(employer, line, month=month)
        payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference=reference, paid_on=paid_on,
                                today=date(2026, 6, 1))
    confirmed_bill(employer, line, month=date(2026, 3, 1))
    payments.mark_arrears(today=date(2026, 4, 26))
    january = LedgerEntry.objects.filter(id_number=person.id_number, month=date(2026, 1, 1),
                                         insurance_type="pension").order_by("-version").first()
    corrections.correct_entry(staff=officer, entry=january, wage_fen=800_000, reason="Objection 17: wage 8000.00")
    accounts.record_benefit(id_number=person.id_number, benefit_type="medical", period_start=date(2026, 5, 2),
                            period_end=date(2026, 5, 2), amount_fen=12_345, source_type="settlement",
                            source_ref="S-9")
    return person


def test_the_selector_reads_each_table_once_and_chooses_the_current_versions(person):
    with CaptureQueriesContext(connection) as queries:
        records = person_selectors.person_records(person.id_number)
    assert len(queries) == 5  # balances, movements, ledger, employer names, benefits
    assert records.balances == {"pension": 168_000, "medical": 39_000}
    assert records.years == [2026, 2025] and records.year == 2026
    assert [(r.month, r.insurance_type, r.status, r.version, r.employee_fen) for r in records.rows
            if r.insurance_type == "pension"] == [
        (date(2026, 3, 1), "pension", "arrears", 2, 52_000), (date(2026, 2, 1), "pension", "paid", 2, 52_000),
        (date(2026, 1, 1), "pension", "paid", 3, 64_000)]
    pension = next(t for t in records.contribution_months if t.insurance_type == "pension")
    assert pension.months.count == 3
    assert [(g.first, g.last) for g in pension.months.gaps] == [(date(2025, 12, 1), date(2025, 12, 1))]


def test_the_ledger_is_read_through_the_id_number_index_on_postgresql(person):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's (SQLite: one small table)")
    query = LedgerEntry.objects.filter(id_number=person.id_number).only("id", "month")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan and "Index" in plan


def test_my_social_insurance_shows_balances_months_gaps_corrections_and_benefits(person):
    response = citizen_client(person).get(reverse("records:mine"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "1680.00" in text and "390.00" in text  # balances
    assert "汉口示范有限公司" in text
    assert "2025-12" in text  # the gap
    assert "In arrears" in text and "Paid" in text
    assert "corrected" in text and "Objection 17: wage 8000.00" in text
    assert "Medical treatment (settled by the fund)" in text and "123.45" in text
    assert "2026-03" in text and "2025-11" not in text.split('id="contributions"')[1]


def test_the_year_filter_shows_the_months_of_that_year(person):
    text = citizen_client(person).get(reverse("records:mine"), {"year": "2025"}).content.decode()
    table = text.split('id="contributions"')[1].split("</table>")[0]
    assert "2025-11" in table and "2026-" not in table
    text = citizen_client(person).get(reverse("records:mine"), {"year": "1999"}).content.decode()
    assert "2026-03" in text.split('id="contributions"')[1]  # an unknown year: the latest


def test_a_person_without_records_sees_empty_tables():
    text = citizen_client(new_citizen("林十")).get(reverse("records:mine")).content.decode()
    assert "No contribution recorded yet." in text and "0.00" in text and "No benefit recorded." in text


def test_the_page_speaks_chinese_and_spanish(person):
    client = citizen_client(person)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    text = client.get(reverse("records:mine")).content.decode()
    assert "养老保险个人账户" in text and "断缴月份" in text and "欠费" in text
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    text = client.get(reverse("records:mine")).content.decode()
    assert "Cuenta de pensión" in text and "Prestaciones recibidas" in text
