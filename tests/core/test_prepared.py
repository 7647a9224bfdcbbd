"""Prepared statements on PostgreSQL (settings DATABASE_PREPARED_STATEMENTS, sscard/core/prepared.py): parameters
bound on the server; a statement that recurs on a connection is planned once after its 5th run; the hot reads of
core.prepared at their first. What the database itself lists in pg_prepared_statements is the evidence."""

import pytest
from django.conf import settings
from django.db import connection

from sscard.accounts.models import User
from sscard.core import prepared

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (this run is on SQLite)")
    if not settings.DATABASE_PREPARED_STATEMENTS:
        pytest.skip("SSCARD_DB_PREPARED_STATEMENTS is off in this run")


def _prepared_texts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_that_recurs_is_prepared_after_its_fifth_run(postgresql):
    marker = "prepared-test-4711"
    for run in range(1, 8):
        list(User.objects.filter(real_name=marker))
        mine = [text for text in _prepared_texts() if "real_name" in text and '"accounts_user"' in text]
        # the parameter is bound on the server ($1), never written into the statement
        assert all(marker not in text for text in mine)
        assert bool(mine) is (run >= 6), f"run {run}: {mine}"


def test_a_hot_read_is_prepared_at_its_first_run(postgresql):
    sql = "SELECT %s::int + 40 AS answer_4712"
    assert prepared.fetchone(sql, [2]) == (42,)
    assert any("answer_4712" in text for text in _prepared_texts())


def test_settings_bind_on_the_server_only_when_prepared_statements_are_on():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "postgresql":
        assert "server_side_binding" not in options
    else:
        assert options.get("server_side_binding", False) is settings.DATABASE_PREPARED_STATEMENTS
        assert options.get("prepare_threshold") == (5 if settings.DATABASE_PREPARED_STATEMENTS else None)


def test_an_integer_out_of_its_columns_range_is_refused_not_wrapped(postgresql):
    """A smallint bound on the server: 70,000 must not become 4,464 (psycopg's C dumper packs without checking)."""
    from django.db import DataError, transaction

    from sscard.reference.models import ServiceSettings

    row = ServiceSettings.load()
    row.progress_lookups_per_minute = 70_000
    with pytest.raises(DataError), transaction.atomic():
        row.save(update_fields=["progress_lookups_per_minute"])
    row.progress_lookups_per_minute = 32_767
    row.save(update_fields=["progress_lookups_per_minute"])
    assert ServiceSettings.load().progress_lookups_per_minute == 32_767
