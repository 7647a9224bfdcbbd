"""The one way rows enter the contribution ledger, and the one way its current state is read.

`append(rows)` writes new rows: on PostgreSQL with COPY (psycopg's `cursor.copy`, rows routed to their yearly
partitions), elsewhere with `bulk_create`. It must run inside the caller's transaction (a declaration, a payment
or a correction is taken whole or not at all). Rows are never updated: a new version of a
(person, employer, month, insurance type) key is a new row with `version` one higher; `current(rows)` keeps the
highest version of each key. `append_status` appends the next version of a declaration's current rows with a new
status (a bill paid or in arrears) in one INSERT ... SELECT on the (employer, month) index, returning what the
personal accounts need of the rows written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import Max

from .ledger_models import LedgerEntry


class Row(NamedTuple):
    """A ledger row to append (the columns of `LedgerEntry` but its id, in the order COPY writes them). A tuple:
    a declaration builds hundreds of thousands of them, and a tuple is what COPY takes as it is."""

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


COLUMNS = list(Row._fields)


class Appended(NamedTuple):
    """A row written by `append_status` (what crediting a personal account reads of it)."""

    pk: int
    id_number: str
    month: date
    insurance_type: str
    base_fen: int
    employee_fen: int
    status: str


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
                    copy.write_row(row)
        return len(rows)
    LedgerEntry.objects.bulk_create([LedgerEntry(**row._asdict()) for row in rows], batch_size=2000)
    return len(rows)


def _param(sql_type: str) -> str:
    """A query parameter typed for PostgreSQL (an untyped parameter in a SELECT list would be text there);
    SQLite takes it as it is (its CAST would change a date's text)."""
    return f"CAST(%s AS {sql_type})" if connection.vendor == "postgresql" else "%s"


def _date(value) -> date:
    """A date column as read by a raw query (SQLite gives its text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def append_status(*, employer_id: int, month: date, declaration_id: int, status: str, created_at: datetime,
                  voucher_id: int | None = None, operator_id: int | None = None) -> list[Appended]:
    """Append the next version, with `status`, of each current row of a declaration (the highest version of each
    (person, type) of the employer's month whose row belongs to the declaration; void rows and rows already of
    `status` are left as they are), in the caller's transaction: one statement that reads the month on the
    (employer, month) index and writes the new rows in the database. Returns the rows written."""
    table = LedgerEntry._meta.db_table
    ops = connection.ops
    sql = (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) "
        f"SELECT id_number, employer_id, month, insurance_type, wage_fen, base_fen, clamp, employer_fen, "
        f"employee_fen, {_param('varchar(10)')}, version + 1, {_param('timestamp with time zone')}, declaration_id, "
        f"COALESCE({_param('bigint')}, voucher_id), line_no, {_param('bigint')}, '' "
        f"FROM (SELECT *, row_number() OVER (PARTITION BY id_number, insurance_type ORDER BY version DESC) AS rn "
        f"FROM {table} WHERE employer_id = %s AND month = %s) cur "
        f"WHERE rn = 1 AND declaration_id = %s AND status NOT IN (%s, %s) ORDER BY id "
        f"RETURNING id, id_number, month, insurance_type, base_fen, employee_fen, status")
    params = [status, ops.adapt_datetimefield_value(created_at), voucher_id, operator_id, employer_id,
              ops.adapt_datefield_value(month), declaration_id, LedgerEntry.Status.VOID, status]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Appended(pk, id_number, _date(day), insurance_type, base_fen, employee_fen, row_status)
            for pk, id_number, day, insurance_type, base_fen, employee_fen, row_status in rows]


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return str(value)


class Stream:
    """Rows written as they come (`stream`): `assessed(...)` for a declaration's line (the hot path: one
    preformatted line of COPY text per row), `add(row)` for any other row."""

    CHUNK = 2000

    def __init__(self, copy, *, employer_id: int, month: date, created_at: datetime, declaration_id, voucher_id,
                 operator_id):
        self.copy = copy
        self.count = 0
        self._rows: list = []
        self._fixed = dict(employer_id=employer_id, month=month, created_at=created_at,
                           declaration_id=declaration_id, voucher_id=voucher_id, operator_id=operator_id)
        # The columns of a declaration's row that are the same on every row, in COPY text (COLUMNS' order).
        self._head = f"\t{employer_id}\t{month.isoformat()}\t"
        self._tail = (f"\t{created_at.isoformat()}\t{_text(declaration_id)}\t{_text(voucher_id)}\t")
        self._end = f"\t{_text(operator_id)}\t\n"

    def assessed(self, id_number: str, insurance_type: str, wage_fen: int, base_fen: int, clamp: str,
                 employer_fen: int, employee_fen: int, version: int, line_no: int) -> None:
        """A row of status `assessed` (an ID number and type are checked codes: no character to escape)."""
        if self.copy is None:
            self._rows.append(Row(id_number=id_number, insurance_type=insurance_type, wage_fen=wage_fen,
                                  base_fen=base_fen, clamp=clamp, employer_fen=employer_fen,
                                  employee_fen=employee_fen, status="assessed", version=version, line_no=line_no,
                                  **self._fixed))
        else:
            self._rows.append(f"{id_number}{self._head}{insurance_type}\t{wage_fen}\t{base_fen}\t{clamp}\t"
                              f"{employer_fen}\t{employee_fen}\tassessed\t{version}{self._tail}{line_no}{self._end}")
            if len(self._rows) >= self.CHUNK:
                self.flush()
        self.count += 1

    def add(self, row: Row) -> None:
        self._rows.append(row if self.copy is None else "\t".join(map(_text, row)) + "\n")
        self.count += 1

    def flush(self) -> None:
        if self.copy is not None and self._rows:
            self.copy.write("".join(self._rows))
            self._rows = []


@contextmanager
def stream(*, employer_id: int, month: date, created_at: datetime, declaration_id=None, voucher_id=None,
           operator_id=None) -> Iterator[Stream]:
    """Write rows as they are produced, inside the caller's transaction: on PostgreSQL one COPY that the server
    works through while Python prepares the next rows (the two run on two cores); elsewhere `append` at the end.
    No query may run inside the block (the connection is in COPY: read first). An exception inside the block ends
    the COPY with an error and, raised on, rolls the caller's transaction back:
    nothing of the rows stays."""
    fixed = dict(employer_id=employer_id, month=month, created_at=created_at, declaration_id=declaration_id,
                 voucher_id=voucher_id, operator_id=operator_id)
    if connection.vendor == "postgresql":
        columns = ", ".join(COLUMNS)
        with connection.cursor() as cursor, \
                cursor.cursor.copy(f"COPY {LedgerEntry._meta.db_table} ({columns}) FROM STDIN") as copy:
            out = Stream(copy, **fixed)
            yield out
            out.flush()
    else:
        out = Stream(None, **fixed)
        yield out
        append(out._rows)


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


# --- An employer's month, read in the database ------------------------------------------------------------------
# The current record of an employer's month (or of one declaration's version of it): the highest version of each
# (person, type) among the month's rows on the (employer, month) index, withdrawn rows left out. A window function
# (PostgreSQL and SQLite alike) picks it; the totals are summed and the people paged in the database, so a month
# of 100,000 employees never comes into Python whole.

MONTH_COLUMNS = ("id", "id_number", "insurance_type", "version", "status", "wage_fen", "base_fen", "clamp",
                 "employer_fen", "employee_fen", "line_no", "reason")


class MonthEntry(NamedTuple):
    """A current row of an employer's month (MONTH_COLUMNS)."""

    pk: int
    id_number: str
    insurance_type: str
    version: int
    status: str
    wage_fen: int
    base_fen: int
    clamp: str
    employer_fen: int
    employee_fen: int
    line_no: int
    reason: str


