"""Writes without the ORM's per-row work, for append-only rows and counters on a hot path (the medical
settlement's year, account movement, benefit, voucher, access event and msgid answer).

- `insert_row(model, **values)`: one INSERT of a row without building a model instance (`Model.objects.create`
  with its instance, signals, compiler and RETURNING cost more than the insert). Values go through each field's
  `get_db_prep_save`, as the ORM's own insert does (JSON, dates, times), so the same call works on SQLite and
  PostgreSQL; strings, integers, booleans and foreign keys (by their id) are taken as they are given (`AS_IS`):
  give them as such. No pk is returned and no signal is sent: only for models nothing listens to.
- `write(sql, params, rows=..., error=...)`: one INSERT or UPDATE, with the number of rows it must touch.
- `together()`: the writes made through these two inside it are kept and run at its end as **one statement** on
  PostgreSQL (each a data-modifying `WITH` of one statement: one round trip, one plan, one parse; the number of
  rows each touched still checked), one after the other elsewhere. A settlement's seven writes cost seven round
  trips and about as much Python as the rest of its answer (`python -m bench.settlement_profile`).

  Inside `together()` nothing is written until its end: reads see none of its writes, and the writes see the
  database as it was before the statement (PostgreSQL runs a statement's parts on one snapshot, in no stated
  order), so only writes that depend on no other write of the same block belong in one (new rows, each row
  updated once). A constraint refuses at the end (IntegrityError, from the block's `with` line); an exception
  inside the block writes nothing. Writes through the ORM or a cursor inside the block run at once, as always.
"""

from __future__ import annotations

import contextlib
import contextvars

from django.db import DEFAULT_DB_ALIAS, connection, connections

_SQL: dict[tuple, tuple[str, list]] = {}
# Fields whose Python value is already what the database takes (a str, an int, a bool): not prepared again.
AS_IS = {"CharField", "TextField", "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
         "PositiveSmallIntegerField", "PositiveBigIntegerField", "BooleanField", "ForeignKey"}

# The writes kept by the innermost open `together()` of this thread or task: (sql, params, rows, error).
_kept: contextvars.ContextVar[list | None] = contextvars.ContextVar("sscard_rows_kept", default=None)


def insert_row(model, **values) -> None:
    """INSERT one row of `model`; `values` by field name (a foreign key by its attname, e.g. `institution_id`)."""
    key = (model, tuple(values))
    found = _SQL.get(key)
    if found is None:
        fields = [model._meta.get_field(name) for name in values]
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        sql = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        found = _SQL[key] = (sql, [None if field.get_internal_type() in AS_IS else field for field in fields])
    sql, fields = found
    write(sql, [value if field is None else field.get_db_prep_save(value, connection)
                  for field, value in zip(fields, values.values(), strict=True)])


def write(sql: str, params: list, *, rows: int | None = None, error=None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run one INSERT or UPDATE (`%s` placeholders) now, or at the end of the open `together()` (on the default
    database). With `rows`, it must touch that many rows, else `error()` is raised (by `together()` at its end)."""
    kept = _kept.get()
    if kept is not None and using == DEFAULT_DB_ALIAS:
        kept.append((sql, list(params), rows, error))
        return
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        touched = cursor.rowcount
    if rows is not None and touched != rows:
        raise error()


@contextlib.contextmanager
def together():
    """Run the writes of `insert_row` and `write` inside as one statement at the end (see the module's doc). A
    `together()` inside another joins it."""
    if _kept.get() is not None:
        yield
        return
    kept: list = []
    token = _kept.set(kept)
    try:
        yield
    finally:
        _kept.reset(token)
    _run(kept)


def _run(kept: list) -> None:
    if len(kept) == 1 or (kept and connection.vendor != "postgresql"):
        for sql, params, rows, error in kept:
            write(sql, params, rows=rows, error=error)
        return
    if not kept:
        return
    parts, counted, params = [], [], []
    for number, (sql, values, rows, _error) in enumerate(kept):
        parts.append(f"w{number} AS ({sql}{' RETURNING 1' if rows is not None else ''})")
        params.extend(values)
        if rows is not None:
            counted.append(number)
    # Each part runs once, to completion, whether the last SELECT reads it or not (PostgreSQL's WITH).
    last = ", ".join(f"(SELECT COUNT(*) FROM w{number})" for number in counted) or "1"
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {last}", params)
        touched = cursor.fetchone()
    for number, count in zip(counted, touched, strict=False):
        sql, _values, rows, error = kept[number]
        if count != rows:
            raise error()
