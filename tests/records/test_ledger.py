"""The contribution ledger: rows are appended (COPY on PostgreSQL), read as their highest version, and the
database refuses to update or delete them."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sscard.records import ledger
from sscard.records.models import AccountMovement, BenefitRecord, LedgerEntry

from .conftest import approved_employer, new_citizen

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)


def row(employer, person, *, version=1, status="assessed", insurance_type="pension", wage=650_000):
    return ledger.Row(id_number=person.id_number, employer_id=employer.pk, month=MARCH,
                      insurance_type=insurance_type, wage_fen=wage, base_fen=wage, clamp="", employer_fen=104_000,
                      employee_fen=52_000, status=status, version=version, created_at=timezone.now())


def test_appended_rows_are_read_back_and_the_highest_version_is_the_record():
    employer, person = approved_employer(), new_citizen("钱七")
    with transaction.atomic():
        written = ledger.append([row(employer, person), row(employer, person, insurance_type="medical"),
                                 row(employer, person, version=2, status="paid")])
    assert written == 3
    entries = LedgerEntry.objects.filter(id_number=person.id_number).order_by("pk")
    assert [(e.insurance_type, e.version, e.status) for e in ledger.current(entries)] == [
        ("pension", 2, "paid"), ("medical", 1, "assessed")]
    assert ledger.versions_of(employer_id=employer.pk, month=MARCH) == {
        (person.id_number, employer.pk, MARCH, "pension"): 2, (person.id_number, employer.pk, MARCH, "medical"): 1}


@pytest.mark.parametrize("statement", [
    "UPDATE records_ledgerentry SET status = 'paid'",
    "DELETE FROM records_ledgerentry",
])
def test_the_database_refuses_to_change_or_remove_a_ledger_row(statement):
    employer, person = approved_employer(), new_citizen("钱七")
    with transaction.atomic():
        ledger.append([row(employer, person)])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert LedgerEntry.objects.get().status == "assessed"


def test_account_movements_and_benefit_records_are_append_only_too():
    now, day = timezone.now(), date(2026, 4, 30)
    AccountMovement.objects.create(id_number="34052119800101007X", account="pension", kind="contribution", day=day,
                                   amount_fen=52_000, created_at=now)
    BenefitRecord.objects.create(id_number="34052119800101007X", benefit_type="medical", period_start=day,
                                 period_end=day, amount_fen=10_000, source_type="settlement", source_ref="S1",
                                 created_at=now)
    for model in (AccountMovement, BenefitRecord):
        for statement in (f"UPDATE {model._meta.db_table} SET amount_fen = 1", f"DELETE FROM {model._meta.db_table}"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(statement)
        assert model.objects.get().amount_fen in (52_000, 10_000)


def test_on_postgresql_the_ledger_is_partitioned_by_year():
    if connection.vendor != "postgresql":
        pytest.skip("partitioning is PostgreSQL's (SQLite has one ordinary table)")
    from sscard.records import partitions

    with connection.cursor() as cursor:
        years = partitions.existing_years(cursor)
        employer, person = approved_employer(), new_citizen("钱七")
        with transaction.atomic():
            ledger.append([row(employer, person)])
        cursor.execute("SELECT tableoid::regclass::text FROM records_ledgerentry")
        assert cursor.fetchone()[0] == "records_ledgerentry_y2026"
    assert years[0] == 1990 and 2026 in years and 2027 in years
