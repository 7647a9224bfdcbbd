"""The person's settlement year (`PersonYear`) with the medical account's balance, locked for a settlement or a
cancellation (docs/settlement.md, "Concurrency").

`lock(id_number, year)` is one statement in the usual case: the year's row joined with the balance's row
(`records.AccountBalance`, medical), SELECT ... FOR UPDATE, which locks both rows, the year's first (the order of
the tables in the statement; `records.accounts.credit` takes only the balance's), and returns them as the last
commit left them. The year's first settlement creates its row first (INSERT ... ON CONFLICT DO NOTHING: two
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


def lock(id_number: str, year: int) -> tuple[int, rules.YearState]:
    """(the year row's id, the person's year with the balance), both rows locked until the transaction ends."""
    with connection.cursor() as cursor:
        joined = (f"SELECT {_COLUMNS}, b.balance_fen FROM {YEAR} y INNER JOIN {BALANCE} b "
                  f"ON b.id_number = y.id_number AND b.account = %s WHERE y.id_number = %s AND y.year = %s")
        row = _select(cursor, joined, [MEDICAL, id_number, year])
        if row is None:
            cursor.execute(f"INSERT INTO {YEAR} (id_number, year, admissions, deductible_used_fen, fund_paid_fen, "
                           f"outpatient_fund_paid_fen) VALUES (%s, %s, 0, 0, 0, 0) "
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
