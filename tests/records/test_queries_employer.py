"""Query and verification, the employer's side: contributions per employee and month, bills, payments and
arrears of a year or a month, and the CSV; only for the people who act for the employer.

Figures by hand (Wuhan 2026, industry class 3):
  A: wage 6,500.00: pension 1040.00 / 520.00, medical 520.00 / 130.00, unemployment 45.50 / 19.50,
     work injury 45.50 / 0.00 -> 2,320.50 a month.
  B: wage 10,000.00: pension 1600.00 / 800.00, medical 800.00 / 200.00, unemployment 70.00 / 30.00,
     work injury 70.00 / 0.00 -> 3,570.00 a month.
  Bill of a month: 5,890.50. 2026-02 paid on 2026-03-10; 2026-03 in arrears (due 2026-04-25).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sscard.records import payments
from sscard.records.queries import selectors

from .conftest import approved_employer, citizen_client, new_citizen, new_officer
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db


def streamed(response) -> str:
    """The text of a streamed download (the CSVs are streamed a month at a time)."""
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def employer_world():
    employer = approved_employer(name="武昌查询有限公司")
    a, b = new_citizen("张三"), new_citizen("李四")
    lines = [(a.id_number, a.real_name, 650_000), (b.id_number, b.real_name, 1_000_000)]
    february = confirmed_bill(employer, lines, month=date(2026, 2, 1))
    payments.record_payment(staff=new_officer(), bill=february, amount_fen=589_050, reference="E-1",
                            paid_on=date(2026, 3, 10), today=date(2026, 3, 10))
    confirmed_bill(employer, lines, month=date(2026, 3, 1))
    payments.mark_arrears(today=date(2026, 4, 26))
    return employer, a, b


def test_the_employer_record_of_a_month_has_each_employees_rows_and_the_bills(employer_world):
    employer, a, b = employer_world
    record = selectors.employer_record(employer, year=2026, month=date(2026, 3, 1))
    with translation.override("en"):
        got = sorted((r.masked_id_number, str(r.type_label), r.employer_yuan, r.employee_yuan, r.status)
                     for r in record.rows)
    mask = lambda n: f"{n[:6]}********{n[-4:]}"  # noqa: E731
    assert got == sorted([
        (mask(a.id_number), "Pension", "1040.00", "520.00", "arrears"),
        (mask(a.id_number), "Medical (incl. maternity)", "520.00", "130.00", "arrears"),
        (mask(a.id_number), "Unemployment", "45.50", "19.50", "arrears"),
        (mask(a.id_number), "Work injury", "45.50", "0.00", "arrears"),
        (mask(b.id_number), "Pension", "1600.00", "800.00", "arrears"),
        (mask(b.id_number), "Medical (incl. maternity)", "800.00", "200.00", "arrears"),
        (mask(b.id_number), "Unemployment", "70.00", "30.00", "arrears"),
        (mask(b.id_number), "Work injury", "70.00", "0.00", "arrears"),
    ])
    assert [(bill.month, bill.total_yuan, bill.state) for bill in record.bills] == [
        (date(2026, 3, 1), "5890.50", "arrears")]
    assert record.arrears_yuan == "5890.50" and record.payments == []
    year = selectors.employer_record(employer, year=2026)
    assert len(year.rows) == 16 and [b.state for b in year.bills] == ["arrears", "paid"]
    assert [(p.reference, p.amount_fen) for p in year.payments] == [("E-1", 589_050)]


def test_the_representative_sees_the_page_and_downloads_the_csv(employer_world):
    employer, a, _b = employer_world
    client = citizen_client(employer.registered_by)
    page = client.get(reverse("records:employer_records"), {"year": "2026"})  # the latest billed month: March
    assert page.status_code == 200 and page.context["record"].month == date(2026, 3, 1)
    body = page.content.decode()
    assert "5890.50" in body and "E-1" not in body and a.id_number not in body
    assert len(page.context["record"].rows) == 8
    february = client.get(reverse("records:employer_records"), {"year": "2026", "month": "2"})
    assert "E-1" in february.content.decode() and february.context["record"].month == date(2026, 2, 1)
    whole_year = client.get(reverse("records:employer_records_csv"), {"year": "2026"})
    assert len(streamed(whole_year)[1:].split("\r\n")[:-1]) == 2 + 16
    response = client.get(reverse("records:employer_records_csv"), {"year": "2026", "month": "2"})
    assert response.status_code == 200
    assert f'filename="contributions-{employer.credit_code}-2026-02.csv"' in response["Content-Disposition"]
    lines = streamed(response)[1:].split("\r\n")[:-1]
    assert lines[0] == "Employer,武昌查询有限公司,Year,2026,Month,2026-02"
    assert lines[1] == "Month,ID number,Name,Insurance type,Base,Employer amount,Employee amount,Status,Version"
    assert len(lines) == 2 + 8
    assert f"2026-02,{a.id_number[:6]}********{a.id_number[-4:]},张*,Pension,6500.00,1040.00,520.00,Paid,2" in lines
    assert a.id_number not in streamed(response)


def test_somebody_who_does_not_act_for_the_employer_is_sent_to_the_workspace(employer_world):
    stranger = citizen_client(new_citizen("赵六"))
    for name in ("records:employer_records", "records:employer_records_csv"):
        response = stranger.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("records:workspace")


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_escaped_in_both_csvs():
    employer = approved_employer(name="=HYPERLINK(1)有限公司")
    person = new_citizen("孙八")
    confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)], month=date(2026, 3, 1))
    employer_lines = streamed(citizen_client(employer.registered_by).get(
        reverse("records:employer_records_csv"), {"year": "2026"}))[1:].split("\r\n")
    assert employer_lines[0] == "Employer,'=HYPERLINK(1)有限公司,Year,2026,Month,"
    person_lines = citizen_client(person).get(reverse("records:mine_csv"), {"year": "2026"}
                                              ).content.decode("utf-8")[1:].split("\r\n")
    assert person_lines[2].startswith("Contribution,2026-03,Pension,'=HYPERLINK(1)有限公司,6500.00,")


def test_the_download_streams_the_same_rows_as_the_page_one_month_at_a_time(employer_world):
    employer, _a, _b = employer_world

    def values(rows):
        return [(r.month_label, r.masked_id_number, r.name, r.employer_fen, r.employee_fen, r.status, r.version)
                for r in rows]

    page_rows = selectors.employer_record(employer, year=2026, limit=None).rows
    with CaptureQueriesContext(connection) as queries:
        streamed_rows = list(selectors.employer_rows(employer, year=2026))
    assert values(streamed_rows) == values(page_rows) and len(streamed_rows) == 16
    assert len(queries) == 12 + 2  # each month's rows; the names of the two months with rows
