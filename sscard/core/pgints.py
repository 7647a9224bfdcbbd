"""Integers bound on the server refuse a value out of their column's range, as literal SQL did.

With parameters bound on the server (settings `DATABASE_PREPARED_STATEMENTS`), Django sends a model's integer as
psycopg's `Int2`, `Int4` or `Int8` by its field; psycopg's C dumpers pack such a value into 2 or 4 bytes without
checking, so 70,000 for a smallint was written as 4,464. These dumpers check the range first and raise
`psycopg.DataError` ("out of range"), which Django turns into its `DataError`: the same refusal PostgreSQL gave
when the value was in the SQL text. Registered on every new PostgreSQL connection (`core.apps`).
"""

from __future__ import annotations

import psycopg
from psycopg.types import numeric

RANGES = {numeric.Int2: (-(2**15), 2**15 - 1), numeric.Int4: (-(2**31), 2**31 - 1)}


def _checked(base, low: int, high: int):
    class Checked(base):
        def dump(self, obj):
            if not low <= obj <= high:
                raise psycopg.DataError(f"{obj} is out of range for {base.__name__.removesuffix('Dumper')}")
            return super().dump(obj)

    Checked.__name__ = f"Checked{base.__name__}"
    return Checked


DUMPERS = [
    (numeric.Int2, _checked(numeric.Int2Dumper, *RANGES[numeric.Int2])),
    (numeric.Int2, _checked(numeric.Int2BinaryDumper, *RANGES[numeric.Int2])),
    (numeric.Int4, _checked(numeric.Int4Dumper, *RANGES[numeric.Int4])),
    (numeric.Int4, _checked(numeric.Int4BinaryDumper, *RANGES[numeric.Int4])),
]


def register(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the checked dumpers on a new PostgreSQL connection."""
    if connection.vendor != "postgresql":
        return
    for cls, dumper in DUMPERS:
        connection.connection.adapters.register_dumper(cls, dumper)
