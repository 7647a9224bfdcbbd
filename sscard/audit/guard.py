"""Database-level guard: the audit table refuses UPDATE and DELETE, whatever client sends them.

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
SQLITE_UPDATE_TRIGGER = "audit_auditevent_no_update"
SQLITE_DELETE_TRIGGER = "audit_auditevent_no_delete"
PG_FUNCTION = "audit_auditevent_append_only"
PG_ROW_TRIGGER = "audit_auditevent_no_update_delete"
PG_TRUNCATE_TRIGGER = "audit_auditevent_no_truncate"
MESSAGE = "audit events are append-only"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {SQLITE_UPDATE_TRIGGER} BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {SQLITE_DELETE_TRIGGER} BEFORE DELETE ON {TABLE}
        WHEN NOT sscard_audit_purge_permitted()
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END""",
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {SQLITE_UPDATE_TRIGGER}", f"DROP TRIGGER IF EXISTS {SQLITE_DELETE_TRIGGER}"]

PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' AND current_setting('sscard.audit_purge', true) = 'on' THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END;
        $$""",
    f"""CREATE TRIGGER {PG_ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()""",
    f"""CREATE TRIGGER {PG_TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()""",
]
PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_TRIGGER} ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {PG_ROW_TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
]

_state = threading.local()


def _purge_permitted() -> int:
    return 1 if getattr(_state, "purging", 0) else 0


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """`connection_created` receiver: give each SQLite connection the function the DELETE trigger asks."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function("sscard_audit_purge_permitted", 0, _purge_permitted)


def install_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL}.get(vendor, [])


def remove_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_REMOVE, "postgresql": PG_REMOVE}.get(vendor, [])


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
