"""Database-level guard: the audit tables (events and the access log) refuse UPDATE and DELETE, whatever
client sends them.

PostgreSQL: a row trigger refuses UPDATE and DELETE; a statement trigger refuses TRUNCATE unless the
session setting `sscard.audit_purge` is `on`.
SQLite: a trigger refuses UPDATE; another refuses DELETE unless the function `sscard_audit_purge_permitted()`
(registered by this app on each connection) says a purge is under way. A client without the function
(the sqlite3 shell) cannot delete at all.

The only purge is `manage.py flush` (used by the test runner between transactional tests), which this app
overrides to lift the guard while it empties the database; see `purge_permitted`.
"""

import threading
from contextlib import contextmanager

from django.db import connections

TABLE = "audit_auditevent"
# The access log (high-volume anonymous reads, sealed into the chain in batches) is guarded the same way.
ACCESS_TABLE = "audit_accessevent"
PG_FUNCTION = "audit_auditevent_append_only"
MESSAGE = "this table is append-only (audit log, records ledger) or kept (retention)"


def _sqlite_install(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
            WHEN NOT sscard_audit_purge_permitted()
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END""",
    ]


def _sqlite_remove(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]


def function_sql(name: str) -> str:
    """The PostgreSQL trigger function that refuses UPDATE, DELETE and (unless purging) TRUNCATE."""
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' AND current_setting('sscard.audit_purge', true) = 'on' THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END;
        $$"""


PG_FUNCTION_SQL = function_sql(PG_FUNCTION)


def _pg_install(table: str, function: str) -> list[str]:
    return [
        function_sql(function),
        f"""CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
    ]


def _pg_remove(table: str, *, drop_function: bool) -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                  f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table}"]
    if drop_function:
        statements.append(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    return statements


_state = threading.local()


def _purge_permitted() -> int:
    return 1 if getattr(_state, "purging", 0) else 0


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: give each SQLite connection the function the DELETE trigger asks."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function("sscard_audit_purge_permitted", 0, _purge_permitted)


def install_sql(vendor: str, table: str = TABLE, function: str = PG_FUNCTION) -> list[str]:
    """The statements that guard `table`. Another app's tables name their own PostgreSQL `function` (the audit
    tests drop and restore the audit function, which must have no other dependants)."""
    if vendor == "sqlite":
        return _sqlite_install(table)
    if vendor == "postgresql":
        return _pg_install(table, function)
    return []


def delete_guard_sql(vendor: str, table: str, function: str) -> list[str]:
    """The statements that refuse DELETE (and TRUNCATE, unless purging) on `table` but let UPDATE through: the
    retention guard of records that keep a state (an employer's file, a bill, a card)."""
    if vendor == "sqlite":
        return [f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
            WHEN NOT sscard_audit_purge_permitted()
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END"""]
    if vendor == "postgresql":
        return [function_sql(function),
                f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {function}()""",
                f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION {function}()"""]
    return []


def remove_delete_guard_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_delete"]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}"]
    return []


def remove_sql(vendor: str, table: str = TABLE) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_remove(table)
    if vendor == "postgresql":
        # The trigger function is shared: only the audit table's own migration drops it.
        return _pg_remove(table, drop_function=table == TABLE)
    return []


@contextmanager
def purge_permitted(using: str = "default"):
    """Lift the guard for emptying the whole database (`flush`). Not for removing single events."""
    connection = connections[using]
    _state.purging = getattr(_state, "purging", 0) + 1
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('sscard.audit_purge', 'on', false)")
        yield
    finally:
        _state.purging -= 1
        if connection.vendor == "postgresql" and not _state.purging:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('sscard.audit_purge', 'off', false)")
