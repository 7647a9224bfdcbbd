"""One INSERT of a row without building a model instance: for append-only rows on a hot path (the medical
settlement's voucher and its msgid answer), where `Model.objects.create` (instance, signals, compiler, RETURNING)
cost more than the insert. Values go through each field's `get_db_prep_save`, as the ORM's own insert does (JSON,
dates, times), so the same call works on SQLite and PostgreSQL; strings, integers, booleans and foreign keys (by
their id) are taken as they are given (`AS_IS`): give them as such. No pk is returned and
no signal is sent: only for models nothing listens to."""

from __future__ import annotations

from django.db import connection

_SQL: dict[tuple, tuple[str, list]] = {}
# Fields whose Python value is already what the database takes (a str, an int, a bool): not prepared again.
AS_IS = {"CharField", "TextField", "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
         "PositiveSmallIntegerField", "PositiveBigIntegerField", "BooleanField", "ForeignKey"}


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
    params = [value if field is None else field.get_db_prep_save(value, connection)
              for field, value in zip(fields, values.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