def _month_cte(employer_id: int, month: date, declaration_id: int | None) -> tuple[str, list]:
    table = LedgerEntry._meta.db_table
    where = "employer_id = %s AND month = %s"
    params: list = [employer_id, connection.ops.adapt_datefield_value(month)]
    if declaration_id is not None:
        where += " AND declaration_id = %s"
        params.append(declaration_id)
    columns = ", ".join(MONTH_COLUMNS)
    sql = (f"WITH ranked AS (SELECT {columns}, row_number() OVER (PARTITION BY id_number, insurance_type "
           f"ORDER BY version DESC) AS rn FROM {table} WHERE {where}), "
           f"cur AS (SELECT {columns} FROM ranked WHERE rn = 1 AND status <> %s) ")
    params.append(LedgerEntry.Status.VOID)
    return sql, params


class MonthTotals(NamedTuple):
    by_type: dict  # insurance type -> (employer fen, employee fen)
    person_count: int


def month_totals(*, employer_id: int, month: date, declaration_id: int | None = None) -> MonthTotals:
    """The month's totals per insurance type and its number of people, summed in the database (one query)."""
    cte, params = _month_cte(employer_id, month, declaration_id)
    sql = (cte + "SELECT insurance_type, SUM(employer_fen), SUM(employee_fen), NULL FROM cur GROUP BY insurance_type "
           "UNION ALL SELECT NULL, NULL, NULL, COUNT(DISTINCT id_number) FROM cur")
    by_type: dict[str, tuple[int, int]] = {}
    people = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for insurance_type, employer_fen, employee_fen, count in cursor.fetchall():
            if insurance_type is None:
                people = count or 0
            else:
                by_type[insurance_type] = (int(employer_fen or 0), int(employee_fen or 0))
    return MonthTotals(by_type, people)


def month_people(*, employer_id: int, month: date, declaration_id: int | None = None, offset: int,
                 limit: int) -> list[list[MonthEntry]]:
    """One page of the month's people (in declaration line order, then ID number), each with its current rows
    (one query: the page of people chosen and their rows read in the database)."""
    cte, params = _month_cte(employer_id, month, declaration_id)
    columns = ", ".join(f"cur.{column}" for column in MONTH_COLUMNS)
    sql = (cte + ", page AS (SELECT id_number, MIN(line_no) AS first_line FROM cur GROUP BY id_number "
           "ORDER BY first_line, id_number LIMIT %s OFFSET %s) "
           f"SELECT {columns} FROM cur JOIN page ON page.id_number = cur.id_number "
           "ORDER BY page.first_line, cur.id_number, cur.insurance_type")
    people: dict[str, list[MonthEntry]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        for row in cursor.fetchall():
            people.setdefault(row[1], []).append(MonthEntry(*row))
    return list(people.values())


class MonthPeople:
    """The month's people as a sequence for Django's Paginator: its length is the count summed in the database,
    a slice reads that page only."""

    def __init__(self, *, employer_id: int, month: date, declaration_id: int | None, count: int):
        self.employer_id, self.month, self.declaration_id, self._count = employer_id, month, declaration_id, count

    def __len__(self) -> int:
        return self._count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("a page of people is read by slice")
        start, stop = index.start or 0, index.stop if index.stop is not None else self._count
        if stop <= start:
            return []
        return month_people(employer_id=self.employer_id, month=self.month, declaration_id=self.declaration_id,
                            offset=start, limit=stop - start)
