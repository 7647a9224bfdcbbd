"""The person's settlement year (`PersonYear`) with the medical account's balance, locked for a settlement or a
cancellation (docs/settlement.md, "Concurrency").

`lock(id_number, year)` is one statement in the usual case: the year's row joined with the balance's row
(`records.AccountBalance`, medical), SELECT ... FOR UPDATE, which locks both rows, the year's first (the order of
the tables in the statement; `records.accounts.credit` takes only the balance's), and returns them as the last
commit left them. On PostgreSQL a settlement by card reads it in the card's own statement (`lock_beside`, a
LATERAL subquery with its own FOR UPDATE: the same rows, the same order, the latest committed versions after a
wait) and gives the row to `lock`. The year's first settlement creates its row first (INSERT ... ON CONFLICT DO NOTHING: two
concurrent first settlements create one); a person without a medical account yet locks the year alone, with a
balance of 0 (nothing to debit). SQLite has no row locks: its transactions take the database's write lock at
BEGIN (`transaction_mode` IMMEDIATE), which serialises them as a whole; the statements are the same but for
FOR UPDATE.
"""

from __future__ import annotations

from django.db import connection

from sscard.core.rows import write
from sscard.domain import settlement as rules
from sscard.records.ledger_models import AccountBalance, AccountMovement

from .models import PersonYear

YEAR = PersonYear._meta.db_table
BALANCE = AccountBalance._meta.db_table
MEDICAL = AccountMovement.Account.MEDICAL
_COLUMNS = "y.id, y.admissions, y.deductible_used_fen, y.fund_paid_fen, y.outpatient_fund_paid_fen"


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _select(cursor, sql: str, params: list):
    cursor.execute(sql + _for_update(), params)
    return cursor.fetchone()


def _joined(id_number_sql: str) -> str:
    """The year's row joined with the balance's, for the ID number given as SQL (a placeholder or a column)."""
    return (f"SELECT {_COLUMNS}, b.balance_fen FROM {YEAR} y INNER JOIN {BALANCE} b "
            f"ON b.id_number = y.id_number AND b.account = %s WHERE y.id_number = {id_number_sql} AND y.year = %s")


def lock_beside(id_number_column: str, year: int) -> tuple[str, list] | None:
    """The locking read of `lock`, as a subquery for a statement that reads the ID number (`id_number_column`)
    itself: the patient's card read and the year locked in one round trip (`patients.identify`). Its six columns
    go to `lock(..., row=...)`. None where the database cannot lock rows in a subquery (SQLite: `lock` alone)."""
    if not connection.features.has_select_for_update or connection.vendor != "postgresql":
        return None
    return f"{_joined(id_number_column)} FOR UPDATE", [MEDICAL, year]


def lock(id_number: str, year: int, *, row: tuple | None = None) -> tuple[int, rules.YearState]:
    """(the year row's id, the person's year with the balance), both rows locked until the transaction ends.
    `row`: the six columns already read and locked by `lock_beside` (None when it found no row: read here)."""
    if row is None or row[0] is None:
        with connection.cursor() as cursor:
            joined = _joined("%s")
            row = _select(cursor, joined, [MEDICAL, id_number, year])
            if row is None:
                cursor.execute(f"INSERT INTO {YEAR} (id_number, year, admissions, deductible_used_fen, "
                               f"fund_paid_fen, outpatient_fund_paid_fen) VALUES (%s, %s, 0, 0, 0, 0) "
                               f"ON CONFLICT (id_number, year) DO NOTHING", [id_number, year])
                row = _select(cursor, joined, [MEDICAL, id_number, year])
            if row is None:  # no medical account: the year alone
                row = (*_select(cursor, f"SELECT {_COLUMNS} FROM {YEAR} y WHERE y.id_number = %s AND y.year = %s",
                                [id_number, year]), 0)
    return row[0], rules.YearState(year=year, account_balance_fen=row[5], admissions=row[1],
                                   deductible_used_fen=row[2], fund_paid_fen=row[3],
                                   outpatient_fund_paid_fen=row[4])


def save(year_id: int, state: rules.YearState) -> None:
    """Write the person's year after a settlement or cancellation (its row locked by `lock`; `core.rows.write`:
    inside `together()`, at its end)."""
    write(f"UPDATE {YEAR} SET admissions = %s, deductible_used_fen = %s, fund_paid_fen = %s, "
          f"outpatient_fund_paid_fen = %s WHERE id = %s",
          [state.admissions, state.deductible_used_fen, state.fund_paid_fen, state.outpatient_fund_paid_fen, year_id],
          rows=1, error=lambda: PersonYear.DoesNotExist(f"no settlement year {year_id} to save"))
