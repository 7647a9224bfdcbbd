"""A statement the database plans once per connection, from its first run: PostgreSQL's server-side prepared
statements, for the few hot reads whose planning costs more than their execution. The medical settlement's
eligibility read is one: it asks the year-partitioned contribution ledger, and the planner looks at every partition
each time (about 3 ms of the database's CPU, against 0.1 ms once prepared; `python -m bench.settlement_profile
--per-statement`).

Every other statement is prepared too once it recurs: with the setting `DATABASE_PREPARED_STATEMENTS` (env
`SSCARD_DB_PREPARED_STATEMENTS`, default on), sscard/settings.py has Django bind parameters on the server and
psycopg prepare a statement after its 5th run on a connection (`prepare_threshold`). What runs through `fetchone` and
`fetchall` here is prepared at its first run instead. Turn the setting off behind a pooler that cannot keep
prepared statements (PgBouncer in transaction mode before 1.21, or without `max_prepared_statements`): Django's
defaults come back (parameters bound in the client, nothing prepared). On SQLite, or with the setting off, the
statement runs through an ordinary cursor. Either way it goes through Django's cursor wrapper, so
`execute_wrapper` sees it, and it is in `connection.queries` when queries are logged (debug, tests).
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.db import connection

NEVER_BY_COUNT = 2**31  # psycopg prepares what it is told to (prepare=True), never a query because it recurs


@functools.cache
def _cursor_class():
    """The cursor class, made once (psycopg is imported only where PostgreSQL is used): a class statement costs
    tens of microseconds, several percent of a cached page's answer when it ran on every read."""
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        """Server-side binding, each statement prepared (planned) once per connection and reused."""

        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True)

    return PreparingCursor


def _preparing_cursor():
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: prepared statements off, even when asked for
        raw.prepare_threshold = NEVER_BY_COUNT
    return connection.make_cursor(_cursor_class()(raw))


def fetchall(sql: str, params) -> list[tuple]:
    """Every row of `sql` (with %s placeholders), prepared on PostgreSQL when the setting allows."""
    return _run(sql, params, lambda cursor: cursor.fetchall())


def fetchone(sql: str, params) -> tuple | None:
    """The first row of `sql` (with %s placeholders), prepared on PostgreSQL when the setting allows."""
    return _run(sql, params, lambda cursor: cursor.fetchone())


def _run(sql: str, params, read):
    if connection.vendor != "postgresql" or not getattr(settings, "DATABASE_PREPARED_STATEMENTS", False):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return read(cursor)
    connection.ensure_connection()
    started = time.monotonic()
    with _preparing_cursor() as cursor:
        cursor.execute(sql, params)
        rows = read(cursor)
    if connection.queries_logged:  # Django's debug cursor cannot read a prepared statement's text back
        connection.queries_log.append({"sql": connection.ops.compose_sql(sql, params),
                                       "time": f"{time.monotonic() - started:.3f}"})
    return rows
