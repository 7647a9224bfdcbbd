from contextlib import contextmanager

import pytest
from django.db import connection

from sscard.audit import guard


@contextmanager
def _guard_removed():
    """Drop the append-only triggers for the rest of the test (the test's transaction restores them): the
    access log's first, since on PostgreSQL the audit table's removal also drops the shared function."""
    with connection.cursor() as cursor:
        for statement in guard.remove_sql(connection.vendor, guard.ACCESS_TABLE) + guard.remove_sql(connection.vendor):
            cursor.execute(statement)
    yield


@pytest.fixture
def without_db_guard(db):
    """Lets a test tamper with audit rows by raw SQL, as an attacker with database access would."""
    return _guard_removed


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(username="c-audit-citizen", password="x" * 12,
                                                 real_name="张三", id_number="360426199101010071",
                                                 phone="13812341234")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="reviewer1", password="x" * 12, is_staff=True)
