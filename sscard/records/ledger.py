"""The one way rows enter the contribution ledger, and the one way its current state is read.

`append(rows)` writes new rows: on PostgreSQL with COPY (psycopg's `cursor.copy`, rows routed to their yearly
partitions), elsewhere with `bulk_create`. It must run inside the caller's transaction (a declaration, a payment
or a correction is taken whole or not at all). Rows are never updated: a new version of a
(person, employer, month, insurance type) key is a new row with `version` one higher; `current(rows)` keeps the
highest version of each key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.db import connection
from django.db.models import Max

from .ledger_models import LedgerEntry


@dataclass(frozen=True)
class Row:
    """A ledger row to append (the columns of `LedgerEntry` but its id)."""

    id_number: str
    employer_id: int
    month: date
    insurance_type: str
    wage_fen: int
    base_fen: int
    clamp: str
    employer_fen: int
    employee_fen: int
    status: str
    version: int
    created_at: datetime
    declaration_id: int | None = None
    voucher_id: int | None = None
    line_no: int = 0
    operator_id: int | None = None
    reason: str = ""


COLUMNS = [f.name for f in fields(Row)]


def append(rows: Iterable[Row]) -> int:
    """Append the rows (in the caller's transaction); returns how many were written."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        columns = ", ".join(COLUMNS)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {LedgerEntry._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(getattr(row, name) for name in COLUMNS))
        return len(rows)
    LedgerEntry.objects.bulk_create([LedgerEntry(**{name: getattr(row, name) for name in COLUMNS}) for row in rows],
                                    batch_size=2000)
    return len(rows)


def key_of(entry) -> tuple:
    return (entry.id_number, entry.employer_id, entry.month, entry.insurance_type)


def current(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The highest version of each (person, employer, month, type) key among `entries`, in the entries' order."""
    best: dict[tuple, LedgerEntry] = {}
    order: list[tuple] = []
    for entry in entries:
        key = key_of(entry)
        if key not in best:
            order.append(key)
            best[key] = entry
        elif entry.version > best[key].version:
            best[key] = entry
    return [best[key] for key in order]


def versions_of(*, employer_id: int, month: date) -> dict[tuple, int]:
    """The highest version of each key an employer has for a month: the next version is one more."""
    return {(id_number, employer_id, month, insurance_type): version
            for id_number, insurance_type, version in
            LedgerEntry.objects.filter(employer_id=employer_id, month=month)
            .values_list("id_number", "insurance_type").annotate(v=Max("version"))
            .values_list("id_number", "insurance_type", "v")}
