"""`manage.py ledger_partitions`: next years' partitions of the contribution ledger on PostgreSQL."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from sscard.records import ledger

from .conftest import approved_employer

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the ledger is partitioned on PostgreSQL only")


def _years() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'records_ledgerentry'")
        return sorted(int(name.rsplit("_y", 1)[1]) for (name,) in cursor.fetchall() if "_y" in name)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite message is checked on SQLite")
def test_on_sqlite_it_says_there_is_nothing_to_do():
    out = StringIO()
    call_command("ledger_partitions", "--years", "5", stdout=out)
    assert "nothing to do" in out.getvalue()


@postgres_only
def test_creates_the_missing_years_once_and_rows_land_in_them():
    this_year = timezone.localdate().year
    assert _years()[-1] == this_year + 2  # migration 0003: two years ahead
    out = StringIO()
    call_command("ledger_partitions", "--years", "4", stdout=out)
    assert f"created records_ledgerentry_y{this_year + 3}" in out.getvalue()
    assert f"created records_ledgerentry_y{this_year + 4}" in out.getvalue()
    assert _years()[-3:] == [this_year + 2, this_year + 3, this_year + 4]
    again = StringIO()
    call_command("ledger_partitions", "--years", "4", stdout=again)
    assert "created" not in again.getvalue() and str(this_year + 4) in again.getvalue()

    employer = approved_employer()
    month = datetime(this_year + 4, 3, 1, tzinfo=UTC).date()
    ledger.append([ledger.Row(id_number="420102199001011237", employer_id=employer.pk, month=month,
                              insurance_type="pension", wage_fen=650_000, base_fen=650_000, clamp="",
                              employer_fen=104_000, employee_fen=52_000, status="assessed", version=1,
                              created_at=timezone.now())])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM records_ledgerentry_y{this_year + 4}")
        assert cursor.fetchone()[0] == 1


@postgres_only
def test_refuses_a_year_whose_rows_are_in_the_default_partition():
    this_year = timezone.localdate().year
    employer = approved_employer()
    month = datetime(this_year + 6, 1, 1, tzinfo=UTC).date()  # beyond every partition: the default one
    ledger.append([ledger.Row(id_number="420102199001011237", employer_id=employer.pk, month=month,
                              insurance_type="pension", wage_fen=650_000, base_fen=650_000, clamp="",
                              employer_fen=104_000, employee_fen=52_000, status="assessed", version=1,
                              created_at=timezone.now())])
    before = _years()
    with pytest.raises(CommandError, match=f"1 ledger rows of {this_year + 6} are in the default partition"):
        call_command("ledger_partitions", "--years", "6", stdout=StringIO())
    assert _years() == before  # nothing changed, not even the years before


def test_refuses_a_silly_number_of_years():
    with pytest.raises(CommandError, match="between 0 and 50"):
        call_command("ledger_partitions", "--years", "-1", stdout=StringIO())
