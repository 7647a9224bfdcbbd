"""Bills paid by bank payment file or staff entry, bills falling into arrears, late fees.

Figures by hand (Wuhan 2026: floor 4,380.00; class 3, work injury 0.7 %):
  A, wage 6,500.00: employer 1,040.00 + 520.00 + 45.50 + 45.50 = 1,651.00; employee 520.00 + 130.00 + 19.50 = 669.50
  B, wage 3,000.00 -> base 4,380.00: employer 700.80 + 350.40 + 30.66 + 30.66 = 1,112.52;
     employee 350.40 + 87.60 + 13.14 = 451.14
  bill of March 2026: 2,763.52 + 1,120.64 = 3,884.16, due 2026-04-25.
  paid 2026-05-05: 10 days late × 0.05 % = 0.5 % of 3,884.16 = 19.4208 -> late fee 19.42, amount 3,903.58.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from sscard.audit.models import AuditEvent
from sscard.records import payments
from sscard.records.models import AccountBalance, AccountMovement, Bill, LedgerEntry, Payment, Voucher
from sscard.records.payment_files.base import PaymentFileRejected
from sscard.records.services import RecordsError

from .conftest import approved_employer, new_citizen, new_officer, staff_client
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def bill():
    employer = approved_employer()
    a, b = new_citizen("周一"), new_citizen("吴二")
    bill = confirmed_bill(employer, [(a.id_number, a.real_name, 650_000), (b.id_number, b.real_name, 300_000)])
    bill.people = (a, b)
    return bill


def csv_file(*lines: str) -> bytes:
    return ("bill_number,amount,reference,paid_on\n" + "".join(line + "\n" for line in lines)).encode()


def test_the_bill_of_the_stand_in_declaration_has_the_hand_computed_totals(bill):
    assert (bill.employer_fen, bill.employee_fen, bill.total_fen) == (276_352, 112_064, 388_416)
    assert bill.due_date == date(2026, 4, 25)


def test_a_payment_file_pays_the_bill_with_its_late_fee_marks_the_rows_paid_and_credits_the_accounts(bill):
    officer = new_officer()
    content = csv_file(f"{bill.number},3903.58,ICBC-2026-0001,2026-05-05")
    result = payments.import_payment_file(staff=officer, filename="icbc.csv", content=content, today=TODAY)
    assert [b.number for b in result.paid] == [bill.number] and not result.already_imported
    bill.refresh_from_db()
    assert bill.state == "paid"
    payment = Payment.objects.get(bill=bill)
    assert (payment.amount_fen, payment.late_fee_fen, payment.paid_on, payment.source) == (
        390_358, 1_942, date(2026, 5, 5), "bank_file")
    voucher = Voucher.objects.get(kind="payment")
    assert bytes(voucher.content) == content and payment.voucher == voucher
    assert voucher.sha256 == __import__("hashlib").sha256(content).hexdigest()
    rows = LedgerEntry.objects.filter(employer_id=bill.employer_id, month=bill.month)
    assert sorted((r.version, r.status) for r in rows) == [(1, "assessed")] * 8 + [(2, "paid")] * 8
    a, b = bill.people
    assert {(m.id_number, m.account, m.amount_fen, m.day) for m in AccountMovement.objects.all()} == {
        (a.id_number, "pension", 52_000, date(2026, 5, 5)), (a.id_number, "medical", 13_000, date(2026, 5, 5)),
        (b.id_number, "pension", 35_040, date(2026, 5, 5)), (b.id_number, "medical", 8_760, date(2026, 5, 5))}
    assert AccountBalance.objects.get(id_number=a.id_number, account="pension").balance_fen == 52_000
    assert AuditEvent.objects.filter(event_type="records.payment_file_imported").count() == 1


def test_the_same_file_twice_changes_nothing(bill):
    officer = new_officer()
    content = csv_file(f"{bill.number},3884.16,ICBC-0002,2026-04-20")
    payments.import_payment_file(staff=officer, filename="a.csv", content=content, today=TODAY)
    again = payments.import_payment_file(staff=officer, filename="a.csv", content=content, today=TODAY)
    assert again.already_imported and again.paid == []
    assert (Payment.objects.count(), Voucher.objects.filter(kind="payment").count(),
            AccountMovement.objects.count(), LedgerEntry.objects.filter(status="paid").count()) == (1, 1, 4, 8)


@pytest.mark.parametrize("line, column, message", [
    ("{n},3884.16,REF-1,2026-05-05", "amount",
     "The amount 3884.16 does not match the bill: 3903.58 due on 2026-05-05 (3884.16 and a late fee of 19.42)."),
    ("{n},3884.1,REF-1,2026-04-20", "amount", "Write the amount in yuan with two decimals, for example 1234.50."),
    ("{n},3884.16,REF-1,2026-13-01", "paid_on", "Write the date as YYYY-MM-DD, for example 2026-04-20."),
    ("{n},3884.16,REF-1,2026-06-02", "paid_on", "The payment day 2026-06-02 is in the future."),
    ("B00000000,3884.16,REF-1,2026-04-20", "bill_number", "No bill with this number in your areas."),
    ("{n},3884.16,REF 1,2026-04-20", "reference",
     "The bank reference is 1 to 64 letters, digits, dashes or slashes."),
])
def test_a_bad_line_is_reported_with_line_and_column_and_nothing_is_written(bill, line, column, message):
    other = confirmed_bill(bill.employer, [(bill.people[0].id_number, "周一", 650_000)], month=date(2026, 2, 1))
    # line 2 is good (February: 2,320.50, due 2026-03-25, paid on time), line 3 is bad
    content = csv_file(f"{other.number},2320.50,GOOD-1,2026-03-20", line.format(n=bill.number))
    with pytest.raises(PaymentFileRejected) as rejected:
        payments.import_payment_file(staff=new_officer(), filename="bad.csv", content=content, today=TODAY)
    assert [(e.line, e.column, e.translated()) for e in rejected.value.errors] == [(3, column, message)]
    assert (Payment.objects.count(), Voucher.objects.filter(kind="payment").count(),
            AccountMovement.objects.count()) == (0, 0, 0)
    assert set(Bill.objects.values_list("state", flat=True)) == {"open"}


def test_a_reference_used_before_or_twice_in_the_file_and_a_bill_twice_are_refused(bill):
    officer = new_officer()
    other = confirmed_bill(bill.employer, [(bill.people[0].id_number, "周一", 650_000)], month=date(2026, 2, 1))
    payments.record_payment(staff=officer, bill=other, amount_fen=232_050, reference="USED-1",
                            paid_on=date(2026, 3, 20), today=TODAY)
    content = csv_file(f"{bill.number},3884.16,USED-1,2026-04-20", f"{bill.number},3884.16,NEW-1,2026-04-20",
                       f"{other.number},2320.50,NEW-1,2026-03-20")
    with pytest.raises(PaymentFileRejected) as rejected:
        payments.import_payment_file(staff=officer, filename="x.csv", content=content, today=TODAY)
    assert [(e.line, e.column, e.translated()) for e in rejected.value.errors] == [
        (2, "reference", "This bank reference was already recorded."),
        (3, "bill_number", "This bill is paid on line 2 of the file too."),
        (4, "bill_number", "This bill cannot be paid (state: Paid): only an open bill or a bill in arrears can be paid."),
        (4, "reference", "This bank reference is on line 3 of the file too."),
    ]


def test_the_header_and_the_encoding_are_checked():
    officer = new_officer()
    with pytest.raises(PaymentFileRejected) as rejected:
        payments.import_payment_file(staff=officer, filename="x.csv", content=b"bill,amount\nB1,1.00\n", today=TODAY)
    assert [(e.line, e.translated()) for e in rejected.value.errors] == [
        (1, "The first line must be the header: bill_number,amount,reference,paid_on")]
    with pytest.raises(PaymentFileRejected) as rejected:
        payments.import_payment_file(staff=officer, filename="x.csv", content="票据".encode("gbk"), today=TODAY)
    assert [e.translated() for e in rejected.value.errors] == ["The file is not UTF-8 text."]


def test_a_bill_outside_the_officers_areas_is_not_found_and_staff_without_the_permission_is_refused(bill):
    content = csv_file(f"{bill.number},3884.16,REF-9,2026-04-20")
    with pytest.raises(PaymentFileRejected) as rejected:
        payments.import_payment_file(staff=new_officer(["district:420102"]), filename="x.csv", content=content,
                                     today=TODAY)
    assert rejected.value.errors[0].translated() == "No bill with this number in your areas."
    from .conftest import new_staff

    with pytest.raises(RecordsError) as refused:
        payments.import_payment_file(staff=new_staff([]), filename="x.csv", content=content, today=TODAY)
    assert refused.value.code == "permission"


def test_the_staff_entry_pays_a_bill_and_refuses_a_wrong_amount_next_to_the_field(bill):
    officer = new_officer()
    with pytest.raises(RecordsError) as refused:
        payments.record_payment(staff=officer, bill=bill, amount_fen=388_416, reference="CASH-1",
                                paid_on=date(2026, 4, 26), today=TODAY)
    # 1 day late: 0.05 % of 3,884.16 = 1.94208 -> 1.94
    assert refused.value.field == "amount_fen" and "3886.10" in refused.value.translated()
    payment = payments.record_payment(staff=officer, bill=bill, amount_fen=388_610, reference="CASH-1",
                                      paid_on=date(2026, 4, 26), today=TODAY)
    assert (payment.late_fee_fen, payment.source) == (194, "staff")
    bill.refresh_from_db()
    assert bill.state == "paid"


def test_open_bills_past_their_due_date_fall_into_arrears_once(bill):
    assert payments.mark_arrears(today=date(2026, 4, 25)) == 0  # due today: not yet
    assert payments.mark_arrears(today=date(2026, 4, 26)) == 1
    assert payments.mark_arrears(today=date(2026, 4, 27)) == 0  # idempotent
    bill.refresh_from_db()
    assert bill.state == "arrears"
    rows = LedgerEntry.objects.filter(employer_id=bill.employer_id, month=bill.month)
    assert sorted((r.version, r.status) for r in rows) == [(1, "assessed")] * 8 + [(2, "arrears")] * 8
    # paying it later: version 3 "paid"
    payments.record_payment(staff=new_officer(), bill=bill, amount_fen=390_358, reference="LATE-1",
                            paid_on=date(2026, 5, 5), today=TODAY)
    assert LedgerEntry.objects.filter(version=3, status="paid").count() == 8


def test_the_arrears_list_shows_the_late_fee_to_date(bill):
    from sscard.records import selectors

    payments.mark_arrears(today=date(2026, 4, 26))
    rows = selectors.arrears_visible_to(new_officer(), today=date(2026, 5, 5))
    assert [(r.bill.number, r.days_late, r.late_fee_fen, r.amount_due_fen) for r in rows] == [
        (bill.number, 10, 1_942, 390_358)]
    assert selectors.arrears_visible_to(new_officer(["district:420102"]), today=date(2026, 5, 5)) == []


def test_the_upload_page_lists_errors_with_line_and_column(bill):
    client = staff_client(new_officer())
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bank.csv", csv_file(f"{bill.number},1.00,REF-1,2026-04-20"), "text/csv")
    response = client.post(reverse("casework:records_payment_file"), {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "amount" in text and "<td>2</td>" in text and "does not match the bill" in text
    upload = SimpleUploadedFile("bank.csv", csv_file(f"{bill.number},3884.16,REF-1,2026-04-20"), "text/csv")
    response = client.post(reverse("casework:records_payment_file"), {"file": upload}, follow=True)
    assert response.status_code == 200 and "1 bill(s) paid" in response.content.decode()
    bill.refresh_from_db()
    assert bill.state == "paid"


def test_the_documented_test_vector_pays_both_bills(bill):
    """docs/formats.md, "Bank payment file (contributions)": docs/vectors/bank_payments.csv."""
    from pathlib import Path

    from django.conf import settings

    a = bill.people[0]
    confirmed_bill(bill.employer, [(a.id_number, a.real_name, 650_000), (bill.people[1].id_number, "吴二", 300_000)],
                   month=date(2026, 3, 1), number="B-VECTOR-202603")
    february = confirmed_bill(bill.employer, [(a.id_number, a.real_name, 650_000)], month=date(2026, 2, 1),
                              number="B-VECTOR-202602")
    content = (Path(settings.BASE_DIR) / "docs" / "vectors" / "bank_payments.csv").read_bytes()
    result = payments.import_payment_file(staff=new_officer(), filename="bank_payments.csv", content=content,
                                          today=TODAY)
    assert [b.number for b in result.paid] == ["B-VECTOR-202603", "B-VECTOR-202602"]
    # February: 2,320.50 due 2026-03-25, paid 2026-04-04: 10 days × 0.05 % = 11.6025 -> 11.60
    assert Payment.objects.get(bill=february).late_fee_fen == 1_160


def test_the_officer_pages_list_declarations_and_arrears_of_their_areas_only(bill):
    payments.mark_arrears(today=date(2026, 4, 26))
    mine = staff_client(new_officer())
    text = mine.get(reverse("casework:records_declarations")).content.decode()
    assert bill.employer.name in text and "2026-03" in text and "2763.52" in text and "3884.16" in text
    text = mine.get(reverse("casework:records_arrears")).content.decode()
    assert bill.number in text and "3884.16" in text and "Record a payment" in text
    other = staff_client(new_officer(["district:420102"]))
    assert bill.number not in other.get(reverse("casework:records_arrears")).content.decode()
    assert bill.employer.name not in other.get(reverse("casework:records_declarations")).content.decode()
    from .conftest import new_staff

    assert staff_client(new_staff([])).get(reverse("casework:records_payment_file")).status_code == 403


def test_the_staff_entry_page_records_a_payment_and_shows_a_refusal_next_to_the_field(bill):
    client = staff_client(new_officer())
    url = reverse("casework:records_payment_entry")
    form = {"bill_number": bill.number, "amount_fen": "1.00", "reference": "DESK-1", "paid_on": "2026-04-20"}
    response = client.post(url, form)
    assert response.status_code == 400 and "does not match the bill" in response.content.decode()
    response = client.post(url, {**form, "amount_fen": "3884.16"}, follow=True)
    assert f"The payment of bill {bill.number} is recorded." in response.content.decode()
    assert Payment.objects.get().source == "staff"


def test_the_pages_speak_chinese(bill):
    payments.mark_arrears(today=date(2026, 4, 26))
    client = staff_client(new_officer())
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    text = client.get(reverse("casework:records_arrears")).content.decode()
    assert "您辖区内用人单位的欠费账单" in text and "逾期天数" in text


def test_the_daily_beat_task_moves_overdue_bills_into_arrears(bill, settings):
    from sscard.records import tasks

    assert settings.CELERY_BEAT_SCHEDULE["records-mark-arrears"]["task"] == "sscard.records.mark_arrears"
    payments.mark_arrears(today=date(2026, 4, 26))  # the March bill is in arrears already
    old = confirmed_bill(bill.employer, [(bill.people[0].id_number, "周一", 650_000)], month=date(2025, 1, 1))
    assert tasks.mark_arrears.apply().get() == 1  # January 2025 was due on 2025-02-25: long past
    old.refresh_from_db()
    assert old.state == "arrears"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits; seeded data restored after
def test_the_same_file_imported_twice_at_the_same_moment_pays_once():
    import threading

    from django.db import connection

    from .conftest import reseed_records

    reseed_records()
    employer, person = approved_employer(), new_citizen("何十一")
    bill = confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)])
    officer = new_officer()
    content = csv_file(f"{bill.number},2320.50,SAME-1,2026-04-20")
    barrier = threading.Barrier(2)
    outcomes = []

    def act():
        try:
            barrier.wait()
            result = payments.import_payment_file(staff=officer, filename="same.csv", content=content, today=TODAY)
            outcomes.append("already" if result.already_imported else "paid")
        except PaymentFileRejected as rejected:
            outcomes.append(rejected.errors[0].code)
        except Exception as error:  # noqa: BLE001 - a lock timeout of the test database counts as refused
            outcomes.append(type(error).__name__)
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=act) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("paid") == 1
    assert (Payment.objects.count(), Voucher.objects.filter(kind="payment").count(),
            AccountMovement.objects.count()) == (1, 1, 2)


@pytest.mark.parametrize("persons", [2, 40])
def test_paying_a_bill_takes_the_same_handful_of_queries_for_2_or_40_persons(persons, django_assert_max_num_queries):
    """Crediting is set-based: one statement appends the paid rows, one inserts the movements, one moves the
    balances, whatever the number of persons (each of wage 6,500.00: pension 520.00, medical 130.00)."""
    from sscard.domain.idnumber import make_id_number

    employer = approved_employer()
    people = [(make_id_number("420106", date(1980, 1, 1), 100 + i), f"职工{i}", 650_000) for i in range(persons)]
    bill = confirmed_bill(employer, people)
    officer = new_officer()
    officer.has_perm("records.record_payment")  # the permission cache filled outside the count
    amount = f"{bill.total_fen / 100:.2f}"
    content = csv_file(f"{bill.number},{amount},ICBC-N-{persons},2026-04-20")
    with django_assert_max_num_queries(25):  # 24 as measured: checks, voucher, payment, 3 writes, audit
        payments.import_payment_file(staff=officer, filename="n.csv", content=content, today=TODAY)
    assert AccountMovement.objects.filter(kind="contribution").count() == 2 * persons
    assert set(AccountBalance.objects.values_list("account", "balance_fen")) == {("pension", 52_000),
                                                                                ("medical", 13_000)}
    assert AccountBalance.objects.count() == 2 * persons
    assert LedgerEntry.objects.filter(employer_id=employer.pk, status="paid", version=2).count() == 4 * persons
